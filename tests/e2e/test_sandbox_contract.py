"""The shared acceptance script for `python -m bot sandbox`: every control route, ready in < 10 s, clean stop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT.parent / "shared" / "tools" / "sandbox_contract.py"


@pytest.mark.skipif(
    not CONTRACT.exists(), reason="../shared/tools/sandbox_contract.py is not beside this checkout"
)
def test_sandbox_honours_the_control_api_contract() -> None:
    done = subprocess.run(
        [sys.executable, str(CONTRACT)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 failed" in done.stdout

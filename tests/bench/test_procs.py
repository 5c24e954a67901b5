"""bench/procs.py: how the benchmark starts its child processes."""

from __future__ import annotations

import pytest

from bench.procs import child_environment


def test_children_may_write_bytecode_as_a_deployed_bot_would(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("NSSCOP_BENCH_LOG", "INFO")

    environment = child_environment()

    assert "PYTHONDONTWRITEBYTECODE" not in environment
    assert environment["NSSCOP_BENCH_LOG"] == "INFO"

"""bench/stats.py: a benchmarked bot's own report of its CPU time, on SIGUSR1."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.stats import report_on_signal


@pytest.fixture
async def handler_removed() -> AsyncIterator[None]:
    yield
    asyncio.get_running_loop().remove_signal_handler(signal.SIGUSR1)


def _read(path: Path) -> dict[str, float]:
    return dict(json.loads(path.read_text())) if path.exists() else {"seq": 0}


async def _report(path: Path, seq: int) -> dict[str, float]:
    os.kill(os.getpid(), signal.SIGUSR1)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if (report := _read(path))["seq"] == seq:
            return report
        await asyncio.sleep(0.01)
    raise TimeoutError("no report")


async def test_each_signal_writes_a_numbered_report_of_cpu_time(
    tmp_path: Path, handler_removed: None
) -> None:
    path = tmp_path / "stats.json"
    report_on_signal(path, lambda: {"db_round_trips": 3})

    first = await _report(path, 1)
    sum(range(200_000))  # some CPU between the two reports
    second = await _report(path, 2)

    assert first["db_round_trips"] == 3
    assert 0 < first["cpu_s"] < second["cpu_s"]

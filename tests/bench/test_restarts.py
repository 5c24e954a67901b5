"""bench/__main__.py: the timed restarts, which must respect Discord's limit on member requests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

import bench.__main__ as bench_main
from bench.procs import BotProcess


class StoppedBot:
    def __init__(self, name: str) -> None:
        self.name = name
        self.stopped = False

    async def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def start(cls: type[BotProcess], name: str, sandbox: Any, work: Path) -> Any:
        return StoppedBot(name)

    monkeypatch.setattr(bench_main.asyncio, "sleep", sleep)
    monkeypatch.setattr(BotProcess, "start", classmethod(start))
    return waits


async def test_a_restart_within_30_s_of_the_last_start_waits_out_the_rest(slept: list[float]) -> None:
    old = StoppedBot("ours")
    started_at = {"ours": time.monotonic() - 10}

    new = await bench_main._timed_restart(old, None, Path(), started_at)  # type: ignore[arg-type]

    assert old.stopped and new.name == "ours"
    assert 20 < slept[0] <= bench_main.FULL_MEMBER_REQUEST_EVERY_S - 10
    assert started_at["ours"] >= time.monotonic() - 1


async def test_a_restart_long_after_the_last_start_does_not_wait(slept: list[float]) -> None:
    started_at = {"bare": time.monotonic() - 60}

    await bench_main._timed_restart(StoppedBot("bare"), None, Path(), started_at)  # type: ignore[arg-type]

    assert slept == [0.0]

"""scheduler/JobScheduler: timers set in app-clock time fire at the right real moment, by id."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.clock import Clock, FixedClock, ShiftedClock
from scheduler import JobScheduler

WAIT = 5.0  # upper bound for anything expected to fire within a fraction of a second
PAST = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
FUTURE = datetime(2035, 6, 7, 8, 9, 10, tzinfo=UTC)


class Recorder:
    """Job targets that record their arguments and signal an event."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[Any, ...]]] = {}
        self.events: dict[str, asyncio.Event] = {}

    def job(self, name: str) -> Callable[..., Coroutine[Any, Any, None]]:
        self.calls.setdefault(name, [])
        event = self.events.setdefault(name, asyncio.Event())

        async def run(*args: Any) -> None:
            self.calls[name].append(args)
            event.set()

        return run

    async def wait(self, name: str) -> None:
        await asyncio.wait_for(self.events[name].wait(), WAIT)


@pytest.fixture
async def make_scheduler() -> AsyncIterator[Callable[[Clock], JobScheduler]]:
    # Async so that shutdown runs while the test's event loop is still open.
    created: list[JobScheduler] = []

    def make(clock: Clock) -> JobScheduler:
        scheduler = JobScheduler(clock)
        created.append(scheduler)
        return scheduler

    yield make
    for scheduler in created:
        scheduler.shutdown()


@pytest.mark.parametrize(
    "clock_factory",
    [lambda: FixedClock(PAST), lambda: ShiftedClock(FUTURE)],
    ids=["fixed-past", "shifted-future"],
)
async def test_job_runs_when_the_app_clock_reaches_its_time(
    make_scheduler: Callable[[Clock], JobScheduler], clock_factory: Callable[[], Clock]
) -> None:
    clock = clock_factory()
    scheduler = make_scheduler(clock)
    recorder = Recorder()
    scheduler.start()
    began = time.monotonic()

    scheduler.at("dropin:1:reminder", clock.now() + timedelta(milliseconds=200), recorder.job("soon"), 1, 2)
    await recorder.wait("soon")

    assert recorder.calls["soon"] == [(1, 2)]
    assert time.monotonic() - began >= 0.1
    assert scheduler.job_ids() == []


async def test_job_later_in_app_time_does_not_run_early(
    make_scheduler: Callable[[Clock], JobScheduler],
) -> None:
    clock = FixedClock(PAST)  # a later instant in this clock's time is still long past on the wall
    scheduler = make_scheduler(clock)
    recorder = Recorder()
    scheduler.start()

    scheduler.at("later", clock.now() + timedelta(hours=1), recorder.job("later"))
    scheduler.at("soon", clock.now() + timedelta(milliseconds=100), recorder.job("soon"))
    await recorder.wait("soon")

    assert recorder.calls["later"] == []
    assert scheduler.job_ids() == ["later"]


async def test_same_id_replaces_the_existing_job(make_scheduler: Callable[[Clock], JobScheduler]) -> None:
    clock = FixedClock(PAST)
    scheduler = make_scheduler(clock)
    recorder = Recorder()
    scheduler.start()

    scheduler.at("dropin:1", clock.now() + timedelta(hours=1), recorder.job("first"))
    scheduler.at("dropin:1", clock.now() + timedelta(hours=2), recorder.job("second"))

    assert scheduler.job_ids() == ["dropin:1"]


async def test_replacement_runs_at_its_own_time_instead_of_the_original(
    make_scheduler: Callable[[Clock], JobScheduler],
) -> None:
    clock = FixedClock(PAST)
    scheduler = make_scheduler(clock)
    recorder = Recorder()
    scheduler.start()
    scheduler.at("dropin:1", clock.now() + timedelta(milliseconds=100), recorder.job("original"))

    scheduler.at("dropin:1", clock.now() + timedelta(milliseconds=150), recorder.job("replacement"))
    await recorder.wait("replacement")

    assert recorder.calls["original"] == []


async def test_cancel_removes_the_job(make_scheduler: Callable[[Clock], JobScheduler]) -> None:
    clock = FixedClock(PAST)
    scheduler = make_scheduler(clock)
    recorder = Recorder()
    scheduler.start()
    scheduler.at("cancelled", clock.now() + timedelta(milliseconds=100), recorder.job("cancelled"))

    scheduler.cancel("cancelled")
    scheduler.at("witness", clock.now() + timedelta(milliseconds=200), recorder.job("witness"))
    await recorder.wait("witness")

    assert recorder.calls["cancelled"] == []
    assert scheduler.job_ids() == []


async def test_cancel_of_an_unknown_id_is_a_no_op(make_scheduler: Callable[[Clock], JobScheduler]) -> None:
    scheduler = make_scheduler(FixedClock(PAST))
    scheduler.start()

    scheduler.cancel("never-scheduled")

    assert scheduler.job_ids() == []


async def test_start_and_shutdown_are_idempotent(make_scheduler: Callable[[Clock], JobScheduler]) -> None:
    scheduler = make_scheduler(FixedClock(PAST))
    scheduler.shutdown()

    scheduler.start()
    scheduler.start()
    scheduler.shutdown()
    scheduler.shutdown()


async def test_job_scheduled_before_start_runs_after_start(
    make_scheduler: Callable[[Clock], JobScheduler],
) -> None:
    clock = FixedClock(PAST)
    scheduler = make_scheduler(clock)
    recorder = Recorder()
    scheduler.at("early", clock.now() + timedelta(milliseconds=100), recorder.job("early"), "guild")

    scheduler.start()
    await recorder.wait("early")

    assert recorder.calls["early"] == [("guild",)]


async def test_same_id_before_start_keeps_one_job(make_scheduler: Callable[[Clock], JobScheduler]) -> None:
    clock = FixedClock(PAST)
    scheduler = make_scheduler(clock)
    recorder = Recorder()

    scheduler.at("dropin:1", clock.now() + timedelta(hours=1), recorder.job("first"))
    scheduler.at("dropin:1", clock.now() + timedelta(hours=2), recorder.job("second"))

    assert scheduler.job_ids() == ["dropin:1"]


async def test_rescheduled_then_cancelled_before_start_never_fires(
    make_scheduler: Callable[[Clock], JobScheduler],
) -> None:
    clock = FixedClock(PAST)
    scheduler = make_scheduler(clock)
    recorder = Recorder()
    scheduler.at("dropin:1", clock.now() + timedelta(milliseconds=100), recorder.job("cancelled"))
    scheduler.at("dropin:1", clock.now() + timedelta(milliseconds=100), recorder.job("cancelled"))
    scheduler.cancel("dropin:1")

    scheduler.start()
    scheduler.at("witness", clock.now() + timedelta(milliseconds=200), recorder.job("witness"))
    await recorder.wait("witness")

    assert recorder.calls["cancelled"] == []

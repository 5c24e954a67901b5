"""Timers. The database is the truth; this is an in-memory index of what fires when, rebuilt at start."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_SUBMITTED
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock


class JobScheduler:
    """APScheduler (in memory, UTC) driven by the app's clock, which may be shifted (`--start-at`)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._scheduler = AsyncIOScheduler(timezone=UTC)

    def start(self) -> None:
        if not self._scheduler.running:
            self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def at(self, job_id: str, when: datetime, func: Callable[..., Awaitable[Any]], *args: Any) -> None:
        """Run `func(*args)` when the app clock reads `when`; a job with the same id is replaced."""
        wall = datetime.now(UTC) + (when - self._clock.now())
        self.cancel(job_id)  # before start(), APScheduler queues duplicates instead of replacing them
        self._scheduler.add_job(
            func,
            DateTrigger(run_date=wall),
            args=args,
            id=job_id,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    def every(self, job_id: str, interval: timedelta, func: Callable[..., Awaitable[Any]]) -> None:
        """Run `func()` every `interval` of real time (for housekeeping such as retention purges)."""
        self._scheduler.add_job(
            func,
            IntervalTrigger(seconds=interval.total_seconds()),
            id=job_id,
            replace_existing=True,
            coalesce=True,
        )

    def cancel(self, job_id: str) -> None:
        while self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def job_ids(self) -> list[str]:
        return [job.id for job in self._scheduler.get_jobs()]

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def next_run(self, prefix: str) -> datetime | None:
        """When the next job whose id starts with `prefix` fires, on the app's clock."""
        times = [
            job.next_run_time
            for job in self._scheduler.get_jobs()
            if job.id.startswith(prefix) and job.next_run_time is not None
        ]
        if not times:
            return None
        return self._clock.now() + (min(times) - datetime.now(UTC))

    def on_lag(self, report: Callable[[float], None]) -> None:
        """`report(seconds)` each time a job starts: how late it is compared with when it was due."""

        def listener(event: Any) -> None:
            due = max(event.scheduled_run_times, default=None)
            if due is not None:
                report(max(0.0, (datetime.now(UTC) - due).total_seconds()))

        self._scheduler.add_listener(listener, EVENT_JOB_SUBMITTED)

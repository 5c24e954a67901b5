"""GET /healthz's report: Discord, database, scheduler and the next announcement, with the reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.web.health import Health
from db.engine import create_engine, create_session_factory
from scheduler import JobScheduler

NOW = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)


async def _nothing() -> None:
    return None


async def test_healthy_when_connected_reachable_and_running(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    scheduler = JobScheduler(FixedClock(NOW))
    scheduler.at("dropin:1", NOW + timedelta(hours=1), _nothing)
    scheduler.start()
    try:
        report = await Health(lambda: True, sessions, scheduler).report()
    finally:
        scheduler.shutdown()

    assert report["healthy"] is True and report["reason"] is None
    following = datetime.fromisoformat(report["next_announcement"])
    assert abs(following - (NOW + timedelta(hours=1))) < timedelta(seconds=5)


async def test_each_problem_is_named(sessions: async_sessionmaker[AsyncSession]) -> None:
    report = await Health(lambda: False, sessions, JobScheduler(FixedClock(NOW))).report()

    assert report["healthy"] is False
    assert report["reason"] == "not connected to Discord; scheduler stopped"
    assert report["database"] == {"ok": True}


async def test_an_unreachable_database_is_unhealthy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A directory where the database file should be: SQLite cannot open it.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}")
    try:
        report = await Health(
            lambda: True, create_session_factory(engine), JobScheduler(FixedClock(NOW))
        ).report()
    finally:
        await engine.dispose()

    assert report["database"] == {"ok": False}
    assert "database unreachable" in report["reason"]

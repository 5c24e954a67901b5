"""`python -m bot schedule` as people run it: a subprocess, a clean environment, a fresh working directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.domain.dropin import DropinSchedule
from bot.i18n import Catalog
from bot.services.dropin import DropinService, ScheduleChanges
from bot.services.dropin_reconciler import DropinReconciler
from bot.services.dropin_text import DropinText
from bot.services.settings import SettingsService
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from tests.bot.services.dropin_fakes import FakeAnnouncer, FakeScheduledEvents, FakeTimers

pytestmark = pytest.mark.cli

GUILD = 1234567890123456789
DST_WEEKS = ("--from", "2026-10-26", "--count", "3", "--json")


def run_schedule(cwd: Path, *args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "NSSCOP_DATABASE_URL": f"sqlite:///{db.resolve()}",  # sqlite:////abs/path.db
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "schedule", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def parse_json(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


async def skip_in_database(db: Path, day: str, reason: str) -> None:
    """What `/dropin skip` leaves in the database, written by the service itself. `db` is absolute."""
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        await upgrade(engine)
        sessions = create_session_factory(engine)
        clock = FixedClock(datetime(2026, 10, 1, tzinfo=UTC))
        settings = SettingsService(sessions, clock, "both")
        reconciler = DropinReconciler(
            sessions,
            clock,
            DropinText(Catalog.load()),
            settings,
            FakeAnnouncer(),
            FakeScheduledEvents(),
            FakeTimers(),
        )
        service = DropinService(sessions, clock, settings, DropinSchedule(guild_id=0), reconciler)
        await service.bootstrap(GUILD, ScheduleChanges())
        await service.skip(GUILD, day, reason)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def dst_weeks(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The three occurrences from 2026-10-26, around the fall-back week, with no database yet."""
    cwd = tmp_path_factory.mktemp("cli")
    return parse_json(run_schedule(cwd, *DST_WEEKS, db=cwd / "data" / "nsscop.db"))


def test_schedule_json_gives_utc_starts_across_the_fall_back_week(dst_weeks: list[dict[str, Any]]) -> None:
    assert [o["start_utc"] for o in dst_weeks] == [
        "2026-10-29T16:00:00+00:00",
        "2026-11-05T17:00:00+00:00",
        "2026-11-12T17:00:00+00:00",
    ]


def test_schedule_json_gives_noon_local_starts_on_both_sides_of_dst(dst_weeks: list[dict[str, Any]]) -> None:
    local = [datetime.fromisoformat(o["start_local"]) for o in dst_weeks]

    assert [(t.hour, t.minute) for t in local] == [(12, 0)] * 3
    assert [t.utcoffset().total_seconds() / 3600 for t in local] == [-4, -5, -5]  # type: ignore[union-attr]


def test_schedule_json_without_exceptions_has_nothing_skipped(dst_weeks: list[dict[str, Any]]) -> None:
    assert [o["skipped"] for o in dst_weeks] == [False, False, False]


async def test_schedule_json_shows_a_skip_from_the_database(tmp_path: Path) -> None:
    db = tmp_path / "nsscop.db"
    await skip_in_database(db, "2026-11-05", "holiday")

    found = parse_json(run_schedule(tmp_path, *DST_WEEKS, "--guild", str(GUILD), db=db))

    assert [(o["date"], o["skipped"]) for o in found] == [
        ("2026-10-29", False),
        ("2026-11-05", True),
        ("2026-11-12", False),
    ]
    assert found[1]["reason"] == "holiday"


async def test_schedule_ignores_another_guilds_skip(tmp_path: Path) -> None:
    db = tmp_path / "nsscop.db"
    await skip_in_database(db, "2026-11-05", "holiday")

    found = parse_json(run_schedule(tmp_path, *DST_WEEKS, "--guild", str(GUILD + 1), db=db))

    assert [o["skipped"] for o in found] == [False, False, False]


def test_schedule_follows_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "dropin.toml").write_text(
        '[dropin]\nweekday = "wednesday"\ntime = "09:30"\n', encoding="utf-8"
    )

    found = parse_json(
        run_schedule(tmp_path, "--config", "dropin.toml", *DST_WEEKS, db=tmp_path / "nsscop.db")
    )

    assert [o["start_local"] for o in found] == [
        "2026-10-28T09:30:00-04:00",
        "2026-11-04T09:30:00-05:00",
        "2026-11-11T09:30:00-05:00",
    ]


@pytest.mark.parametrize("bad", ["2026-13-45", "next-thursday", "26/10/2026"])
def test_schedule_with_a_bad_from_date_exits_2_without_traceback(tmp_path: Path, bad: str) -> None:
    result = run_schedule(tmp_path, "--from", bad, db=tmp_path / "nsscop.db")

    assert result.returncode == 2
    assert "--from" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""

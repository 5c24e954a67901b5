"""`python -m bot schedule`: the coming drop-ins from the config's schedule and the database's exceptions."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from bot.app import dropin_template
from bot.config import Config
from bot.domain.dropin import DropinException, DropinSchedule, Occurrence, upcoming
from db.engine import create_engine, create_session_factory
from db.repositories.dropin import DropinRepository


async def print_schedule(
    config: Config, start: date | None, count: int, as_json: bool, guild_id: int | None
) -> int:
    template = dropin_template(config)
    since = (
        datetime.combine(start, time(0), tzinfo=template.zone).astimezone(UTC) if start else datetime.now(UTC)
    )
    exceptions = await _exceptions(config, guild_id, since.date())
    occurrences = upcoming(template, exceptions, since, count)
    if as_json:
        print(json.dumps([_as_json(template, o) for o in occurrences], indent=2))
    else:
        for occurrence in occurrences:
            print(_as_line(template, occurrence))
    return 0


async def _exceptions(config: Config, guild_id: int | None, since: date) -> dict[date, DropinException]:
    url = make_url(config.database_url())
    if url.get_backend_name() == "sqlite" and not await asyncio.to_thread(Path(url.database or "").exists):
        return {}  # no database yet: no exceptions, and none created just to read it
    engine = create_engine(config.database_url())
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        if "dropin_exceptions" not in tables:
            return {}
        async with create_session_factory(engine)() as session:
            repo = DropinRepository(session)
            guild = guild_id or (config.bot.guild_ids[0] if config.bot.guild_ids else None)
            if guild is None:
                guilds = await repo.guilds_with_schedule()
                guild = guilds[0] if len(guilds) == 1 else None
            return await repo.exceptions(guild, since) if guild else {}
    finally:
        await engine.dispose()


def _as_json(schedule: DropinSchedule, occurrence: Occurrence) -> dict[str, object]:
    return {
        "date": occurrence.key.isoformat(),
        "start_utc": occurrence.start.isoformat(),
        "start_local": occurrence.start.astimezone(schedule.zone).isoformat(),
        "end_utc": occurrence.end.isoformat(),
        "skipped": occurrence.skipped,
        "reason": occurrence.reason,
        "note": occurrence.note,
        "moved": occurrence.moved,
    }


def _as_line(schedule: DropinSchedule, occurrence: Occurrence) -> str:
    local = occurrence.start.astimezone(schedule.zone)
    line = f"{local:%Y-%m-%d %a %H:%M %Z}  ({occurrence.start:%H:%M} UTC)"
    if occurrence.moved:
        line += "  moved"
    if occurrence.skipped:
        line += f"  SKIPPED{': ' + occurrence.reason if occurrence.reason else ''}"
    if occurrence.note:
        line += f"  note: {occurrence.note}"
    return line

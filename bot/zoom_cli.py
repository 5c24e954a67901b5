"""`python -m bot zoom check`: is the configured Zoom meeting the weekly drop-in the bot announces?"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from bot.adapters.zoom_api import ZoomApi, ZoomApiError
from bot.app import dropin_template
from bot.config import ENV_ZOOM_ACCOUNT_ID, ENV_ZOOM_CLIENT_ID, ENV_ZOOM_CLIENT_SECRET, Config
from bot.domain.dropin import DropinSchedule
from bot.domain.zoom import meeting_digits
from bot.domain.zoom_check import check_meeting
from db.engine import create_engine, create_session_factory
from db.repositories.dropin import DropinRepository

EXIT_MISMATCH = 1
EXIT_CANNOT_CHECK = 2


async def zoom_check(config: Config, guild_id: int | None) -> int:
    s = config.secrets
    if s.zoom_account_id is None or s.zoom_client_id is None or s.zoom_client_secret is None:
        print(
            f"Set {ENV_ZOOM_ACCOUNT_ID}, {ENV_ZOOM_CLIENT_ID} and {ENV_ZOOM_CLIENT_SECRET} (a Server-to-Server OAuth app)."
        )
        return EXIT_CANNOT_CHECK
    schedule = await _schedule(config, guild_id)
    meeting_id = meeting_digits(schedule.meeting_id) or meeting_digits(schedule.join_url)
    if not meeting_id:
        print("No Zoom meeting id: set one with /dropin setup (meeting_id or join_url) or [dropin] join_url.")
        return EXIT_CANNOT_CHECK
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
        api = ZoomApi(
            session,
            config.zoom.oauth_url,
            config.zoom.api_base,
            s.zoom_account_id.get_secret_value(),
            s.zoom_client_id.get_secret_value(),
            s.zoom_client_secret.get_secret_value(),
        )
        try:
            meeting = await api.meeting(meeting_id)
        except (ZoomApiError, aiohttp.ClientError, TimeoutError) as exc:
            print(f"Zoom could not be asked: {exc or type(exc).__name__}")
            return EXIT_CANNOT_CHECK
    findings = check_meeting(schedule, meeting)
    print(f"Zoom meeting {meeting_id}:")
    for finding in findings:
        print(f"  {'ok ' if finding.ok else 'NO '} {finding.text}")
    return 0 if all(f.ok for f in findings) else EXIT_MISMATCH


async def _schedule(config: Config, guild_id: int | None) -> DropinSchedule:
    """The guild's saved schedule when the database has one, else the config's."""
    url = make_url(config.database_url())
    if url.get_backend_name() == "sqlite" and not await asyncio.to_thread(Path(url.database or "").exists):
        return dropin_template(config)  # no database yet, and none created just to read it
    engine = create_engine(config.database_url())
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        if "dropin_schedules" not in tables:
            return dropin_template(config)
        async with create_session_factory(engine)() as session:
            repo = DropinRepository(session)
            guilds = await repo.guilds_with_schedule()
            wanted = guild_id or (guilds[0] if len(guilds) == 1 else None)
            found = await repo.schedule(wanted) if wanted in guilds else None
    finally:
        await engine.dispose()
    return found or dropin_template(config)

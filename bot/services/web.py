"""The public web surface's use cases: per-guild tokens, the calendar feed, and what the page shows.

A guild's token is unguessable (256 bits) and serves both its calendar feed and its page; facilitators
rotate it with /dropin calendar-link, which makes the old URLs answer 404.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.calendar import ics_feed
from bot.domain.dropin import DropinSchedule, Occurrence
from bot.domain.minutes import Minutes
from bot.errors import UserError
from bot.services.dropin import DropinService
from bot.services.minutes_archive import Published
from bot.services.settings import SettingsService
from bot.services.zoom import ZoomService
from bot.services.zoom_text import ZoomText
from db.repositories.zoom import Attendance, GuildWeb, ZoomRepository

FEED_SIZE = 12
PAGE_SIZE = 6
PAGE_MINUTES = 3


class PublishedMinutes(Protocol):
    """The part of MinutesArchive the page reads."""

    async def published(self, guild_id: int, year: int | None = None) -> list[Published]: ...

    async def published_text(self, minutes: Minutes) -> str: ...


@dataclass(frozen=True)
class PageData:
    guild_id: int
    token: str
    schedule: DropinSchedule
    occurrences: list[Occurrence]
    minutes: list[tuple[str, str]]  # (ISO date, Markdown) of published drop-in minutes, newest first


class WebService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: SettingsService,
        dropin: DropinService,
        minutes: PublishedMinutes,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._settings = settings
        self._dropin = dropin
        self._minutes = minutes

    # --- facilitators ---------------------------------------------------------------------------
    async def token(self, guild_id: int, *, rotate: bool = False) -> str:
        """The guild's token, made on first use; a new one (the old URLs stop working) when rotating."""
        await self._dropin.require_schedule(guild_id)
        async with self._sessions.begin() as session:
            repo = ZoomRepository(session)
            current = await repo.web(guild_id)
            if current is not None and not rotate:
                return current.token
            await self._settings.ensure_in(session, guild_id)
            token = secrets.token_urlsafe(32)
            await repo.save_web(guild_id, token, self._clock.now())
        return token

    async def set_web_minutes(self, guild_id: int, on: bool) -> None:
        await self.token(guild_id)
        async with self._sessions.begin() as session:
            await ZoomRepository(session).set_web_minutes(guild_id, on)

    # --- public ---------------------------------------------------------------------------------
    async def _guild(self, token: str) -> GuildWeb | None:
        if not 20 <= len(token) <= 64:
            return None
        async with self._sessions() as session:
            return await ZoomRepository(session).guild_for_token(token)

    async def calendar(self, token: str) -> bytes | None:
        """The feed for this token, or None (404) for an unknown or rotated one."""
        found = await self._guild(token)
        if found is None:
            return None
        try:
            schedule = await self._dropin.require_schedule(found.guild_id)
            occurrences = await self._dropin.upcoming(found.guild_id, FEED_SIZE)
        except UserError:
            return None
        return ics_feed(schedule, occurrences, self._clock.now())

    async def page(self, token: str) -> PageData | None:
        found = await self._guild(token)
        if found is None:
            return None
        try:
            schedule = await self._dropin.require_schedule(found.guild_id)
            occurrences = await self._dropin.upcoming(found.guild_id, PAGE_SIZE, include_running=True)
        except UserError:
            return None
        minutes: list[tuple[str, str]] = []
        if found.web_minutes:
            dropins = [
                p for p in await self._minutes.published(found.guild_id) if p.minutes.meeting_key == "dropin"
            ]
            for published in reversed(dropins[-PAGE_MINUTES:]):
                text = await self._minutes.published_text(published.minutes)
                minutes.append((published.minutes.meeting_date.isoformat(), text))
        return PageData(found.guild_id, token, schedule, occurrences, minutes)


@dataclass(frozen=True)
class WebLinks:
    """What /dropin calendar-link and /dropin attendance need, bundled for the drop-in cog."""

    service: WebService
    text: ZoomText
    base_url: Callable[[], str]
    zoom: ZoomService | None

    async def zoom_counts(self, guild_id: int) -> list[Attendance]:
        return await self.zoom.attendance(guild_id) if self.zoom is not None else []

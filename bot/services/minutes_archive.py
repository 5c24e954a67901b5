"""Minutes as documents, and the archive of published ones: how a meeting's minutes read (Markdown,
group name, file name), and listing, showing, searching and exporting what was published."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.dropin import parse_date
from bot.domain.minutes import Minutes, rank
from bot.errors import UserError
from bot.services.dropin import DropinService
from bot.services.group_access import GroupAccess
from bot.services.minutes_text import MinutesText
from bot.services.settings import SettingsService
from db.cache import read_through
from db.repositories.minutes import MinutesRepository, latest_published_key

DROPIN = "dropin"


@dataclass(frozen=True)
class Published:
    minutes: Minutes
    link: str


def message_link(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


class MinutesArchive:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: SettingsService,
        dropin: DropinService,
        groups: GroupAccess,
        text: MinutesText,
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._dropin = dropin
        self._groups = groups
        self._text = text

    # --- the document ---------------------------------------------------------------------------
    async def markdown(self, minutes: Minutes) -> str:
        """The minutes as they read, in the guild's language: a drop-in's start across Canada, a group's name."""
        settings = await self._settings.get(minutes.guild_id)
        title = await self.group_name(minutes)
        start = None
        if minutes.meeting_key == DROPIN:
            held = await self._dropin.held_occurrence(minutes.guild_id, minutes.meeting_date)
            start = held.start if held else None
        return self._text.markdown(minutes, title, start, settings.language)

    async def group_name(self, minutes: Minutes) -> str:
        """The working group whose meeting this is, or "" for the drop-in (or a group since deleted)."""
        if minutes.meeting_key.startswith("wg:"):
            group = await self._groups.get(int(minutes.meeting_key[3:]))
            return group.name if group else ""
        return ""

    async def filename(self, minutes: Minutes) -> str:
        """The exported file's name, in the guild's language."""
        return self._text.filename(minutes, (await self._settings.get(minutes.guild_id)).language)

    async def published_text(self, minutes: Minutes) -> str:
        return await self.markdown(replace(minutes, sections=minutes.published_sections))

    # --- finding published minutes --------------------------------------------------------------
    async def published(self, guild_id: int, year: int | None = None) -> list[Published]:
        async with self._sessions() as session:
            found = await MinutesRepository(session).published(guild_id, year=year)
        return [
            Published(m, message_link(guild_id, m.published_channel_id or 0, m.published_message_ids[0]))
            for m in found
            if m.published_message_ids
        ]

    async def latest_dropin(self, guild_id: int) -> Published | None:
        """The most recent drop-in with published minutes, for /dropin to link to."""
        found = await read_through(
            self._sessions,
            latest_published_key(guild_id, DROPIN),
            lambda session: MinutesRepository(session).latest_published(guild_id, DROPIN),
        )
        if found is None:
            return None
        return Published(
            found, message_link(guild_id, found.published_channel_id or 0, found.published_message_ids[0])
        )

    async def published_for(self, guild_id: int, day: str, group_name: str | None) -> Minutes:
        wanted = parse_date(day)
        key = DROPIN
        if group_name:
            key = f"wg:{(await self._groups.find(guild_id, group_name)).id}"
        async with self._sessions() as session:
            found = await MinutesRepository(session).find(guild_id, key, wanted)
        if found is None or found.version == 0:
            raise UserError("minutes.error.not_published", date=wanted)
        return found

    async def search(self, guild_id: int, words: str) -> list[tuple[Published, int]]:
        listed = {p.minutes.id: p for p in await self.published(guild_id)}
        texts = {i: await self.published_text(p.minutes) for i, p in listed.items()}
        return [(listed[i], score) for i, score in rank(words, texts)][:10]

    async def in_range(self, guild_id: int, first: date, last: date) -> list[Published]:
        if last < first:
            raise UserError("groups.error.bad_range")
        return [p for p in await self.published(guild_id) if first <= p.minutes.meeting_date <= last]

    async def export(self, guild_id: int, start: str, end: str | None) -> list[Published]:
        """Published minutes from `start` to `end` inclusive; without `end`, from `start` onwards."""
        first = parse_date(start)
        return await self.in_range(guild_id, first, parse_date(end) if end else date.max)

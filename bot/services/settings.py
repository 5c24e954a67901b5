"""Use cases for per-guild settings. Knows nothing of Discord: ids and permission names in, plain data out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.refs import ChannelRef, PermissionNames
from bot.domain.settings import (
    FORUM_CHANNEL_PERMISSIONS,
    ChannelPurpose,
    GuildSettings,
    Language,
    RolePurpose,
    is_facilitator,
    missing_permissions,
)
from bot.errors import UserError
from bot.i18n import Lang, dm_langs
from bot.i18n.memory import LanguageMemory
from db.cache import read_through
from db.repositories.settings import SettingsRepository, settings_key


class SettingsService:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, default_language: Language
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._default_language = default_language
        self.languages = LanguageMemory()  # each person's language, from their last interaction

    async def get(self, guild_id: int) -> GuildSettings:
        """The guild's settings; a guild never configured reads as the defaults."""
        found = await read_through(  # read on every event: from memory, no session
            self._sessions, settings_key(guild_id), lambda session: SettingsRepository(session).get(guild_id)
        )
        return found or GuildSettings(guild_id=guild_id, language=self._default_language)

    async def configured_guilds(self) -> list[int]:
        async with self._sessions() as session:
            return await SettingsRepository(session).guilds()

    async def dm_langs(self, guild_ids: Sequence[int], user_id: int | None = None) -> tuple[Lang, ...]:
        """The languages of a DM to someone who shares `guild_ids` with the bot (DESIGN §6): theirs when
        an interaction told us, else their servers'."""
        known = self.languages.recall(user_id) if user_id is not None else None
        return dm_langs(known, [(await self.get(guild_id)).language for guild_id in guild_ids])

    async def ensure_in(self, session: AsyncSession, guild_id: int) -> None:
        """Inside another use case's transaction: make sure the guild has a settings row."""
        await SettingsRepository(session).ensure(guild_id, self._default_language, self._clock.now())

    async def is_facilitator(self, guild_id: int, role_ids: frozenset[int], can_manage_guild: bool) -> bool:
        return is_facilitator(await self.get(guild_id), role_ids, can_manage_guild)

    async def set_language(self, guild_id: int, language: Language) -> GuildSettings:
        async with self._sessions.begin() as session:
            repo = SettingsRepository(session)
            now = self._clock.now()
            await repo.ensure(guild_id, self._default_language, now)
            await repo.set_language(guild_id, language, now)
        return await self.get(guild_id)

    async def set_channel(
        self,
        guild_id: int,
        purpose: ChannelPurpose,
        channel_id: int,
        bot_permissions: frozenset[str],
        *,
        forum: bool = False,
    ) -> GuildSettings:
        """Refuses, naming what is missing, when the bot could not do its job in that channel.
        A forum channel is accepted only where posts make sense (minutes)."""
        if forum and purpose not in FORUM_CHANNEL_PERMISSIONS:
            raise UserError("settings.forum.not_here", channel=ChannelRef(channel_id), purpose=purpose)
        missing = missing_permissions(purpose, bot_permissions, forum=forum)
        if missing:
            raise UserError(
                "error.missing_channel_permissions",
                channel=ChannelRef(channel_id),
                purpose=purpose,
                permissions=PermissionNames(tuple(missing)),
            )
        async with self._sessions.begin() as session:
            repo = SettingsRepository(session)
            now = self._clock.now()
            await repo.ensure(guild_id, self._default_language, now)
            await repo.set_channel(guild_id, purpose, channel_id, now)
        return await self.get(guild_id)

    async def set_role(self, guild_id: int, purpose: RolePurpose, role_id: int) -> GuildSettings:
        async with self._sessions.begin() as session:
            repo = SettingsRepository(session)
            now = self._clock.now()
            await repo.ensure(guild_id, self._default_language, now)
            await repo.set_role(guild_id, purpose, role_id, now)
        return await self.get(guild_id)

    async def bootstrap(
        self,
        guild_id: int,
        channels: Mapping[ChannelPurpose, int],
        roles: Mapping[RolePurpose, int],
        language: Language | None = None,
    ) -> GuildSettings:
        """Point a guild at its channels and roles in one transaction (sandbox seeding, first-run set-up)."""
        async with self._sessions.begin() as session:
            repo = SettingsRepository(session)
            now = self._clock.now()
            await repo.ensure(guild_id, language or self._default_language, now)
            if language is not None:
                await repo.set_language(guild_id, language, now)
            for purpose, channel_id in channels.items():
                await repo.set_channel(guild_id, purpose, channel_id, now)
            for role_purpose, role_id in roles.items():
                await repo.set_role(guild_id, role_purpose, role_id, now)
        return await self.get(guild_id)


def channel_problems(
    settings: GuildSettings, granted_by_channel: Mapping[int, frozenset[str]]
) -> dict[ChannelPurpose, list[str]]:
    """For each configured channel, what the bot lacks there (a channel it cannot see lacks everything)."""
    problems: dict[ChannelPurpose, list[str]] = {}
    for purpose, channel_id in settings.channels.items():
        missing = missing_permissions(purpose, granted_by_channel.get(channel_id, frozenset()))
        if missing:
            problems[purpose] = missing
    return problems

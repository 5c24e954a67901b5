"""Guild settings: read and write as plain dataclasses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.settings import ChannelPurpose, GuildSettings, Language, RolePurpose, parse_language
from db.cache import cached, invalidate
from db.models import GuildChannelRow, GuildRoleRow, GuildSettingsRow

# Rows written by a newer version may carry purposes this one does not know: skip them.
_CHANNEL_PURPOSES = frozenset(p.value for p in ChannelPurpose)
_ROLE_PURPOSES = frozenset(p.value for p in RolePurpose)


def settings_key(guild_id: int) -> tuple[str, int]:
    """The read cache's key for a guild's settings (db/cache.py)."""
    return ("settings", guild_id)


class SettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, guild_id: int) -> GuildSettings | None:
        """From memory after the first read (db/cache.py); every write below invalidates it."""
        return await cached(self._session, settings_key(guild_id), lambda: self._load(guild_id))

    async def _load(self, guild_id: int) -> GuildSettings | None:
        row = await self._session.get(GuildSettingsRow, guild_id)
        if row is None:
            return None
        channels = await self._session.scalars(
            select(GuildChannelRow).where(GuildChannelRow.guild_id == guild_id)
        )
        roles = await self._session.scalars(select(GuildRoleRow).where(GuildRoleRow.guild_id == guild_id))
        return GuildSettings(
            guild_id=guild_id,
            language=parse_language(row.language),
            channels={
                ChannelPurpose(c.purpose): c.channel_id for c in channels if c.purpose in _CHANNEL_PURPOSES
            },
            roles={RolePurpose(r.purpose): r.role_id for r in roles if r.purpose in _ROLE_PURPOSES},
        )

    async def guilds(self) -> list[int]:
        """Every guild with a settings row (sharded, a DM looks for its sender there: docs/scaling.md)."""
        return list(await self._session.scalars(select(GuildSettingsRow.guild_id)))

    async def ensure(self, guild_id: int, default_language: Language, now: datetime) -> None:
        if await self._session.get(GuildSettingsRow, guild_id) is None:  # a write only the first time
            invalidate(self._session, settings_key(guild_id))
            self._session.add(
                GuildSettingsRow(guild_id=guild_id, language=default_language, created_at=now, updated_at=now)
            )
            await self._session.flush()

    async def set_language(self, guild_id: int, language: Language, now: datetime) -> None:
        invalidate(self._session, settings_key(guild_id))
        row = await self._session.get_one(GuildSettingsRow, guild_id)
        row.language = language
        row.updated_at = now

    async def set_channel(
        self, guild_id: int, purpose: ChannelPurpose, channel_id: int, now: datetime
    ) -> None:
        invalidate(self._session, settings_key(guild_id))
        await self._session.merge(
            GuildChannelRow(guild_id=guild_id, purpose=purpose.value, channel_id=channel_id)
        )
        await self._touch(guild_id, now)

    async def set_role(self, guild_id: int, purpose: RolePurpose, role_id: int, now: datetime) -> None:
        invalidate(self._session, settings_key(guild_id))
        await self._session.merge(GuildRoleRow(guild_id=guild_id, purpose=purpose.value, role_id=role_id))
        await self._touch(guild_id, now)

    async def clear_channel(self, guild_id: int, purpose: ChannelPurpose) -> None:
        invalidate(self._session, settings_key(guild_id))
        await self._session.execute(
            delete(GuildChannelRow).where(
                GuildChannelRow.guild_id == guild_id, GuildChannelRow.purpose == purpose.value
            )
        )

    async def _touch(self, guild_id: int, now: datetime) -> None:
        row = await self._session.get_one(GuildSettingsRow, guild_id)
        row.updated_at = now

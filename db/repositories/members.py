"""Community roles the bot manages, welcome settings and the welcome-once record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CommunityRoleRow, GuildSettingsRow, MemberSettingsRow, MemberWelcomeRow
from db.repositories._insert import insert_ignoring_conflicts


@dataclass(frozen=True)
class MemberSettings:
    guild_id: int
    welcome_enabled: bool = True
    picker_channel_id: int | None = None
    picker_message_id: int | None = None


class MembersRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- managed community roles -----------------------------------------------------------------
    async def role_ids(self, guild_id: int) -> dict[str, int]:
        rows = await self._session.scalars(
            select(CommunityRoleRow).where(CommunityRoleRow.guild_id == guild_id)
        )
        return {row.role_key: row.role_id for row in rows}

    async def set_role_id(self, guild_id: int, key: str, role_id: int) -> None:
        row = await self._session.get(CommunityRoleRow, (guild_id, key))
        if row is None:
            self._session.add(CommunityRoleRow(guild_id=guild_id, role_key=key, role_id=role_id))
        else:
            row.role_id = role_id

    # --- settings ---------------------------------------------------------------------------------
    async def settings(self, guild_id: int) -> MemberSettings:
        row = await self._session.get(MemberSettingsRow, guild_id)
        if row is None:
            return MemberSettings(guild_id)
        return MemberSettings(guild_id, row.welcome_enabled, row.picker_channel_id, row.picker_message_id)

    async def save_settings(self, settings: MemberSettings) -> None:
        row = await self._session.get(MemberSettingsRow, settings.guild_id)
        if row is None:
            row = MemberSettingsRow(guild_id=settings.guild_id)
            self._session.add(row)
        row.welcome_enabled = settings.welcome_enabled
        row.picker_channel_id = settings.picker_channel_id
        row.picker_message_id = settings.picker_message_id

    # --- welcome-once record ------------------------------------------------------------------------
    async def claim_welcome(self, member_tag: str, now: datetime, since: datetime) -> bool:
        """True if no welcome was recorded for this tag since `since` (and records this one)."""
        await self._session.execute(
            delete(MemberWelcomeRow).where(
                MemberWelcomeRow.member_tag == member_tag, MemberWelcomeRow.welcomed_at < since
            )
        )
        result = await self._session.execute(
            insert_ignoring_conflicts(self._session, MemberWelcomeRow, member_tag=member_tag, welcomed_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def purge_welcomes(self, before: datetime) -> int:
        result = await self._session.execute(
            delete(MemberWelcomeRow).where(MemberWelcomeRow.welcomed_at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def forget_welcomes(self, member_tags: list[str]) -> int:
        if not member_tags:
            return 0
        result = await self._session.execute(
            delete(MemberWelcomeRow).where(MemberWelcomeRow.member_tag.in_(member_tags))
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def guilds(self) -> list[int]:
        """Every guild the bot knows (to derive a person's per-guild tags)."""
        return list(await self._session.scalars(select(GuildSettingsRow.guild_id)))

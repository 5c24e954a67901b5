"""A working group's channel follows its database row: permission overwrites and the pinned charter."""

from __future__ import annotations

from bot.domain.groups import Group, overwrites
from bot.domain.settings import RolePurpose
from bot.services.group_access import GroupAccess
from bot.services.group_context import GroupContext
from bot.services.ports import Card, PermissionOverwrite
from db.repositories.groups import GroupRepository


class GroupSync:
    def __init__(self, context: GroupContext, access: GroupAccess) -> None:
        self._sessions, self._settings, self._text = context.sessions, context.settings, context.text
        self._admin, self._desk = context.admin, context.desk
        self._access = access

    async def language(self, guild_id: int) -> str:
        return (await self._settings.get(guild_id)).language

    async def save(self, group_id: int, **values: object) -> None:
        if values:
            async with self._sessions.begin() as session:
                await GroupRepository(session).update(group_id, **values)

    async def overwrites(
        self, group: Group, shut_out: frozenset[int] = frozenset()
    ) -> list[PermissionOverwrite]:
        facts = self._admin.facts(group.guild_id)
        settings = await self._settings.get(group.guild_id)
        async with self._sessions() as session:
            members = await GroupRepository(session).members(group.id)
        assert group.role_id is not None
        return [
            PermissionOverwrite(o.target_id, o.is_role, o.allow, o.deny)
            for o in overwrites(
                group.visibility,
                archived=group.archived,
                everyone_role_id=facts.everyone_role_id,
                group_role_id=group.role_id,
                facilitator_role_id=settings.role(RolePurpose.FACILITATOR),
                bot_user_id=facts.bot_user_id,
                lead_ids=frozenset(m.user_id for m in members if m.lead),
                grantable=facts.bot_permissions,
                shut_out=shut_out,
            )
        ]

    async def charter(self, group: Group) -> Card:
        settings = await self._settings.get(group.guild_id)
        async with self._sessions() as session:
            members = await GroupRepository(session).members(group.id)
        leads = tuple(self._admin.display_name(group.guild_id, m.user_id) for m in members if m.lead)
        return self._text.charter(group, leads, settings.language)

    async def refresh(self, group_id: int) -> None:
        """Charter and permissions follow the database after any change."""
        group = await self._access.fetch(group_id)
        if group.channel_id is None or group.role_id is None:
            return
        await self._admin.update_channel(group.channel_id, overwrites=await self.overwrites(group))
        if group.charter_message_id is not None:
            await self._desk.edit_card(group.channel_id, group.charter_message_id, await self.charter(group))

"""What leads do in their own working group: change its description or cadence, post announcements."""

from __future__ import annotations

from bot.domain.groups import ANNOUNCE_MAX, CADENCE_MAX, DESCRIPTION_MAX, Group, check_length
from bot.errors import UserError
from bot.services.group_access import Actor, GroupAccess
from bot.services.group_context import GroupContext
from bot.services.group_directory import GroupDirectory
from bot.services.group_sync import GroupSync


class GroupLeads:
    def __init__(
        self, context: GroupContext, access: GroupAccess, sync: GroupSync, directory: GroupDirectory
    ) -> None:
        self._settings, self._admin = context.settings, context.admin
        self._desk, self._text = context.desk, context.text
        self._access = access
        self._sync = sync
        self._directory = directory

    async def edit(
        self, guild_id: int, name: str, actor: Actor, description: str | None, cadence: str | None
    ) -> Group:
        group = await self._access.find_led(guild_id, name, actor)
        changes: dict[str, object] = {}
        if description is not None:
            changes["description"] = check_length(description, DESCRIPTION_MAX, "groups.error.too_long")
        if cadence is not None:
            changes["cadence"] = check_length(cadence, CADENCE_MAX, "groups.error.too_long")
        await self._sync.save(group.id, **changes)
        await self._sync.refresh(group.id)
        if group.channel_id and "description" in changes:
            await self._admin.update_channel(group.channel_id, topic=str(changes["description"])[:1024])
        await self._directory.refresh(guild_id)
        return await self._access.fetch(group.id)

    async def announce(self, guild_id: int, name: str, actor: Actor, text: str, ping: bool) -> Group:
        group = await self._access.find_led(guild_id, name, actor)
        body = check_length(text, ANNOUNCE_MAX, "groups.error.too_long")
        if group.archived:
            raise UserError("groups.error.archived", name=group.name)
        assert group.channel_id is not None
        settings = await self._settings.get(guild_id)
        await self._desk.post_card(
            group.channel_id,
            self._text.announcement(
                group, body, ping, self._admin.display_name(guild_id, actor.user_id), settings.language
            ),
        )
        return group

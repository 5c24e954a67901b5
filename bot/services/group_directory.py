"""The working-groups directory: one message in the working-groups channel, kept current."""

from __future__ import annotations

import logging

from bot.domain.groups import listed_in_directory
from bot.domain.settings import ChannelPurpose
from bot.services.group_context import GroupContext
from bot.services.ports import DeliveryError
from db.repositories.groups import GroupRepository

log = logging.getLogger(__name__)


class GroupDirectory:
    def __init__(self, context: GroupContext) -> None:
        self._sessions, self._settings = context.sessions, context.settings
        self._desk, self._text = context.desk, context.text

    async def refresh(self, guild_id: int) -> None:
        """The directory message in the working-groups channel: kept current, never duplicated."""
        settings = await self._settings.get(guild_id)
        channel_id = settings.channel(ChannelPurpose.WORKING_GROUPS)
        if channel_id is None:
            return
        async with self._sessions() as session:
            repo = GroupRepository(session)
            listed = [g for g in await repo.all(guild_id) if listed_in_directory(g)]
            known = await repo.directory(guild_id)
        card = self._text.directory(guild_id, listed, settings.language)
        try:
            if known is not None and known[0] == channel_id:
                await self._desk.edit_card(channel_id, known[1], card)
                return
        except DeliveryError as exc:
            log.info("directory message gone, posting a new one: %s", exc.reason)
        try:
            message_id = await self._desk.post_card(channel_id, card)
        except DeliveryError as exc:  # the directory is a convenience: the change itself stands
            log.warning("directory not updated: %s", exc.reason)
            return
        async with self._sessions.begin() as session:
            await GroupRepository(session).save_directory(guild_id, channel_id, message_id)

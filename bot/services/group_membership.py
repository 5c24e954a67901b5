"""Who is in a working group: joining (or asking to), leads' decisions on requests, leaving, the member
list, and adding or removing leads. The group's role and channel access follow each change."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.domain.groups import Group, Visibility
from bot.errors import UserError
from bot.services.group_access import Actor, GroupAccess
from bot.services.group_context import GroupContext
from bot.services.group_sync import GroupSync
from bot.services.ports import DeliveryError
from db.repositories.groups import GroupRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MemberList:
    names: tuple[str, ...] | None  # None when the viewer may only see a count
    count: int
    leads: tuple[str, ...]


class GroupMembership:
    def __init__(self, context: GroupContext, access: GroupAccess, sync: GroupSync) -> None:
        self._sessions, self._clock, self._settings = context.sessions, context.clock, context.settings
        self._admin, self._desk, self._text = context.admin, context.desk, context.text
        self._access = access
        self._sync = sync

    async def join(self, guild_id: int, name: str, user_id: int) -> str:
        """`joined`, `requested` or `already`. Private groups are joined by a lead's invitation only."""
        group = await self._access.find_as(guild_id, name, user_id)
        if group.archived:
            raise UserError("groups.error.archived", name=group.name)
        async with self._sessions.begin() as session:
            repo = GroupRepository(session)
            if await repo.membership(group.id, user_id) is not None:
                return "already"
            if group.visibility is Visibility.OPEN:
                await repo.add_member(group.id, user_id, self._clock.now())
            else:
                request = await repo.add_request(group.id, user_id, self._clock.now())
        if group.visibility is Visibility.OPEN:
            assert group.role_id is not None
            await self._admin.add_role(guild_id, user_id, group.role_id)
            return "joined"
        if not request.new:
            return "requested"  # asked again: the leads already have the first request
        settings = await self._settings.get(guild_id)
        assert group.channel_id is not None
        name_shown = self._admin.display_name(guild_id, user_id)
        await self._desk.post_card(
            group.channel_id, self._text.request_card(group, request.id, name_shown, settings.language)
        )
        return "requested"

    async def decide(self, request_id: int, actor: Actor, approve: bool) -> tuple[Group, str]:
        async with self._sessions() as session:
            request = await GroupRepository(session).request(request_id)
        if request is None:
            raise UserError("groups.error.unknown_request")
        group = await self._access.fetch(request.group_id)
        await self._access.require_lead(group, actor)
        async with self._sessions.begin() as session:
            repo = GroupRepository(session)
            if not await repo.decide_request(
                request_id, "approved" if approve else "denied", self._clock.now()
            ):
                raise UserError("groups.error.already_decided")
            if approve:
                await repo.add_member(group.id, request.user_id, self._clock.now())
        if approve and group.role_id is not None:
            await self._admin.add_role(group.guild_id, request.user_id, group.role_id)
        try:
            await self._desk.send_dm(
                request.user_id,
                self._text.outcome_dm(
                    group, approve, await self._settings.dm_langs([group.guild_id], request.user_id)
                ),
            )
        except DeliveryError as exc:
            log.info("join outcome not sent by DM: %s", exc.reason)
        return group, self._admin.display_name(group.guild_id, request.user_id)

    async def leave(self, guild_id: int, name: str, user_id: int) -> Group:
        group = await self._access.find_as(guild_id, name, user_id)
        async with self._sessions.begin() as session:
            removed = await GroupRepository(session).remove_member(group.id, user_id)
        if not removed:
            raise UserError("groups.error.not_member", name=group.name)
        await self._revoke(group, user_id)
        return group

    async def _revoke(self, group: Group, user_id: int) -> None:
        """Access goes before or with the role, never after. First one channel edit drops the leaver's lead
        overwrite and, unless the group is open, denies them the channel; then the role goes; then the
        overwrites are rewritten from the database without them. A failure between the steps leaves them
        locked out, never reading a private group they left."""
        if group.channel_id is not None and group.role_id is not None:
            shut_out = await self._sync.overwrites(
                await self._access.fetch(group.id), shut_out=frozenset({user_id})
            )
            await self._admin.update_channel(group.channel_id, overwrites=shut_out)
        if group.role_id is not None:
            await self._admin.remove_role(group.guild_id, user_id, group.role_id)
        await self._sync.refresh(group.id)

    async def members(self, guild_id: int, name: str, actor: Actor) -> MemberList:
        group = await self._access.find_visible(guild_id, name, actor)
        async with self._sessions() as session:
            members = await GroupRepository(session).members(group.id)
        leads = tuple(self._admin.display_name(guild_id, m.user_id) for m in members if m.lead)
        viewer = next((m for m in members if m.user_id == actor.user_id), None)
        if actor.facilitator or (viewer is not None and viewer.lead):
            return MemberList(
                tuple(self._admin.display_name(guild_id, m.user_id) for m in members), len(members), leads
            )
        return MemberList(None, len(members), leads)

    async def set_lead(self, guild_id: int, name: str, user_id: int, actor: Actor, lead: bool) -> Group:
        group = await self._access.find_led(guild_id, name, actor)
        async with self._sessions.begin() as session:
            repo = GroupRepository(session)
            if lead:
                await repo.add_member(group.id, user_id, self._clock.now(), lead=True)
            elif await repo.membership(group.id, user_id) is None:
                raise UserError("groups.error.not_member", name=group.name)
            else:
                await repo.set_lead(group.id, user_id, False)
        if lead and group.role_id is not None:
            await self._admin.add_role(guild_id, user_id, group.role_id)
        await self._sync.refresh(group.id)
        return group

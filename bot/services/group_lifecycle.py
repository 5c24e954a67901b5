"""A working group's life on Discord: created (and finished after a crash), archived and brought back,
reported to facilitators when quiet, and checked at start for a channel or role deleted by hand."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta

from bot.domain.groups import DESCRIPTION_MAX, Group, Visibility, check_length, slug_for
from bot.domain.refs import PermissionNames
from bot.domain.settings import ChannelPurpose
from bot.domain.shards import every_guild
from bot.errors import UserError
from bot.services.group_access import GroupAccess
from bot.services.group_context import GroupContext
from bot.services.group_directory import GroupDirectory
from bot.services.group_sync import GroupSync
from bot.services.ports import Card, DeliveryError
from db.repositories.groups import GroupRepository

log = logging.getLogger(__name__)
NEEDED_TO_CREATE = ("manage_roles", "manage_channels")
INACTIVE_AFTER = timedelta(days=90)


class GroupLifecycle:
    def __init__(
        self,
        context: GroupContext,
        access: GroupAccess,
        sync: GroupSync,
        directory: GroupDirectory,
        inactive_after: timedelta = INACTIVE_AFTER,
        owns: Callable[[int], bool] = every_guild,
    ) -> None:
        self._sessions, self._clock, self._settings = context.sessions, context.clock, context.settings
        self._admin, self._desk, self._text = context.admin, context.desk, context.text
        self._access = access
        self._sync = sync
        self._directory = directory
        self._owns = owns  # this process's guilds (bot/domain/shards.py): only they are checked here
        self._inactive_after = inactive_after
        self._started_at = context.clock.now()  # creations begun before this belong to a process that died

    # --- creation -------------------------------------------------------------------------------
    async def create(
        self, guild_id: int, name: str, description: str, visibility: Visibility, lead_id: int
    ) -> Group:
        slug = slug_for(name)
        description = check_length(description, DESCRIPTION_MAX, "groups.error.too_long")
        facts = self._admin.facts(guild_id)
        missing = [p for p in NEEDED_TO_CREATE if p not in facts.bot_permissions]
        if missing:
            raise UserError("groups.error.bot_missing", permissions=PermissionNames(tuple(missing)))
        async with self._sessions.begin() as session:
            repo = GroupRepository(session)
            if await repo.by_slug(guild_id, slug) is not None:
                raise UserError("groups.error.duplicate", name=name)
            await self._settings.ensure_in(session, guild_id)
            group = await repo.add(
                guild_id, " ".join(name.split()), slug, description, visibility, self._clock.now()
            )
            await repo.add_member(group.id, lead_id, self._clock.now(), lead=True)
        try:
            await self._build(group, (lead_id,))
        except DeliveryError as exc:
            log.warning("working group creation failed: %s", exc.reason)
            await self._undo_build(group.id)
            async with self._sessions.begin() as session:  # the name stays free for a retry
                await GroupRepository(session).delete(group.id)
            raise UserError("groups.error.discord_refused", name=group.name) from None
        await self._directory.refresh(guild_id)
        return await self._access.fetch(group.id)

    async def _build(self, group: Group, lead_ids: Sequence[int]) -> None:
        """Role, channel, leads' role, pinned charter: each step saved once done, so a creation cut
        short by a crash resumes where it stopped (`finish_unbuilt`) instead of starting over."""
        language = await self._sync.language(group.guild_id)
        role_id = group.role_id
        if role_id is None:
            role_id = await self._admin.create_role(group.guild_id, self._text.role_name(group, language))
            await self._sync.save(group.id, role_id=role_id)
            group = await self._access.fetch(group.id)
        channel_id = group.channel_id
        if channel_id is None:
            category_id = await self._admin.category_with_room(group.guild_id, self._text.category(language))
            channel_id = await self._admin.create_text_channel(
                group.guild_id,
                self._text.channel_name(group, language),
                category_id,
                await self._sync.overwrites(group),
                group.description[:1024],
            )
            await self._sync.save(group.id, channel_id=channel_id)
            group = await self._access.fetch(group.id)
        for lead_id in lead_ids:
            await self._admin.add_role(group.guild_id, lead_id, role_id)
        card = await self._sync.charter(group)
        message_id = await self._desk.post_card(channel_id, card, nonce=f"wgc{group.id}")
        await self._admin.pin(channel_id, message_id)
        await self._sync.save(group.id, charter_message_id=message_id)

    async def finish_unbuilt(self, guild_id: int) -> list[Group]:
        """At start: groups whose creation was cut short (the process died mid-way) are completed.
        Only those begun before this process started: a creation running now is not ours to finish."""
        async with self._sessions() as session:
            repo = GroupRepository(session)
            unbuilt = [
                g
                for g in await repo.all(guild_id)
                if g.charter_message_id is None and not g.archived and g.created_at < self._started_at
            ]
            leads = {g.id: [m.user_id for m in await repo.members(g.id) if m.lead] for g in unbuilt}
        for group in unbuilt:
            await self._build(group, leads[group.id])
        if unbuilt:
            await self._directory.refresh(guild_id)
        return unbuilt

    async def _undo_build(self, group_id: int) -> None:
        """Best effort: delete what a refused creation left on Discord, so a retry makes one of each."""
        group = await self._access.fetch(group_id)
        try:
            if group.channel_id is not None:
                await self._admin.discard_channel(group.channel_id)
            if group.role_id is not None:
                await self._admin.discard_role(group.guild_id, group.role_id)
        except DeliveryError as exc:
            log.warning("a refused working group creation left something behind: %s", exc.reason)

    # --- archive --------------------------------------------------------------------------------
    async def set_archived(self, guild_id: int, name: str, archived: bool) -> Group:
        group = await self._access.find(guild_id, name)
        if group.archived == archived:
            raise UserError(
                "groups.error.already_archived" if archived else "groups.error.not_archived", name=group.name
            )
        # Discord first, then the database: a refused move can simply be retried.
        present = group.channel_id is not None and self._admin.channel_exists(guild_id, group.channel_id)
        if present and group.channel_id is not None and group.role_id is not None:
            try:
                category = await self._admin.category_with_room(
                    guild_id, self._text.category(await self._sync.language(guild_id), archived=archived)
                )
                changed = await self._sync.overwrites(replace(group, archived=archived))
                await self._admin.update_channel(group.channel_id, category_id=category, overwrites=changed)
            except DeliveryError as exc:
                log.warning("archive change refused: %s", exc.reason)
                raise UserError("groups.error.discord_refused", name=group.name) from None
        await self._sync.save(group.id, archived=archived, inactive_reported_at=None)
        if present:
            await self._sync.refresh(group.id)
        await self._directory.refresh(guild_id)
        return await self._access.fetch(group.id)

    # --- checks ---------------------------------------------------------------------------------
    async def check_inactive(self, guild_id: int) -> list[Group]:
        """Groups without a message for the configured time, reported once to facilitators."""
        now = self._clock.now()
        async with self._sessions() as session:
            repo = GroupRepository(session)
            candidates = [g for g in await repo.all(guild_id) if not g.archived and g.channel_id]
            stale = []
            for group in candidates:
                assert group.channel_id is not None
                last = await self._admin.last_activity(group.channel_id) or group.created_at
                reported = await repo.inactive_reported_at(group.id)
                if now - last >= self._inactive_after and (reported is None or reported < last):
                    stale.append(group)
        if stale and await self._tell_facilitators(
            guild_id,
            self._text.inactive(stale, self._inactive_after.days, await self._sync.language(guild_id)),
        ):  # a report that could not be posted is tried again next week
            for group in stale:
                await self._sync.save(group.id, inactive_reported_at=now)
        return stale

    async def reconcile(self, guild_id: int) -> list[Group]:
        """At start: groups whose channel or role was deleted by hand are reported, never crashed on."""
        async with self._sessions() as session:
            groups = [g for g in await GroupRepository(session).all(guild_id) if g.channel_id or g.role_id]
        broken = [
            g
            for g in groups
            if (g.channel_id and not self._admin.channel_exists(guild_id, g.channel_id))
            or (g.role_id and not self._admin.role_exists(guild_id, g.role_id))
        ]
        if broken:
            await self._tell_facilitators(
                guild_id, self._text.broken(broken, await self._sync.language(guild_id))
            )
        return broken

    async def guilds(self) -> list[int]:
        async with self._sessions() as session:
            return await GroupRepository(session).guilds()

    async def check_all_inactive(self) -> None:
        """The weekly timer: every guild's quiet groups, each failure logged and the rest carried on."""
        for guild_id in filter(self._owns, await self.guilds()):
            try:
                await self.check_inactive(guild_id)
            except DeliveryError as exc:
                log.warning("inactivity check skipped for one guild: %s", exc.reason)

    async def reconcile_all(self) -> None:
        for guild_id in filter(self._owns, await self.guilds()):
            try:
                await self.finish_unbuilt(guild_id)
                await self.reconcile(guild_id)
            except DeliveryError as exc:
                log.warning("reconciliation skipped for one guild: %s", exc.reason)

    async def _tell_facilitators(self, guild_id: int, card: Card) -> bool:
        settings = await self._settings.get(guild_id)
        channel = settings.channel(ChannelPurpose.FACILITATORS)
        if channel is None:
            log.warning("no facilitators channel to report working-group problems to")
            return False
        try:
            await self._desk.post_card(channel, card)
        except DeliveryError as exc:
            log.warning("could not report to facilitators: %s", exc.reason)
            return False
        return True

"""Working groups: create, join, lead, announce, archive, reconcile; participation for honoraria.

Permission rules live in bot/domain/groups.py; this module keeps the database and Discord in step.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.groups import (
    ANNOUNCE_MAX,
    CADENCE_MAX,
    DESCRIPTION_MAX,
    Group,
    Visibility,
    check_length,
    listed_in_directory,
    overwrites,
    slug_for,
)
from bot.domain.refs import PermissionNames
from bot.domain.settings import ChannelPurpose, RolePurpose
from bot.domain.shards import every_guild
from bot.errors import UserError
from bot.services.group_text import GroupText
from bot.services.ports import Card, DeliveryError, GuildAdmin, PermissionOverwrite, QuestionDesk
from bot.services.settings import SettingsService
from db.repositories.groups import GroupRepository

log = logging.getLogger(__name__)
NEEDED_TO_CREATE = ("manage_roles", "manage_channels")
INACTIVE_AFTER = timedelta(days=90)


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the cog knows them: their id and whether they are a facilitator."""

    user_id: int
    facilitator: bool


@dataclass(frozen=True)
class MemberList:
    names: tuple[str, ...] | None  # None when the viewer may only see a count
    count: int
    leads: tuple[str, ...]


class GroupService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: SettingsService,
        admin: GuildAdmin,
        desk: QuestionDesk,
        text: GroupText,
        inactive_after: timedelta = INACTIVE_AFTER,
        owns: Callable[[int], bool] = every_guild,
    ) -> None:
        self._sessions = sessions
        self._owns = owns  # this process's guilds (bot/domain/shards.py): only they are checked here
        self._clock = clock
        self._settings = settings
        self._admin = admin
        self._desk = desk
        self._text = text
        self._inactive_after = inactive_after
        self._started_at = clock.now()  # creations begun before this belong to a process that died

    @property
    def text(self) -> GroupText:
        """What the working-groups cog replies with."""
        return self._text

    # --- lookups --------------------------------------------------------------------------------
    async def find(self, guild_id: int, name: str) -> Group:
        async with self._sessions() as session:
            group = await GroupRepository(session).by_slug(guild_id, slug_for(name))
        if group is None:
            raise UserError("groups.error.unknown", name=name)
        return group

    async def visible_to(self, guild_id: int, actor: Actor) -> list[Group]:
        async with self._sessions() as session:
            repo = GroupRepository(session)
            groups = await repo.all(guild_id)
            return [g for g in groups if await self._may_see(repo, g, actor)]

    async def _may_see(self, repo: GroupRepository, group: Group, actor: Actor) -> bool:
        if group.visibility is not Visibility.PRIVATE or actor.facilitator:
            return True
        return await repo.membership(group.id, actor.user_id) is not None

    async def require_lead(self, group: Group, actor: Actor) -> None:
        """Leads of the group and facilitators pass; anyone else is refused (a private group stays unknown)."""
        if actor.facilitator:
            return
        async with self._sessions() as session:
            membership = await GroupRepository(session).membership(group.id, actor.user_id)
        if membership is None and group.visibility is Visibility.PRIVATE:
            raise UserError("groups.error.unknown", name=group.name)  # never confirm a private group
        if membership is None or not membership.lead:
            raise UserError("groups.error.lead_only", name=group.name)

    async def _find_as(self, guild_id: int, name: str, user_id: int, *, facilitator: bool = False) -> Group:
        """The group, unless it is private and `user_id` is not in it: then it is unknown to them."""
        group = await self.find(guild_id, name)
        if group.visibility is Visibility.PRIVATE and not facilitator:
            async with self._sessions() as session:
                if await GroupRepository(session).membership(group.id, user_id) is None:
                    raise UserError("groups.error.unknown", name=name)
        return group

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
        await self.refresh_directory(guild_id)
        return await self._get(group.id)

    async def _build(self, group: Group, lead_ids: Sequence[int]) -> None:
        """Role, channel, leads' role, pinned charter: each step saved once done, so a creation cut
        short by a crash resumes where it stopped (`finish_unbuilt`) instead of starting over."""
        language = await self._language(group.guild_id)
        role_id = group.role_id
        if role_id is None:
            role_id = await self._admin.create_role(group.guild_id, self._text.role_name(group, language))
            await self._save(group.id, role_id=role_id)
            group = await self._get(group.id)
        channel_id = group.channel_id
        if channel_id is None:
            category_id = await self._admin.category_with_room(group.guild_id, self._text.category(language))
            channel_id = await self._admin.create_text_channel(
                group.guild_id,
                self._text.channel_name(group, language),
                category_id,
                await self._overwrites(group),
                group.description[:1024],
            )
            await self._save(group.id, channel_id=channel_id)
            group = await self._get(group.id)
        for lead_id in lead_ids:
            await self._admin.add_role(group.guild_id, lead_id, role_id)
        card = await self._charter(group)
        message_id = await self._desk.post_card(channel_id, card, nonce=f"wgc{group.id}")
        await self._admin.pin(channel_id, message_id)
        await self._save(group.id, charter_message_id=message_id)

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
            await self.refresh_directory(guild_id)
        return unbuilt

    async def _undo_build(self, group_id: int) -> None:
        """Best effort: delete what a refused creation left on Discord, so a retry makes one of each."""
        group = await self._get(group_id)
        try:
            if group.channel_id is not None:
                await self._admin.discard_channel(group.channel_id)
            if group.role_id is not None:
                await self._admin.discard_role(group.guild_id, group.role_id)
        except DeliveryError as exc:
            log.warning("a refused working group creation left something behind: %s", exc.reason)

    async def _overwrites(
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

    async def _charter(self, group: Group) -> Card:
        settings = await self._settings.get(group.guild_id)
        async with self._sessions() as session:
            members = await GroupRepository(session).members(group.id)
        leads = tuple(self._admin.display_name(group.guild_id, m.user_id) for m in members if m.lead)
        return self._text.charter(group, leads, settings.language)

    async def _refresh_group(self, group_id: int) -> None:
        """Charter and permissions follow the database after any change."""
        group = await self._get(group_id)
        if group.channel_id is None or group.role_id is None:
            return
        await self._admin.update_channel(group.channel_id, overwrites=await self._overwrites(group))
        if group.charter_message_id is not None:
            await self._desk.edit_card(group.channel_id, group.charter_message_id, await self._charter(group))

    # --- membership -----------------------------------------------------------------------------
    async def join(self, guild_id: int, name: str, user_id: int) -> str:
        """`joined`, `requested` or `already`. Private groups are joined by a lead's invitation only."""
        group = await self._find_as(guild_id, name, user_id)
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
        group = await self._get(request.group_id)
        await self.require_lead(group, actor)
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
        group = await self._find_as(guild_id, name, user_id)
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
            shut_out = await self._overwrites(await self._get(group.id), shut_out=frozenset({user_id}))
            await self._admin.update_channel(group.channel_id, overwrites=shut_out)
        if group.role_id is not None:
            await self._admin.remove_role(group.guild_id, user_id, group.role_id)
        await self._refresh_group(group.id)

    async def members(self, guild_id: int, name: str, actor: Actor) -> MemberList:
        group = await self._visible_group(guild_id, name, actor)
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
        group = await self._find_as(guild_id, name, actor.user_id, facilitator=actor.facilitator)
        await self.require_lead(group, actor)
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
        await self._refresh_group(group.id)
        return group

    # --- leads ----------------------------------------------------------------------------------
    async def edit(
        self, guild_id: int, name: str, actor: Actor, description: str | None, cadence: str | None
    ) -> Group:
        group = await self._find_as(guild_id, name, actor.user_id, facilitator=actor.facilitator)
        await self.require_lead(group, actor)
        changes: dict[str, object] = {}
        if description is not None:
            changes["description"] = check_length(description, DESCRIPTION_MAX, "groups.error.too_long")
        if cadence is not None:
            changes["cadence"] = check_length(cadence, CADENCE_MAX, "groups.error.too_long")
        await self._save(group.id, **changes)
        await self._refresh_group(group.id)
        if group.channel_id and "description" in changes:
            await self._admin.update_channel(group.channel_id, topic=str(changes["description"])[:1024])
        await self.refresh_directory(guild_id)
        return await self._get(group.id)

    async def announce(self, guild_id: int, name: str, actor: Actor, text: str, ping: bool) -> Group:
        group = await self._find_as(guild_id, name, actor.user_id, facilitator=actor.facilitator)
        await self.require_lead(group, actor)
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

    # --- lifecycle ------------------------------------------------------------------------------
    async def set_archived(self, guild_id: int, name: str, archived: bool) -> Group:
        group = await self.find(guild_id, name)
        if group.archived == archived:
            raise UserError(
                "groups.error.already_archived" if archived else "groups.error.not_archived", name=group.name
            )
        # Discord first, then the database: a refused move can simply be retried.
        present = group.channel_id is not None and self._admin.channel_exists(guild_id, group.channel_id)
        if present and group.channel_id is not None and group.role_id is not None:
            try:
                category = await self._admin.category_with_room(
                    guild_id, self._text.category(await self._language(guild_id), archived=archived)
                )
                changed = await self._overwrites(replace(group, archived=archived))
                await self._admin.update_channel(group.channel_id, category_id=category, overwrites=changed)
            except DeliveryError as exc:
                log.warning("archive change refused: %s", exc.reason)
                raise UserError("groups.error.discord_refused", name=group.name) from None
        await self._save(group.id, archived=archived, inactive_reported_at=None)
        if present:
            await self._refresh_group(group.id)
        await self.refresh_directory(guild_id)
        return await self._get(group.id)

    async def refresh_directory(self, guild_id: int) -> None:
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
            guild_id, self._text.inactive(stale, self._inactive_after.days, await self._language(guild_id))
        ):  # a report that could not be posted is tried again next week
            for group in stale:
                await self._save(group.id, inactive_reported_at=now)
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
            await self._tell_facilitators(guild_id, self._text.broken(broken, await self._language(guild_id)))
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

    # --- honoraria ------------------------------------------------------------------------------
    async def opt_in(self, guild_id: int, user_id: int, opted_in: bool) -> None:
        async with self._sessions.begin() as session:
            repo = GroupRepository(session)
            await self._settings.ensure_in(session, guild_id)
            if opted_in:
                await repo.opt_in(guild_id, user_id, self._clock.now())
            else:
                await repo.opt_out(guild_id, user_id)

    async def record_attendance(
        self, guild_id: int, name: str, actor: Actor, meeting_date: date, user_ids: list[int]
    ) -> tuple[int, int]:
        """(recorded, skipped): only members who opted in are recorded."""
        group = await self._find_as(guild_id, name, actor.user_id, facilitator=actor.facilitator)
        await self.require_lead(group, actor)
        if meeting_date > self._clock.now().date():
            raise UserError("groups.error.future_date", date=meeting_date)
        async with self._sessions.begin() as session:
            repo = GroupRepository(session)
            opted = await repo.opted_in(guild_id)
            recorded = [u for u in dict.fromkeys(user_ids) if u in opted]
            for user_id in recorded:
                await repo.record_attendance(group.id, meeting_date, user_id, self._clock.now())
        return len(recorded), len(set(user_ids)) - len(recorded)

    async def export(self, guild_id: int, start: date, end: date) -> str:
        """CSV of recorded participation by opted-in members, for facilitators only (headers in the
        guild's language)."""
        if end < start:
            raise UserError("groups.error.bad_range")
        async with self._sessions() as session:
            records = await GroupRepository(session).attendance(guild_id, start, end)
        out = io.StringIO()
        writer = csv.writer(out)
        language = await self._language(guild_id)
        writer.writerow(self._text.csv_header(language))
        for record in records:
            writer.writerow(
                [
                    record.meeting_date.isoformat(),
                    _cell(record.group_name),
                    _cell(self._admin.display_name(guild_id, record.user_id)),
                    str(record.user_id),
                ]
            )
        return out.getvalue()

    async def export_filename(self, guild_id: int, start: date, end: date) -> str:
        return self._text.export_filename(await self._language(guild_id), start, end)

    # --- helpers --------------------------------------------------------------------------------
    async def _visible_group(self, guild_id: int, name: str, actor: Actor) -> Group:
        group = await self.find(guild_id, name)
        async with self._sessions() as session:
            if not await self._may_see(GroupRepository(session), group, actor):
                raise UserError("groups.error.unknown", name=name)
        return group

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

    async def _language(self, guild_id: int) -> str:
        return (await self._settings.get(guild_id)).language

    async def _save(self, group_id: int, **values: object) -> None:
        if values:
            async with self._sessions.begin() as session:
                await GroupRepository(session).update(group_id, **values)

    async def get(self, group_id: int) -> Group | None:
        async with self._sessions() as session:
            return await GroupRepository(session).get(group_id)

    async def _get(self, group_id: int) -> Group:
        async with self._sessions() as session:
            group = await GroupRepository(session).get(group_id)
        if group is None:
            raise UserError("groups.error.unknown", name=str(group_id))
        return group


def _cell(text: str) -> str:
    """A spreadsheet must not run a name beginning with = + - or @ as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text

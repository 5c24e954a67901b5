"""Members: community roles (kept in Discord, never in the database), the welcome DM, the membership
report and the members' part of forget-me. Knows nothing of Discord: ids and plain values in and out."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.members import (
    DEFAULT_MIN_COUNT,
    CommunityRole,
    MemberFacts,
    MembershipReport,
    membership_report,
    role_change,
)
from bot.domain.settings import ChannelPurpose
from bot.errors import UserError
from bot.i18n import guild_langs
from bot.services.community import CommunityService
from bot.services.members_text import MembersText
from bot.services.ports import DeliveryError, QuestionDesk
from bot.services.settings import SettingsService
from db.repositories.members import MembersRepository

log = logging.getLogger(__name__)
WELCOME_ONCE_WITHIN = timedelta(days=1)


class RoleAdmin(Protocol):
    """The Discord side of community roles."""

    def role_exists(self, guild_id: int, role_id: int) -> bool: ...

    async def create_role(self, guild_id: int, name: str) -> int: ...

    def role_name(self, guild_id: int, role_id: int) -> str | None: ...

    async def rename_role(self, guild_id: int, role_id: int, name: str) -> None: ...

    async def add_role(self, guild_id: int, user_id: int, role_id: int) -> None: ...

    async def remove_role(self, guild_id: int, user_id: int, role_id: int) -> None: ...


@dataclass(frozen=True)
class RoleOption:
    key: str
    label: str
    held: bool


@dataclass(frozen=True)
class RolesChanged:
    added: tuple[CommunityRole, ...]
    removed: tuple[CommunityRole, ...]


class MembersService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: SettingsService,
        community: CommunityService,
        admin: RoleAdmin,
        desk: QuestionDesk,
        text: MembersText,
        tag_key: bytes,
        roles: Sequence[CommunityRole],
        min_count: int = DEFAULT_MIN_COUNT,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._settings = settings
        self._community = community
        self._admin = admin
        self._desk = desk
        self._text = text
        self._tag_key = tag_key
        self._roles = tuple(roles)
        self._min_count = min_count
        self._role_locks: dict[int, asyncio.Lock] = {}  # one creator per guild: no duplicate roles

    @property
    def text(self) -> MembersText:
        return self._text

    @property
    def roles(self) -> tuple[CommunityRole, ...]:
        return self._roles

    # --- community roles --------------------------------------------------------------------------
    async def ensure_roles(self, guild_id: int) -> dict[str, int]:
        """key → Discord role id, creating (in the guild's language) any role missing or deleted by hand."""
        known = await self._role_ids(guild_id)
        if not self._missing(guild_id, known):
            return known
        async with self._role_locks.setdefault(guild_id, asyncio.Lock()):
            known = await self._role_ids(guild_id)  # another member's /roles may have just made them
            missing = self._missing(guild_id, known)
            if not missing:
                return known
            language = (await self._settings.get(guild_id)).language
            created = {r.key: await self._admin.create_role(guild_id, r.role_name(language)) for r in missing}
            async with self._sessions.begin() as session:
                await self._settings.ensure_in(session, guild_id)
                repo = MembersRepository(session)
                for key, role_id in created.items():
                    await repo.set_role_id(guild_id, key, role_id)
            return {**known, **created}

    async def _role_ids(self, guild_id: int) -> dict[str, int]:
        async with self._sessions() as session:
            return await MembersRepository(session).role_ids(guild_id)

    def _missing(self, guild_id: int, known: dict[str, int]) -> list[CommunityRole]:
        return [
            r
            for r in self._roles
            if r.key not in known or not self._admin.role_exists(guild_id, known[r.key])
        ]

    async def options(self, guild_id: int, held_role_ids: frozenset[int], lang: str) -> list[RoleOption]:
        ids = await self.ensure_roles(guild_id)
        return [RoleOption(r.key, r.label(lang), ids[r.key] in held_role_ids) for r in self._roles]

    async def choose(
        self, guild_id: int, user_id: int, held_role_ids: frozenset[int], chosen_keys: Iterable[str]
    ) -> RolesChanged:
        """Makes the member's community roles exactly `chosen_keys`; their other roles are left alone."""
        ids = await self.ensure_roles(guild_id)
        by_id = {ids[r.key]: r for r in self._roles}
        unknown = set(chosen_keys) - set(ids)
        if unknown:
            raise UserError("members.error.unknown_role")
        change = role_change(frozenset(by_id), held_role_ids, frozenset(ids[k] for k in chosen_keys))
        try:
            for role_id in sorted(change.add):
                await self._admin.add_role(guild_id, user_id, role_id)
            for role_id in sorted(change.remove):
                await self._admin.remove_role(guild_id, user_id, role_id)
        except DeliveryError as exc:
            if exc.status == 403:  # the role was moved above the bot's, or Manage Roles was taken away
                raise UserError("members.error.cannot_assign") from None
            raise
        return RolesChanged(
            added=tuple(r for r in self._roles if ids[r.key] in change.add),
            removed=tuple(r for r in self._roles if ids[r.key] in change.remove),
        )

    async def rename_roles(self, guild_id: int, language: str) -> int:
        """Gives the managed roles their names in the guild's current language; how many changed."""
        ids = await self.ensure_roles(guild_id)
        renamed = 0
        for role in self._roles:
            wanted = role.role_name(language)
            if self._admin.role_name(guild_id, ids[role.key]) != wanted:
                await self._admin.rename_role(guild_id, ids[role.key], wanted)
                renamed += 1
        return renamed

    async def post_picker(self, guild_id: int) -> tuple[int, int]:
        """Posts (or refreshes) the role picker in the welcome channel, after naming the managed roles
        in the guild's language (it may have changed): (channel id, message id)."""
        settings = await self._settings.get(guild_id)
        channel_id = settings.channel(ChannelPurpose.WELCOME)
        if channel_id is None:
            raise UserError("members.error.no_welcome_channel")
        await self.rename_roles(guild_id, settings.language)
        card = self._text.picker(guild_id, guild_langs(settings.language))
        async with self._sessions() as session:
            stored = await MembersRepository(session).settings(guild_id)
        message_id = None
        if stored.picker_channel_id == channel_id and stored.picker_message_id is not None:
            try:
                await self._desk.edit_card(channel_id, stored.picker_message_id, card)
                message_id = stored.picker_message_id
            except DeliveryError as exc:
                if not exc.gone:
                    raise
        if message_id is None:
            message_id = await self._desk.post_card(channel_id, card)
        async with self._sessions.begin() as session:
            await self._settings.ensure_in(session, guild_id)
            repo = MembersRepository(session)
            current = await repo.settings(guild_id)
            await repo.save_settings(
                replace(current, picker_channel_id=channel_id, picker_message_id=message_id)
            )
        return channel_id, message_id

    # --- welcome ------------------------------------------------------------------------------------
    async def set_welcome(self, guild_id: int, enabled: bool) -> None:
        async with self._sessions.begin() as session:
            await self._settings.ensure_in(session, guild_id)
            repo = MembersRepository(session)
            await repo.save_settings(replace(await repo.settings(guild_id), welcome_enabled=enabled))

    async def welcome_enabled(self, guild_id: int) -> bool:
        async with self._sessions() as session:
            return (await MembersRepository(session).settings(guild_id)).welcome_enabled

    async def welcome(self, guild_id: int, user_id: int) -> bool:
        """DMs the welcome once per day per member; silent (False) when off, already sent, or DMs closed."""
        if not await self.welcome_enabled(guild_id):
            return False
        now = self._clock.now()
        tag = self._tag(guild_id, user_id)
        async with self._sessions.begin() as session:
            await self._settings.ensure_in(session, guild_id)  # so forget-me finds this guild's tag
            if not await MembersRepository(session).claim_welcome(tag, now, now - WELCOME_ONCE_WITHIN):
                return False
        language = (await self._settings.get(guild_id)).language
        card = self._text.welcome(await self._community.next_dropin(guild_id), guild_langs(language))
        try:
            return await self._desk.send_dm(user_id, card)  # False: DMs closed; the claim stays, no retry
        except DeliveryError as exc:
            log.info("welcome DM not sent: %s", exc.reason)
            return False

    async def purge_welcomes(self) -> int:
        async with self._sessions.begin() as session:
            return await MembersRepository(session).purge_welcomes(self._clock.now() - WELCOME_ONCE_WITHIN)

    async def forget(self, user_id: int) -> int:
        """The members' part of forget-me: the welcome-once records, in every guild."""
        async with self._sessions.begin() as session:
            repo = MembersRepository(session)
            return await repo.forget_welcomes([self._tag(g, user_id) for g in await repo.guilds()])

    def _tag(self, guild_id: int, user_id: int) -> str:
        message = b"welcome:%d:%d" % (guild_id, user_id)
        return hmac.new(self._tag_key, message, hashlib.sha256).hexdigest()

    # --- the membership report ------------------------------------------------------------------------
    async def report(self, guild_id: int, members: Iterable[MemberFacts]) -> MembershipReport:
        """Counts from the gateway's member cache (the caller passes it in): no request per member."""
        async with self._sessions() as session:
            ids = await MembersRepository(session).role_ids(guild_id)
        roles = [(role, ids.get(role.key)) for role in self._roles]
        return membership_report(members, roles, self._clock.now().date(), self._min_count)

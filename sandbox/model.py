"""The sandbox's in-memory world: users, its guilds, channels, messages, commands.

Most worlds hold one guild. A world may hold more (`Sandbox(guilds=2)`, for sharding): `world.guild` is
then the guild the current REST call, gateway frame or control call is about (`serving(guild_id)`,
set by the REST pipeline from the path, by the gateway per shard, by the control API's `?guild=`),
and the first guild otherwise.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.nonces import NonceRegistry
from sandbox.snowflakes import Clock, SnowflakeGenerator, iso, system_clock, utc

THREAD_TYPES = frozenset({10, 11, 12})
JSON = dict[str, Any]
_SERVING: ContextVar[int | None] = ContextVar("sandbox_serving_guild", default=None)


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    locale: str = "en-US"
    dms_open: bool = True


@dataclass
class Member:
    user_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(kw_only=True)  # from the sandbox clock: World.now_iso()
    communication_disabled_until: str | None = None


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int
    managed: bool = False
    mentionable: bool = False
    hoist: bool = False
    color: int = 0
    bot_id: int | None = None


@dataclass
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0


@dataclass
class Channel:
    id: int
    type: int
    name: str | None
    guild_id: int | None
    position: int = 0
    parent_id: int | None = None
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    topic: str | None = None
    nsfw: bool = False
    rate_limit_per_user: int = 0
    last_message_id: int | None = None
    recipient_id: int | None = None  # DM channels
    owner_id: int | None = None  # threads
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 4320
    created_at: str = field(kw_only=True)  # from the sandbox clock: World.now_iso()
    thread_member_ids: dict[int, str] = field(default_factory=dict)
    message_count: int = 0
    flags: int = 0  # channel flags; REQUIRE_TAG (1 << 4) on a forum
    available_tags: list[JSON] = field(default_factory=list)  # forum and media channels
    applied_tags: list[int] = field(default_factory=list)  # posts (threads) in a forum

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def is_dm(self) -> bool:
        return self.type == 1


@dataclass
class StoredMessage:
    payload: JSON
    channel_id: int
    ephemeral: bool = False
    interaction_id: int | None = None
    pinned_at: str | None = None

    @property
    def id(self) -> int:
        return int(self.payload["id"])


@dataclass
class StoredAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    preferred_locale: str = "en-US"
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    scheduled_events: dict[int, JSON] = field(default_factory=dict)
    created_at: str = field(kw_only=True)  # from the sandbox clock: World.now_iso()


class LookupFailed(ValueError):
    """A control-API reference (name or id) matched nothing."""


@dataclass
class World:
    ids: SnowflakeGenerator
    home: Guild
    application_id: int
    bot_user_id: int
    users: dict[int, User] = field(default_factory=dict)
    dm_channels: dict[int, Channel] = field(default_factory=dict)  # by recipient user id
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    channel_messages: dict[int, list[int]] = field(default_factory=dict)
    attachments: dict[int, StoredAttachment] = field(default_factory=dict)
    global_commands: list[JSON] = field(default_factory=list)
    guild_commands: list[JSON] = field(default_factory=list)
    commands_synced: bool = False
    http_base: str = ""
    clock: Clock = system_clock
    nonces: NonceRegistry = field(default_factory=NonceRegistry)
    guilds: dict[int, Guild] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.guilds.setdefault(self.home.id, self.home)

    @property
    def guild(self) -> Guild:
        """The guild being served (see the module's docstring); the first guild by default."""
        current = _SERVING.get()
        return self.guilds.get(current, self.home) if current is not None else self.home

    def set_serving(self, guild_id: int | None) -> None:
        """For the rest of the current task (an aiohttp request): `guild` is this guild."""
        _SERVING.set(guild_id if guild_id in self.guilds else None)

    @contextlib.contextmanager
    def serving(self, guild_id: int | None) -> Iterator[Guild]:
        token = _SERVING.set(guild_id if guild_id in self.guilds else None)
        try:
            yield self.guild
        finally:
            _SERVING.reset(token)

    def guild_of_channel(self, channel_id: int) -> Guild | None:
        return next((g for g in self.guilds.values() if channel_id in g.channels), None)

    def now(self) -> datetime:
        """Discord-time: the sandbox clock's now, in UTC."""
        return utc(self.clock())

    def now_iso(self) -> str:
        return iso(self.now())

    @property
    def bot_user(self) -> User:
        return self.users[self.bot_user_id]

    @property
    def bot_member(self) -> Member:
        return self.guild.members[self.bot_user_id]

    def channel(self, channel_id: int) -> Channel | None:
        found = self.guild.channels.get(channel_id)
        if found is not None:
            return found
        other = self.guild_of_channel(channel_id)
        if other is not None:
            return other.channels[channel_id]
        for dm in self.dm_channels.values():
            if dm.id == channel_id:
                return dm
        return None

    def find_user(self, ref: str | int) -> User:
        text = str(ref)
        if text.isdigit() and int(text) in self.users:
            return self.users[int(text)]
        for user in self.users.values():
            if user.username == text:
                return user
        known = sorted(u.username for u in self.users.values())
        raise LookupFailed(f"unknown user {ref!r}; known users: {known}")

    def find_channel(self, ref: str | int) -> Channel:
        text = str(ref).lstrip("#")
        if text.isdigit():
            found = self.channel(int(text))
            if found is not None:
                return found
        for channel in self.guild.channels.values():
            if channel.name == text:
                return channel
        known = sorted(c.name or str(c.id) for c in self.guild.channels.values())
        raise LookupFailed(f"unknown channel {ref!r}; known channels: {known}")

    def find_role(self, ref: str | int) -> Role:
        text = str(ref)
        if text.isdigit() and int(text) in self.guild.roles:
            return self.guild.roles[int(text)]
        for role in self.guild.roles.values():
            if role.name == text:
                return role
        known = sorted(r.name for r in self.guild.roles.values())
        raise LookupFailed(f"unknown role {ref!r}; known roles: {known}")

    def dm_channel_for(self, user_id: int) -> Channel:
        existing = self.dm_channels.get(user_id)
        if existing is None:
            existing = Channel(
                id=self.ids.next(),
                type=1,
                name=None,
                guild_id=None,
                recipient_id=user_id,
                created_at=self.now_iso(),
            )
            self.dm_channels[user_id] = existing
            self.channel_messages[existing.id] = []
        return existing

    def add_message(self, stored: StoredMessage) -> None:
        self.messages[stored.id] = stored
        self.channel_messages.setdefault(stored.channel_id, []).append(stored.id)
        channel = self.channel(stored.channel_id)
        if channel is not None and not stored.ephemeral:
            channel.last_message_id = stored.id
            channel.message_count += 1

    def remove_message(self, message_id: int) -> StoredMessage | None:
        stored = self.messages.pop(message_id, None)
        if stored is not None:
            ids = self.channel_messages.get(stored.channel_id, [])
            if message_id in ids:
                ids.remove(message_id)
        return stored

    def visible_messages(self, channel_id: int) -> list[StoredMessage]:
        ids = self.channel_messages.get(channel_id, [])
        return [self.messages[i] for i in ids if i in self.messages and not self.messages[i].ephemeral]

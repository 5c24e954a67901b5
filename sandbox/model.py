"""The sandbox's in-memory world: users, one guild, channels, messages, commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.nonces import NonceRegistry
from sandbox.snowflakes import Clock, SnowflakeGenerator, iso, system_clock, utc

THREAD_TYPES = frozenset({10, 11, 12})
JSON = dict[str, Any]


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
    guild: Guild
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

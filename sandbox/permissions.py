"""Discord's permission arithmetic: base permissions from roles, then channel overwrites."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import discord

if TYPE_CHECKING:
    from sandbox.model import Channel, Guild, Member

FLAGS: dict[str, int] = dict(discord.Permissions.VALID_FLAGS)
ALL_PERMISSIONS: int = discord.Permissions.all().value
ADMINISTRATOR = FLAGS["administrator"]
VIEW_CHANNEL = FLAGS["view_channel"]
SEND_MESSAGES = FLAGS["send_messages"]


def perm(*names: str) -> int:
    value = 0
    for name in names:
        if name not in FLAGS:
            raise ValueError(f"unknown permission {name!r}; known: {sorted(FLAGS)}")
        value |= FLAGS[name]
    return value


def names_or_value(spec: int | str | Iterable[str]) -> int:
    """Accept an int, a decimal string, or a list of permission names."""
    if isinstance(spec, bool):
        raise ValueError("permissions must be an int or a list of names")
    if isinstance(spec, int):
        return spec
    if isinstance(spec, str):
        if spec.isdigit():
            return int(spec)
        return perm(spec)
    return perm(*spec)


def value_to_names(value: int) -> list[str]:
    seen: dict[int, str] = {}
    for name, bit in FLAGS.items():
        seen.setdefault(bit, name)
    return [name for bit, name in seen.items() if value & bit]


def base_permissions(guild: Guild, member: Member) -> int:
    if member.user_id == guild.owner_id:
        return ALL_PERMISSIONS
    value = guild.roles[guild.id].permissions
    for role_id in member.role_ids:
        role = guild.roles.get(role_id)
        if role is not None:
            value |= role.permissions
    if value & ADMINISTRATOR:
        return ALL_PERMISSIONS
    return value


def channel_permissions(guild: Guild, member: Member, channel: Channel) -> int:
    """Permissions of `member` in `channel`; threads use their parent's overwrites."""
    base = base_permissions(guild, member)
    if base & ADMINISTRATOR or member.user_id == guild.owner_id:
        return ALL_PERMISSIONS
    source = channel
    if channel.is_thread and channel.parent_id is not None and channel.parent_id in guild.channels:
        source = guild.channels[channel.parent_id]
    value = base
    overwrites = source.overwrites
    everyone = overwrites.get(guild.id)
    if everyone is not None:
        value = (value & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for role_id in member.role_ids:
        ow = overwrites.get(role_id)
        if ow is not None and ow.type == 0:
            allow |= ow.allow
            deny |= ow.deny
    value = (value & ~deny) | allow
    own = overwrites.get(member.user_id)
    if own is not None and own.type == 1:
        value = (value & ~own.deny) | own.allow
    if not value & VIEW_CHANNEL:
        return 0
    sending = FLAGS["send_messages_in_threads"] if channel.is_thread else SEND_MESSAGES
    if not value & sending:
        value &= ~perm("send_tts_messages", "mention_everyone", "embed_links", "attach_files")
    return value


def top_role_position(guild: Guild, member: Member) -> int:
    positions = [guild.roles[r].position for r in member.role_ids if r in guild.roles]
    return max(positions, default=0)

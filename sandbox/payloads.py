"""Serialise the world into Discord's JSON shapes (ids as strings, as Discord sends them)."""

from __future__ import annotations

from typing import Any

from sandbox.model import JSON, Channel, Guild, Member, Role, User, World


def user_payload(user: User) -> JSON:
    data: JSON = {
        "id": str(user.id),
        "username": user.username,
        "discriminator": "0",
        "global_name": user.global_name,
        "avatar": None,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "primary_guild": None,
    }
    if user.bot:
        data["bot"] = True
    return data


def member_payload(world: World, member: Member, *, with_user: bool = True) -> JSON:
    data: JSON = {
        "roles": [str(r) for r in member.role_ids],
        "nick": member.nick,
        "avatar": None,
        "banner": None,
        "joined_at": member.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": member.communication_disabled_until,
    }
    if with_user:
        data["user"] = user_payload(world.users[member.user_id])
    return data


def role_payload(role: Role) -> JSON:
    data: JSON = {
        "id": str(role.id),
        "name": role.name,
        "color": role.color,
        "colors": {"primary_color": role.color, "secondary_color": None, "tertiary_color": None},
        "hoist": role.hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": role.position,
        "permissions": str(role.permissions),
        "managed": role.managed,
        "mentionable": role.mentionable,
        "flags": 0,
    }
    if role.bot_id is not None:
        data["tags"] = {"bot_id": str(role.bot_id)}
    return data


def overwrites_payload(channel: Channel) -> list[JSON]:
    return [
        {"id": str(ow.id), "type": ow.type, "allow": str(ow.allow), "deny": str(ow.deny)}
        for ow in channel.overwrites.values()
    ]


def channel_payload(world: World, channel: Channel) -> JSON:
    last = str(channel.last_message_id) if channel.last_message_id else None
    if channel.is_dm:
        recipient = world.users.get(channel.recipient_id or 0)
        return {
            "id": str(channel.id),
            "type": 1,
            "last_message_id": last,
            "flags": 0,
            "recipients": [user_payload(recipient)] if recipient else [],
        }
    data: JSON = {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(channel.guild_id),
        "name": channel.name,
        "parent_id": str(channel.parent_id) if channel.parent_id else None,
        "flags": channel.flags,
        "rate_limit_per_user": channel.rate_limit_per_user,
    }
    if channel.type in (15, 16):
        data.update(
            available_tags=channel.available_tags, default_reaction_emoji=None, default_sort_order=None
        )
    if channel.is_thread:
        data["applied_tags"] = [str(tag) for tag in channel.applied_tags]
        data.update(
            owner_id=str(channel.owner_id) if channel.owner_id else None,
            last_message_id=last,
            message_count=channel.message_count,
            total_message_sent=channel.message_count,
            member_count=len(channel.thread_member_ids),
            thread_metadata={
                "archived": channel.archived,
                "auto_archive_duration": channel.auto_archive_duration,
                "archive_timestamp": channel.created_at,
                "locked": channel.locked,
                "create_timestamp": channel.created_at,
            },
        )
        if world.bot_user_id in channel.thread_member_ids:
            data["member"] = thread_member_payload(channel, world.bot_user_id)
        return data
    data.update(
        position=channel.position, permission_overwrites=overwrites_payload(channel), nsfw=channel.nsfw
    )
    if channel.type != 4:
        data.update(topic=channel.topic, last_message_id=last)
    return data


def thread_member_payload(channel: Channel, user_id: int) -> JSON:
    return {
        "id": str(channel.id),
        "user_id": str(user_id),
        "join_timestamp": channel.thread_member_ids.get(user_id, channel.created_at),
        "flags": 1,
    }


def guild_base_payload(guild: Guild) -> JSON:
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": guild.preferred_locale,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "roles": [role_payload(r) for r in sorted(guild.roles.values(), key=lambda r: r.position)],
        "emojis": [],
        "stickers": [],
    }


def guild_create_payload(world: World) -> JSON:
    guild = world.guild
    data = guild_base_payload(guild)
    plain = [c for c in guild.channels.values() if not c.is_thread]
    threads = [c for c in guild.channels.values() if c.is_thread and not c.archived]
    bot_joined = guild.members[world.bot_user_id].joined_at
    data.update(
        unavailable=False,
        large=False,
        joined_at=bot_joined,
        member_count=len(guild.members),
        members=[member_payload(world, m) for m in guild.members.values()],
        channels=[channel_payload(world, c) for c in plain],
        threads=[channel_payload(world, c) for c in threads],
        presences=[],
        voice_states=[],
        stage_instances=[],
        guild_scheduled_events=list(guild.scheduled_events.values()),
        soundboard_sounds=[],
        embedded_activities=[],
        application_command_counts={},
    )
    return data


def message_author_member(world: World, author_id: int) -> JSON | None:
    member = world.guild.members.get(author_id)
    return None if member is None else member_payload(world, member, with_user=False)


def stringify_ids(values: list[Any]) -> list[str]:
    return [str(v) for v in values]

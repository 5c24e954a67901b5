"""The seeded NSS-CoP community: one guild, its roles, channels and members."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import timedelta
from typing import Any

import discord

from sandbox.model import Channel, Guild, Member, Overwrite, Role, User, World
from sandbox.permissions import perm
from sandbox.snowflakes import Clock, SnowflakeGenerator, iso, system_clock

BOT_INVITE_PERMISSIONS: int = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    manage_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    manage_messages=True,
    pin_messages=True,
    manage_channels=True,
    manage_roles=True,
    manage_events=True,
    create_events=True,
    use_application_commands=True,
).value

# What Discord grants @everyone in a newly created server.
EVERYONE_DEFAULT_PERMISSIONS: int = perm(
    "create_instant_invite",
    "add_reactions",
    "stream",
    "view_channel",
    "send_messages",
    "send_tts_messages",
    "embed_links",
    "attach_files",
    "read_message_history",
    "mention_everyone",
    "use_external_emojis",
    "connect",
    "speak",
    "use_voice_activation",
    "change_nickname",
    "use_application_commands",
    "request_to_speak",
    "create_public_threads",
    "create_private_threads",
    "use_external_stickers",
    "send_messages_in_threads",
    "use_embedded_activities",
    "use_soundboard",
    "use_external_sounds",
    "send_voice_messages",
    "send_polls",
    "use_external_apps",
)

FACILITATOR_PERMISSIONS: int = perm("manage_messages", "manage_threads", "manage_events", "moderate_members")

GUILD_NAME = "NSS-CoP Sandbox"
BOT_USERNAME = "nsscop-bot"
NOTIFY_ROLE = "Drop-in notify"
COMMUNITY_CHANNELS = (
    "welcome",
    "announcements",
    "drop-in",
    "questions",
    "minutes",
    "working-groups",
    "general",
)
FACILITATOR_CHANNELS = ("question-review", "minutes-review", "facilitators")
MINUTES_FORUM = "minutes-forum"  # a forum channel (type 15) for minutes, one post per meeting
FORUM_TAGS = ("Drop-in", "Working group", "2026", "2027")
READ_ONLY_CHANNELS = ("welcome", "announcements")
SEED_USERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("fiona", "Fiona", "en-US", ("Facilitator", "Member")),
    ("farah", "Farah", "fr", ("Facilitator", "Member")),
    ("alex", "Alex", "en-US", ("Member",)),
    ("sam", "Sam", "en-GB", ("Member",)),
    ("riley", "Riley", "fr", ()),
)


@dataclass(frozen=True)
class Crowd:
    """`size` members `member00001`…; member n holds role name R when n % roles[R] == 0; they joined
    over the `months` before now, spread evenly."""

    size: int
    roles: dict[str, int] = field(default_factory=dict)
    months: int = 12


@dataclass(frozen=True)
class SeedInfo:
    guild_id: int
    application_id: int
    bot_user_id: int
    channels: dict[str, int] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    others: list[dict[str, Any]] = field(default_factory=list)
    """More guilds (`guilds=2`), each as a SeedInfo's fields; `other(n)` gives the n-th."""

    def other(self, index: int = 0) -> SeedInfo:
        return SeedInfo(**{**self.others[index], "others": []})


SECOND_GUILD_NAME = "NSS-CoP Sandbox West"


def build_world(
    seed: bool = True, clock: Clock = system_clock, crowd: Crowd | None = None, guilds: int = 1
) -> tuple[World, SeedInfo]:
    """Create the world. Without `seed` only the guild, @everyone, the bot and its role exist.
    `clock` is the sandbox's Discord-time (ids, timestamps, the scheduled-event and nonce rules).
    `crowd` adds many plain members (e.g. 5,000 for the membership report's benchmark).
    `guilds=2` adds a second guild seeded the same way (same users, its own ids) on the other shard of
    two: its id's `(id >> 22) % 2` differs from the first's (gateway.mdx:627), for sharding tests."""
    ids = SnowflakeGenerator(clock=clock)
    owner = User(id=ids.next(), username="sandbox-owner", global_name="Sandbox Owner")
    application_id = ids.next()
    bot = User(id=application_id, username=BOT_USERNAME, global_name=None, bot=True)
    guild = Guild(id=ids.next(), name=GUILD_NAME, owner_id=owner.id, created_at=iso(clock()))
    world = World(ids=ids, home=guild, application_id=application_id, bot_user_id=bot.id, clock=clock)
    for user in (owner, bot):
        world.users[user.id] = user
    guild.roles[guild.id] = Role(
        id=guild.id, name="@everyone", permissions=EVERYONE_DEFAULT_PERMISSIONS, position=0
    )
    guild.members[owner.id] = Member(user_id=owner.id, joined_at=world.now_iso())
    if seed:
        _seed_roles(world)
    if crowd is not None:
        for name in crowd.roles:  # below the bot's role, as roles a server already had
            role = Role(id=ids.next(), name=name, permissions=0, position=len(guild.roles))
            guild.roles[role.id] = role
    bot_role = Role(
        id=ids.next(),
        name="NSS-CoP Bot",
        permissions=BOT_INVITE_PERMISSIONS,
        position=len(guild.roles),
        managed=True,
        bot_id=bot.id,
    )
    guild.roles[bot_role.id] = bot_role
    guild.members[bot.id] = Member(user_id=bot.id, role_ids=[bot_role.id], joined_at=world.now_iso())
    if seed:
        _seed_channels(world, bot_role.id)
        _seed_users(world)
    if crowd is not None:
        _seed_crowd(world, crowd)
    info = seed_info(world)
    if guilds not in (1, 2):
        raise ValueError("the sandbox holds one or two guilds")
    if guilds == 2:
        second = _second_guild(world, guild, owner.id, seed)
        info = replace(info, others=[asdict(seed_info(world, second))])
    return world, info


def seed_info(world: World, guild: Guild | None = None) -> SeedInfo:
    """The ids of a guild (default: the world's first), its channels, roles and users by name (a fresh
    or a loaded world)."""
    guild = guild or world.home
    return SeedInfo(
        guild_id=guild.id,
        application_id=world.application_id,
        bot_user_id=world.bot_user_id,
        channels={c.name: c.id for c in guild.channels.values() if c.name and not c.is_thread},
        roles={r.name: r.id for r in guild.roles.values()},
        users={u.username: u.id for u in world.users.values()},
    )


def _second_guild(world: World, first: Guild, owner_id: int, seed: bool) -> Guild:
    """The first guild's twin on the other of two shards, with the same people as members."""
    guild_id = world.ids.next()
    if (guild_id >> 22) % 2 == (first.id >> 22) % 2:
        guild_id = world.ids.next(at=world.now() + timedelta(milliseconds=1))  # the next millisecond
    guild = Guild(id=guild_id, name=SECOND_GUILD_NAME, owner_id=owner_id, created_at=world.now_iso())
    world.guilds[guild.id] = guild
    with world.serving(guild.id):
        guild.roles[guild.id] = Role(
            id=guild.id, name="@everyone", permissions=EVERYONE_DEFAULT_PERMISSIONS, position=0
        )
        guild.members[owner_id] = Member(user_id=owner_id, joined_at=world.now_iso())
        if seed:
            _seed_roles(world)
        bot_role = Role(
            id=world.ids.next(),
            name="NSS-CoP Bot",
            permissions=BOT_INVITE_PERMISSIONS,
            position=len(guild.roles),
            managed=True,
            bot_id=world.bot_user_id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[world.bot_user_id] = Member(
            user_id=world.bot_user_id, role_ids=[bot_role.id], joined_at=world.now_iso()
        )
        if seed:
            _seed_channels(world, bot_role.id)
            for username, _display, _locale, role_names in SEED_USERS:
                user = world.find_user(username)
                roles = [world.find_role(name).id for name in role_names]
                guild.members[user.id] = Member(user_id=user.id, role_ids=roles, joined_at=world.now_iso())
    return guild


def _seed_roles(world: World) -> None:
    guild = world.guild
    member = Role(id=world.ids.next(), name="Member", permissions=0, position=1)
    facilitator = Role(
        id=world.ids.next(),
        name="Facilitator",
        permissions=FACILITATOR_PERMISSIONS,
        position=2,
        mentionable=True,
        hoist=True,
    )
    notify = Role(id=world.ids.next(), name=NOTIFY_ROLE, permissions=0, position=3, mentionable=True)
    guild.roles[member.id] = member
    guild.roles[facilitator.id] = facilitator
    guild.roles[notify.id] = notify  # members take it with /dropin notify on; drop-in posts ping it


def _seed_channels(world: World, bot_role_id: int) -> None:
    guild = world.guild
    community = Channel(
        id=world.ids.next(),
        type=4,
        name="Community",
        guild_id=guild.id,
        position=0,
        created_at=world.now_iso(),
    )
    guild.channels[community.id] = community
    for position, name in enumerate(COMMUNITY_CHANNELS):
        channel = Channel(
            id=world.ids.next(),
            type=0,
            name=name,
            guild_id=guild.id,
            position=position,
            parent_id=community.id,
            created_at=world.now_iso(),
        )
        if name in READ_ONLY_CHANNELS:  # members read; the bot posts (as an admin would set it up)
            channel.overwrites[guild.id] = Overwrite(id=guild.id, type=0, deny=perm("send_messages"))
            channel.overwrites[bot_role_id] = Overwrite(id=bot_role_id, type=0, allow=perm("send_messages"))
        guild.channels[channel.id] = channel
    forum = Channel(
        id=world.ids.next(),
        type=15,
        name=MINUTES_FORUM,
        guild_id=guild.id,
        position=len(COMMUNITY_CHANNELS),
        parent_id=community.id,
        created_at=world.now_iso(),
        flags=1 << 4,  # REQUIRE_TAG: a post needs one of the tags below
    )
    forum.available_tags = [
        {"id": str(world.ids.next()), "name": name, "moderated": False, "emoji_id": None, "emoji_name": None}
        for name in FORUM_TAGS
    ]
    guild.channels[forum.id] = forum
    facilitator_id = world.find_role("Facilitator").id
    private = Channel(
        id=world.ids.next(),
        type=4,
        name="Facilitators",
        guild_id=guild.id,
        position=1,
        created_at=world.now_iso(),
    )
    guild.channels[private.id] = private
    channels = [private]
    for position, name in enumerate(FACILITATOR_CHANNELS, start=len(COMMUNITY_CHANNELS)):
        child = Channel(
            id=world.ids.next(),
            type=0,
            name=name,
            guild_id=guild.id,
            position=position,
            parent_id=private.id,
            created_at=world.now_iso(),
        )
        guild.channels[child.id] = child
        channels.append(child)
    view = perm("view_channel")
    for channel in channels:
        channel.overwrites = {
            guild.id: Overwrite(id=guild.id, type=0, deny=view),
            facilitator_id: Overwrite(id=facilitator_id, type=0, allow=view),
            bot_role_id: Overwrite(id=bot_role_id, type=0, allow=view),
        }
    for channel in guild.channels.values():
        world.channel_messages[channel.id] = []


def _seed_users(world: World) -> None:
    for username, display, locale, role_names in SEED_USERS:
        user = User(id=world.ids.next(), username=username, global_name=display, locale=locale)
        world.users[user.id] = user
        roles = [world.find_role(name).id for name in role_names]
        world.guild.members[user.id] = Member(user_id=user.id, role_ids=roles, joined_at=world.now_iso())


def _seed_crowd(world: World, crowd: Crowd) -> None:
    now = world.now()
    span = timedelta(days=30 * crowd.months)
    role_ids = {name: world.find_role(name).id for name in crowd.roles}
    for n in range(1, crowd.size + 1):
        user = User(id=world.ids.next(), username=f"member{n:05d}", global_name=f"Member {n}")
        world.users[user.id] = user
        roles = [role_ids[name] for name, every in crowd.roles.items() if n % every == 0]
        joined = now - span * (n / crowd.size)
        world.guild.members[user.id] = Member(user_id=user.id, role_ids=roles, joined_at=iso(joined))

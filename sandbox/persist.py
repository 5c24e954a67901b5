"""The sandbox's world on disk: `python -m bot sandbox --data-dir DIR` keeps the same guild, channels,
roles, users, messages and ids from one run to the next (the bot's database in DIR refers to them).

One JSON file, written atomically. Interactions are not kept: their tokens expire with the run, as
Discord's do after 15 minutes. Commands are kept but count as unsynced until the bot syncs again."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sandbox.model import (
    JSON,
    Channel,
    Guild,
    Member,
    Overwrite,
    Role,
    StoredAttachment,
    StoredMessage,
    User,
    World,
)
from sandbox.snowflakes import Clock, SnowflakeGenerator

FORMAT_VERSION = 1
WORLD_FILE = "sandbox-world.json"


class WorldFileError(ValueError):
    """The saved world cannot be read (another version, or damaged): says which file and what to do."""


def world_to_json(world: World) -> JSON:
    guild = world.guild
    return {
        "format": FORMAT_VERSION,
        "http_base": world.http_base,
        "last_id": world.ids.last,
        "application_id": world.application_id,
        "bot_user_id": world.bot_user_id,
        "users": [asdict(u) for u in world.users.values()],
        "guild": {
            "id": guild.id,
            "name": guild.name,
            "owner_id": guild.owner_id,
            "preferred_locale": guild.preferred_locale,
            "created_at": guild.created_at,
            "roles": [asdict(r) for r in guild.roles.values()],
            "channels": [_channel_json(c) for c in guild.channels.values()],
            "members": [asdict(m) for m in guild.members.values()],
            "scheduled_events": list(guild.scheduled_events.values()),
        },
        "dm_channels": [_channel_json(c) for c in world.dm_channels.values()],
        "messages": [
            {
                "payload": m.payload,
                "channel_id": m.channel_id,
                "ephemeral": m.ephemeral,
                "interaction_id": m.interaction_id,
                "pinned_at": m.pinned_at,
            }
            for m in world.messages.values()
        ],
        "channel_messages": {str(k): v for k, v in world.channel_messages.items()},
        "attachments": {
            str(k): {
                "filename": a.filename,
                "content_type": a.content_type,
                "data": base64.b64encode(a.data).decode(),
            }
            for k, a in world.attachments.items()
        },
        "global_commands": world.global_commands,
        "guild_commands": world.guild_commands,
    }


def _channel_json(channel: Channel) -> JSON:
    data = asdict(channel)
    data["overwrites"] = list(data["overwrites"].values())
    data["thread_member_ids"] = {str(k): v for k, v in channel.thread_member_ids.items()}
    return data


def _channel(data: JSON) -> Channel:
    fields = dict(data)
    fields["overwrites"] = {int(o["id"]): Overwrite(**o) for o in fields["overwrites"]}
    fields["thread_member_ids"] = {int(k): v for k, v in fields["thread_member_ids"].items()}
    return Channel(**fields)


def world_from_json(data: JSON, clock: Clock) -> World:
    if data.get("format") != FORMAT_VERSION:
        raise WorldFileError(f"format {data.get('format')!r}, expected {FORMAT_VERSION}")
    g = data["guild"]
    guild = Guild(
        id=g["id"],
        name=g["name"],
        owner_id=g["owner_id"],
        preferred_locale=g["preferred_locale"],
        created_at=g["created_at"],
        roles={r["id"]: Role(**r) for r in g["roles"]},
        channels={c["id"]: _channel(c) for c in g["channels"]},
        members={m["user_id"]: Member(**m) for m in g["members"]},
        scheduled_events={int(e["id"]): e for e in g["scheduled_events"]},
    )
    ids = SnowflakeGenerator(clock=clock)
    ids.last = int(data["last_id"])
    dms = [_channel(c) for c in data["dm_channels"]]
    world = World(
        ids=ids,
        home=guild,
        application_id=data["application_id"],
        bot_user_id=data["bot_user_id"],
        users={u["id"]: User(**u) for u in data["users"]},
        dm_channels={c.recipient_id: c for c in dms if c.recipient_id is not None},
        messages={int(m["payload"]["id"]): StoredMessage(**m) for m in data["messages"]},
        channel_messages={int(k): list(v) for k, v in data["channel_messages"].items()},
        attachments={
            int(k): StoredAttachment(a["filename"], a["content_type"], base64.b64decode(a["data"]))
            for k, a in data["attachments"].items()
        },
        global_commands=list(data["global_commands"]),
        guild_commands=list(data["guild_commands"]),
        # Discord keeps an application's commands across the bot's restarts: a kept world that has
        # them is ready without a new sync (the bot replaces them only when they changed).
        commands_synced=bool(data["guild_commands"] or data["global_commands"]),
        http_base=str(data.get("http_base") or ""),
        clock=clock,
    )
    return world


def move_attachment_urls(world: World, new_base: str) -> None:
    """A kept world served on another port: its messages' attachment links follow."""
    old = world.http_base
    if not old or old == new_base:
        return
    for stored in world.messages.values():
        for attachment in stored.payload.get("attachments") or []:
            for key in ("url", "proxy_url"):
                if isinstance(attachment.get(key), str) and attachment[key].startswith(old + "/"):
                    attachment[key] = new_base + attachment[key][len(old) :]


def save_world(world: World, path: Path) -> None:
    """Write atomically: a crash mid-write leaves the previous file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(world_to_json(world)), encoding="utf-8")
    os.replace(temporary, path)


def load_world(path: Path, clock: Clock) -> World:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        return world_from_json(data, clock)
    except (ValueError, KeyError, TypeError) as exc:
        raise WorldFileError(
            f"cannot read the sandbox world in {path} ({type(exc).__name__}: {exc}); "
            "move it away to start from a fresh world"
        ) from exc

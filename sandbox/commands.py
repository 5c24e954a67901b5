"""Application-command sync: the stored, answered command objects."""

from __future__ import annotations

from typing import Any

from sandbox.errors import FieldError
from sandbox.model import JSON, World


def check_commands(body: Any) -> list[FieldError]:
    """Only the shape the store needs: Discord's rules on names, descriptions, locales, option order
    and counts are sandbox.limits' (checked for every request in rest.py), types the spec layer's."""
    if not isinstance(body, list):
        return [FieldError("", "LIST_TYPE_CONVERT", "Must be an array.")]
    return [
        FieldError(str(index), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        for index, command in enumerate(body)
        if not isinstance(command, dict)
    ]


def store_commands(world: World, body: list[JSON], guild_id: int | None) -> list[JSON]:
    existing = world.guild_commands if guild_id is not None else world.global_commands
    ids = {(int(c.get("type", 1)), c["name"]): c["id"] for c in existing}
    stored: list[JSON] = []
    for command in body:
        kind = int(command.get("type") or 1)
        item: JSON = {
            "name_localizations": None,
            "description_localizations": None,
            "default_member_permissions": None,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            "options": [],
            **command,
        }
        item.update(
            id=ids.get((kind, command["name"])) or str(world.ids.next()),
            application_id=str(world.application_id),
            version=str(world.ids.next()),
            type=kind,
            description=command.get("description") or "",
        )
        if guild_id is not None:
            item["guild_id"] = str(guild_id)
        stored.append(item)
    if guild_id is not None:
        world.guild_commands = stored
    else:
        world.global_commands = stored
    world.commands_synced = True
    return stored

"""Turn control-API command options into Discord's typed, nested interaction data (facts §1.6)."""

from __future__ import annotations

import base64
from typing import Any

from sandbox.errors import ControlError
from sandbox.hub import Hub
from sandbox.messaging import UploadedFile, store_attachment
from sandbox.model import JSON, Channel, LookupFailed, User
from sandbox.payloads import channel_payload, member_payload, role_payload, user_payload

SUBCOMMAND, GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11


def named(entry: JSON, name: str) -> bool:
    """A command, option or choice answers to its name or to any of its localized names, as in a
    Discord client; the interaction Discord sends always carries the default name (facts §1.6)."""
    return entry["name"] == name or name in (entry.get("name_localizations") or {}).values()


def find_command(hub: Hub, name: str) -> JSON:
    world = hub.world
    for command in [*world.guild_commands, *world.global_commands]:
        if named(command, name) and int(command.get("type", 1)) == 1:
            return command
    known = sorted({c["name"] for c in [*world.guild_commands, *world.global_commands]})
    raise ControlError(f"unknown command {name!r}; synced commands: {known}")


def find_context_menu(hub: Hub, name: str) -> JSON | None:
    world = hub.world
    for command in [*world.guild_commands, *world.global_commands]:
        if command["name"] == name and int(command.get("type", 1)) in (2, 3):
            return command
    return None


def build_context_menu_data(hub: Hub, command: JSON, options: dict[str, Any], channel: Channel) -> JSON:
    """USER (2) / MESSAGE (3) commands: options {"target": user name/id or message id}."""
    if "target" not in (options or {}):
        raise ControlError(f"context menu {command['name']!r} needs options {{'target': ...}}")
    data: JSON = {"id": command["id"], "name": command["name"], "type": command["type"], "resolved": {}}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    target = options["target"]
    if command["type"] == 2:
        data["target_id"] = convert_option(
            hub, {"name": "target", "type": USER}, target, channel, data["resolved"]
        )
        return data
    stored = hub.world.messages.get(int(target)) if str(target).isdigit() else None
    if stored is None or stored.ephemeral:
        raise ControlError(f"unknown message {target!r}")
    data["target_id"] = str(stored.id)
    data["resolved"] = {"messages": {str(stored.id): stored.payload}}
    return data


def build_command_data(
    hub: Hub,
    command_path: str,
    options: dict[str, Any],
    channel: Channel,
    user: User,
    focused: str | None = None,
) -> JSON:
    """Chat-input data with typed, nested options; `focused` marks the option being autocompleted."""
    context_menu = find_context_menu(hub, command_path)
    if context_menu is not None:
        return build_context_menu_data(hub, context_menu, options, channel)
    parts = command_path.split()
    if not parts:
        raise ControlError("command must name a command, e.g. 'settings show'")
    command = find_command(hub, parts[0])
    data: JSON = {"id": command["id"], "name": command["name"], "type": 1, "options": [], "resolved": {}}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    container: list[JSON] = data["options"]
    schema: list[JSON] = command.get("options") or []
    for part in parts[1:]:
        subs = [o for o in schema if o.get("type") in (SUBCOMMAND, GROUP)]
        sub = next((o for o in subs if named(o, part)), None)
        if sub is None:
            raise ControlError(
                f"{command_path!r}: no subcommand {part!r}; known: {[o['name'] for o in subs]}"
            )
        node: JSON = {"name": sub["name"], "type": sub["type"], "options": []}
        container.append(node)
        container, schema = node["options"], sub.get("options") or []
    subs = [o["name"] for o in schema if o.get("type") in (SUBCOMMAND, GROUP)]
    if subs:
        raise ControlError(f"{command_path!r} needs a subcommand; one of {subs}")
    known = {o["name"]: o for o in schema}
    options = {_default_name(schema, name): value for name, value in (options or {}).items()}
    focused = _default_name(schema, focused) if focused is not None else None
    for name, value in options.items():
        if name not in known:
            raise ControlError(f"{command_path!r} has no option {name!r}; known options: {sorted(known)}")
        if name == focused:
            container.append(
                {"name": name, "type": known[name]["type"], "value": str(value), "focused": True}
            )
            continue
        converted = convert_option(hub, known[name], value, channel, data["resolved"], user.id)
        container.append({"name": name, "type": known[name]["type"], "value": converted})
    if focused is not None and focused not in (options or {}):
        raise ControlError(f"the focused option {focused!r} needs a (partial) value in options")
    missing = [o["name"] for o in schema if o.get("required") and o["name"] not in (options or {})]
    if missing and focused is None:
        raise ControlError(f"{command_path!r}: missing required options {missing}")
    if not data["resolved"]:
        del data["resolved"]
    return data


def _default_name(schema: list[JSON], name: str) -> str:
    return next((o["name"] for o in schema if named(o, name)), name)


def _check_choices(option: JSON, value: Any) -> Any:
    choices = option.get("choices") or []
    if not choices:
        return value
    for choice in choices:
        if choice["value"] == value or named(choice, str(value)):
            return choice["value"]
    raise ControlError(f"option {option['name']!r}: {value!r} is not one of {[c['value'] for c in choices]}")


def convert_option(
    hub: Hub, option: JSON, value: Any, channel: Channel, resolved: JSON, invoker_id: int | None = None
) -> Any:
    kind = option["type"]
    name = option["name"]
    try:
        if kind == STRING:
            text = str(value)
            low, high = option.get("min_length", 0), option.get("max_length", 6000)
            if not low <= len(text) <= high:
                raise ControlError(f"option {name!r}: length must be between {low} and {high}")
            return _check_choices(option, text)
        if kind in (INTEGER, NUMBER):
            if isinstance(value, bool):
                raise ValueError(value)
            number: int | float = int(value) if kind == INTEGER else float(value)
            if kind == NUMBER and float(number).is_integer() and isinstance(value, int):
                number = int(value)
            low, high = option.get("min_value"), option.get("max_value")
            if (low is not None and number < low) or (high is not None and number > high):
                raise ControlError(f"option {name!r}: {number} is outside [{low}, {high}]")
            return _check_choices(option, number)
        if kind == BOOLEAN:
            if isinstance(value, str):
                return value.lower() in ("true", "1", "yes")
            return bool(value)
        if kind == USER:
            return _resolve_user(hub, hub.world.find_user(value), channel, resolved)
        if kind == CHANNEL:
            return _resolve_channel(hub, option, hub.world.find_channel(value), resolved, invoker_id)
        if kind == ROLE:
            role = hub.world.find_role(value)
            resolved.setdefault("roles", {})[str(role.id)] = role_payload(role)
            return str(role.id)
        if kind == MENTIONABLE:
            try:
                return _resolve_user(hub, hub.world.find_user(value), channel, resolved)
            except LookupFailed:
                role = hub.world.find_role(value)
                resolved.setdefault("roles", {})[str(role.id)] = role_payload(role)
                return str(role.id)
        if kind == ATTACHMENT:
            return _resolve_attachment(hub, name, value, channel, resolved)
    except LookupFailed as exc:
        raise ControlError(f"option {name!r}: {exc}") from exc
    except (TypeError, ValueError) as exc:
        raise ControlError(f"option {name!r}: {value!r} is not a valid value of type {kind}") from exc
    raise ControlError(f"option {name!r}: unsupported option type {kind}")


def _resolve_user(hub: Hub, user: User, channel: Channel, resolved: JSON) -> str:
    resolved.setdefault("users", {})[str(user.id)] = user_payload(user)
    member = hub.world.guild.members.get(user.id)
    if member is not None and not channel.is_dm:
        data = member_payload(hub.world, member, with_user=False)
        data["permissions"] = str(hub.member_permissions(user.id, channel))
        resolved.setdefault("members", {})[str(user.id)] = data
    return str(user.id)


def _resolve_channel(
    hub: Hub, option: JSON, target: Channel, resolved: JSON, invoker_id: int | None = None
) -> str:
    allowed = option.get("channel_types")
    if allowed and target.type not in allowed:
        raise ControlError(f"option {option['name']!r}: channel type {target.type} not in {allowed}")
    data = channel_payload(hub.world, target)
    # receiving-and-responding.mdx:184 (resolved partial channels carry `permissions`): the invoking
    # member's permissions in that channel, as Discord computes them for the resolved data, not the app's.
    who = invoker_id if invoker_id is not None else hub.world.bot_user_id
    data["permissions"] = str(hub.member_permissions(who, target))
    resolved.setdefault("channels", {})[str(target.id)] = data
    return str(target.id)


def _resolve_attachment(hub: Hub, name: str, value: Any, channel: Channel, resolved: JSON) -> str:
    if not isinstance(value, dict) or "filename" not in value:
        raise ControlError(f"option {name!r}: give an attachment as {{filename, content_type, data or size}}")
    upload = attachment_upload(value, 0)
    data = store_attachment(hub, channel.id, upload, None, ephemeral=True)
    resolved.setdefault("attachments", {})[data["id"]] = data
    return str(data["id"])


def attachment_upload(spec: JSON, index: int) -> UploadedFile:
    raw = spec.get("data")
    if isinstance(raw, str):
        data = base64.b64decode(raw) if spec.get("base64") else raw.encode()
    else:
        data = b"\0" * int(spec.get("size") or 0)
    return UploadedFile(index, str(spec["filename"]), str(spec.get("content_type") or ""), data)

"""Control API: simulate a member running a command, clicking a component or submitting a modal."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any

from aiohttp import web

from sandbox import control_body as fields
from sandbox.command_options import build_command_data, convert_option, find_command, find_context_menu
from sandbox.control_body import read_body
from sandbox.errors import ControlError, json_response
from sandbox.hub import HUB_KEY, Hub
from sandbox.interactions import ATTACHMENT_SIZE_LIMIT, InteractionRecord
from sandbox.model import JSON, Channel, User
from sandbox.payloads import channel_payload, member_payload, user_payload
from sandbox.permissions import perm

routes = web.RouteTableDef()
# receiving-and-responding.mdx:49: app_permissions "includes ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE
# permissions for (G)DMs with other users, and additionally includes USE_EXTERNAL_EMOJIS for DMs with the app's
# bot user" (the sandbox's DMs are all with the bot).
DM_APP_PERMISSIONS = perm("attach_files", "embed_links", "mention_everyone", "use_external_emojis")


def _new_interaction(
    hub: Hub, kind: int, user: User, channel: Channel, locale: str | None, data: JSON, **links: Any
) -> InteractionRecord:
    world = hub.world
    token = "sandbox-" + secrets.token_urlsafe(48)
    interaction_id = world.ids.next()
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(world.application_id),
        "type": kind,
        "token": token,
        "version": 1,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        "locale": locale or user.locale,
        "entitlements": [],
        "data": data,
        "channel_id": str(channel.id),
        "app_permissions": str(hub.bot_permissions(channel) if not channel.is_dm else DM_APP_PERMISSIONS),
    }
    if channel.is_dm:
        payload.update(
            user=user_payload(user),
            context=1,
            channel=channel_payload(world, channel),
            authorizing_integration_owners={"0": "0"},
        )
    else:
        member = world.guild.members.get(user.id)
        if member is None:
            raise ControlError(f"{user.username} is not a member of the guild")
        member_data = member_payload(world, member)
        member_data["permissions"] = str(hub.member_permissions(user.id, channel))
        channel_data = channel_payload(world, channel)
        channel_data["permissions"] = member_data["permissions"]
        payload.update(
            member=member_data,
            guild_id=str(world.guild.id),
            guild_locale=world.guild.preferred_locale,
            guild={"id": str(world.guild.id), "locale": world.guild.preferred_locale, "features": []},
            context=0,
            channel=channel_data,
            authorizing_integration_owners={"0": str(world.guild.id)},
        )
    record = InteractionRecord(
        id=interaction_id,
        type=kind,
        user_id=user.id,
        channel_id=channel.id,
        payload=payload,
        token=token,
        **links,
    )
    hub.interactions.add(record)
    return record


async def run_interaction(hub: Hub, record: InteractionRecord) -> web.Response:
    hub.gateway.dispatch("INTERACTION_CREATE", record.payload)
    answered = await hub.interactions.wait_for_outcome(record)
    if not answered:
        message = f"the bot did not acknowledge interaction {record.id} within 3 s"
        hub.record_violation(
            "INTERACTION", f"/interactions/{record.id}", 504, 10062, message, None, "interaction"
        )
        return json_response({"error": message, "interaction_id": str(record.id)}, 504)
    return json_response(outcome(hub, record))


def outcome(hub: Hub, record: InteractionRecord) -> JSON:
    callback = record.callback or {}
    messages = hub.world.messages
    response_message = messages.get(record.response_message_id) if record.response_message_id else None
    return {
        "interaction_id": str(record.id),
        "message_id": str(record.response_message_id) if record.response_message_id else None,
        "message": response_message.payload if response_message is not None else None,
        "response": {"type": callback.get("type"), "data": callback.get("data")} if record.callback else None,
        "followups": [messages[i].payload for i in record.followup_ids if i in messages],
        "edits": list(record.edits),
    }


def _context(hub: Hub, body: JSON, default_channel: str = "general") -> tuple[User, Channel, str | None]:
    user = hub.world.find_user(fields.text(body, "user", fields.USER))
    ref = fields.text(
        body, "channel", f'a channel name or id, or "dm" (default {default_channel})', required=False
    )
    ref = ref or default_channel
    channel = hub.world.dm_channel_for(user.id) if ref == "dm" else hub.world.find_channel(ref)
    if not channel.is_dm:
        allowed = hub.member_permissions(user.id, channel)
        if not allowed & perm("view_channel"):
            raise ControlError(f"{user.username} cannot see #{channel.name}", 403)
    return user, channel, body.get("locale")


def _check_may_run(hub: Hub, command: JSON, user: User, channel: Channel) -> None:
    if channel.is_dm:
        contexts = command.get("contexts")
        if (
            command.get("guild_id")
            or command.get("dm_permission") is False
            or (contexts and 1 not in contexts)
        ):
            raise ControlError(f"/{command['name']} is not available in DMs", 403)
        return
    have = hub.member_permissions(user.id, channel)
    if not have & perm("use_application_commands"):
        raise ControlError(f"{user.username} may not use application commands in #{channel.name}", 403)
    needed = command.get("default_member_permissions")
    # application-commands.mdx:389: "Setting it to "0" will prohibit anyone in a guild from using the command
    # unless a specific overwrite is configured or the user has admin permissions."
    if (
        needed is not None
        and int(needed) == 0
        and not hub.member_permissions(user.id, None) & perm("administrator")
    ):
        raise ControlError(f"/{command['name']} is for administrators (default_member_permissions=0)", 403)
    if needed is not None and int(needed) & have != int(needed):
        raise ControlError(
            f"{user.username} lacks the permissions /{command['name']} requires "
            f"(default_member_permissions={needed})",
            403,
        )


@routes.post("/_sandbox/interactions/command")
async def command(request: web.Request) -> web.Response:
    hub: Hub = request.app[HUB_KEY]
    body = await read_body(request)
    user, channel, locale = _context(hub, body)
    command_path = fields.text(body, "command", 'the command as typed without "/", e.g. "dropin skip"')
    options = fields.mapping(body, "options", 'an object {"option name": value}')
    data = build_command_data(hub, command_path, options, channel, user)
    _check_may_run(hub, _synced(hub, data), user, channel)
    return await run_interaction(hub, _new_interaction(hub, 2, user, channel, locale, data))


def _synced(hub: Hub, data: JSON) -> JSON:
    return find_context_menu(hub, data["name"]) or find_command(hub, data["name"])


@routes.post("/_sandbox/interactions/autocomplete")
async def autocomplete(request: web.Request) -> web.Response:
    """Type-4 interaction for the option named by "focused"; answers the outcome plus the bot's "choices"."""
    hub = request.app[HUB_KEY]
    body = await read_body(request)
    user, channel, locale = _context(hub, body)
    focused = fields.text(body, "focused", "the name of the option being typed")
    options = fields.mapping(body, "options", 'an object {"option name": value typed so far}')
    data = build_command_data(hub, str(body.get("command") or ""), options, channel, user, focused=focused)
    _check_may_run(hub, _synced(hub, data), user, channel)
    response = await run_interaction(hub, _new_interaction(hub, 4, user, channel, locale, data))
    if response.status != 200 or not isinstance(response.body, bytes):
        return response
    result = json.loads(response.body)
    result["choices"] = ((result.get("response") or {}).get("data") or {}).get("choices", [])
    return json_response(result)


def walk_components(components: list[Any]) -> Iterator[JSON]:
    for component in components or []:
        if not isinstance(component, dict):
            continue
        yield component
        yield from walk_components(component.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from walk_components([component[key]])


@routes.post("/_sandbox/interactions/component")
async def component(request: web.Request) -> web.Response:
    hub: Hub = request.app[HUB_KEY]
    body = await read_body(request)
    user = hub.world.find_user(fields.text(body, "user", fields.USER))
    raw_id = str(fields.snowflake(body, "message_id", fields.MESSAGE_ID))
    stored = hub.world.messages.get(int(raw_id))
    if stored is None:
        raise ControlError(f"field 'message_id': no message {raw_id} exists", field="message_id")
    channel = hub.world.channel(stored.channel_id)
    if channel is None:
        raise ControlError("the message's channel no longer exists")
    if stored.ephemeral and stored.interaction_id:
        owner = hub.interactions.get(stored.interaction_id)
        if owner is not None and owner.user_id != user.id:
            raise ControlError(
                f"only the user who received this ephemeral message can use it, not {user.username}"
            )
    target = _target_component(stored.payload, raw_id, body)
    custom_id = target["custom_id"]
    if target.get("disabled"):
        raise ControlError(f"component {custom_id!r} is disabled")
    data: JSON = {"custom_id": custom_id, "component_type": target["type"]}
    if target["type"] in (3, 5, 6, 7, 8):
        values = fields.listing(body, "values", "a list of the chosen option values")
        data.update(_select_values(hub, target, values, channel))
    record = _new_interaction(hub, 3, user, channel, body.get("locale"), data, source_message_id=stored.id)
    record.payload["message"] = stored.payload
    return await run_interaction(hub, record)


def _target_component(payload: JSON, raw_id: str, body: JSON) -> JSON:
    """The component named by 'custom_id', or by 'label' (a button's label, a select's placeholder)."""
    custom_id = fields.text(body, "custom_id", "a component's custom_id", required=False)
    label = fields.text(body, "label", "a button's label", required=False)
    candidates = [c for c in walk_components(payload.get("components") or []) if c.get("custom_id")]
    if not custom_id and not label:
        raise fields.missing(
            "custom_id",
            f"a component's custom_id, or give 'label'; message {raw_id} has {_names(candidates)}",
        )
    if custom_id:
        found = [c for c in candidates if c["custom_id"] == custom_id]
        name = "custom_id"
    else:
        found = [c for c in candidates if label in (c.get("label"), c.get("placeholder"))] or [
            c
            for c in candidates
            if str(c.get("label") or c.get("placeholder") or "").casefold().startswith(label.casefold())
        ]
        name = "label"
        if len(found) > 1:
            raise ControlError(
                f"field 'label': {label!r} matches several components: {_names(found)}", field="label"
            )
    if not found:
        raise ControlError(
            f"field '{name}': message {raw_id} has no component {custom_id or label!r}; it has {_names(candidates)}",
            field=name,
        )
    return found[0]


def _names(components: list[JSON]) -> str:
    if not components:
        return "no components"
    return ", ".join(
        f"{c.get('label') or c.get('placeholder') or '?'!r} (custom_id {c['custom_id']!r})"
        for c in components
    )


def _select_values(hub: Hub, target: JSON, values: list[Any], channel: Channel) -> JSON:
    if not isinstance(values, list):
        raise ControlError("values must be a list")
    low, high = target.get("min_values", 1), target.get("max_values", 1)
    if not low <= len(values) <= high:
        raise ControlError(f"select {target.get('custom_id')!r} takes between {low} and {high} values")
    if target["type"] == 3:
        options = [o["value"] for o in target.get("options") or []]
        bad = [v for v in values if v not in options]
        if bad:
            raise ControlError(f"values {bad} are not options of the select; options: {options}")
        return {"values": [str(v) for v in values]}
    kind = {5: 6, 6: 8, 7: 9, 8: 7}[target["type"]]
    resolved: JSON = {}
    ids = [convert_option(hub, {"name": "values", "type": kind}, v, channel, resolved) for v in values]
    return {"values": ids, "resolved": resolved}


def _modal_components(modal: JSON, values: dict[str, Any]) -> list[JSON]:
    used: set[str] = set()
    result: list[JSON] = []
    known: list[str] = []

    def answer(item: JSON, label: str | None) -> JSON:
        custom_id = item.get("custom_id", "")
        known.extend(k for k in (custom_id, label) if k)
        key = custom_id if custom_id in values else label if label in values else None
        if item.get("type") != 4:
            chosen = values.get(key, []) if key else []
            used.update([key] if key else [])
            return {"type": item["type"], "custom_id": custom_id, "values": list(chosen)}
        text = values.get(key) if key else None
        if key:
            used.add(key)
        if text is None:
            if item.get("required", True):
                raise ControlError(f"the modal's input {label or custom_id!r} is required")
            text = ""
        text = str(text)
        low, high = item.get("min_length", 0) or 0, item.get("max_length", 4000) or 4000
        if text and not low <= len(text) <= high:
            raise ControlError(
                f"input {label or custom_id!r} must be {low}-{high} characters, got {len(text)}"
            )
        return {"type": 4, "custom_id": custom_id, "value": text}

    for top in modal.get("components") or []:
        if top.get("type") == 1:
            inner = [answer(c, c.get("label")) for c in top.get("components") or []]
            result.append({"type": 1, "components": inner})
        elif top.get("type") == 18 and isinstance(top.get("component"), dict):
            result.append({"type": 18, "component": answer(top["component"], top.get("label"))})
    unknown = sorted(set(values) - used)
    if unknown:
        raise ControlError(f"the modal has no inputs {unknown}; inputs: {known}")
    return result


@routes.post("/_sandbox/interactions/modal")
async def modal(request: web.Request) -> web.Response:
    hub: Hub = request.app[HUB_KEY]
    body = await read_body(request)
    user = hub.world.find_user(fields.text(body, "user", fields.USER))
    raw_id = str(fields.snowflake(body, "interaction_id", fields.INTERACTION_ID))
    parent = hub.interactions.get(int(raw_id))
    if parent is None:
        raise ControlError(f"field 'interaction_id': no interaction {raw_id} exists", field="interaction_id")
    opened = parent.modal
    if opened is None:
        raise ControlError(
            f"interaction {raw_id} did not open a modal (callback type {parent.callback_type})"
        )
    if parent.user_id != user.id:
        raise ControlError("the modal was opened for another user")
    if any(r.parent_interaction_id == parent.id for r in hub.interactions.by_id.values()):
        raise ControlError(f"the modal opened by interaction {raw_id} was already submitted")
    values = fields.mapping(body, "values", 'an object {"input label or custom_id": "text"}')
    data = {"custom_id": opened.get("custom_id"), "components": _modal_components(opened, values)}
    channel = hub.world.channel(parent.channel_id)
    assert channel is not None
    record = _new_interaction(
        hub,
        5,
        user,
        channel,
        body.get("locale") or parent.payload.get("locale"),
        data,
        parent_interaction_id=parent.id,
        source_message_id=parent.source_message_id,
    )
    source = hub.world.messages.get(parent.source_message_id or 0)
    if source is not None:
        record.payload["message"] = source.payload
    return await run_interaction(hub, record)


@routes.get("/_sandbox/interactions/{interaction_id}")
async def show_interaction(request: web.Request) -> web.Response:
    hub: Hub = request.app[HUB_KEY]
    raw = request.match_info["interaction_id"]
    record = hub.interactions.get(int(raw)) if raw.isdigit() else None
    if record is None:
        raise ControlError(f"unknown interaction {raw!r}", 404)
    result = outcome(hub, record)
    return json_response(
        {
            "id": str(record.id),
            "type": record.type,
            "user": hub.world.users[record.user_id].username,
            "user_id": str(record.user_id),
            "data": record.payload.get("data"),
            "callback": record.callback,
            "followups": result["followups"],
            "edits": result["edits"],
            "message_id": result["message_id"],
            "message": result["message"],
        }
    )

"""Control API under /_sandbox/: inspect the world, act as members, inject faults."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Awaitable, Callable

from aiohttp import web

from sandbox import control_body as fields
from sandbox.command_options import attachment_upload
from sandbox.control_body import read_body
from sandbox.errors import ControlError, json_response
from sandbox.hub import HUB_KEY, Fault, Hub
from sandbox.messaging import control_view, create_message
from sandbox.model import JSON, LookupFailed, Member, Overwrite, User
from sandbox.payloads import channel_payload, member_payload, overwrites_payload, role_payload, user_payload
from sandbox.permissions import channel_permissions, names_or_value, perm, value_to_names
from sandbox.schema import SCHEMA_KEY

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


@web.middleware
async def control_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Bad control input answers 400 {"error": ...}; a sandbox bug answers 400 too, never 500."""
    if not request.path.startswith("/_sandbox/"):
        return await handler(request)
    try:
        # `?guild=<id>`: the call is about that guild of a two-guild world (names resolve in it, a slash
        # command is sent from it); without it, the first guild.
        wanted = request.query.get("guild", "")
        request.app[HUB_KEY].world.set_serving(int(wanted) if wanted.isdigit() else None)
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status == 404:
            return json_response({"error": f"unknown control route {request.method} {request.path}"}, 404)
        raise
    except ControlError as exc:
        answer = {"error": exc.message, **({"field": exc.field} if exc.field else {})}
        return json_response(answer, exc.status)
    except LookupFailed as exc:
        return json_response({"error": str(exc)}, 400)
    except ValueError as exc:
        return json_response({"error": f"bad request: {exc}"}, 400)
    except Exception as exc:
        log.error("control route crashed: %s %s\n%s", request.method, request.path, traceback.format_exc())
        return json_response({"error": f"sandbox internal error: {type(exc).__name__}: {exc}"}, 400)


def _hub(request: web.Request) -> Hub:
    return request.app[HUB_KEY]


async def _body(request: web.Request) -> JSON:
    return await read_body(request)


@routes.get("/_sandbox/health")
async def health(request: web.Request) -> web.Response:
    hub = _hub(request)
    return json_response(
        {
            "ready": hub.ready,
            "gateway_connected": hub.gateway.connected,
            "commands_synced": hub.world.commands_synced,
            "validation": request.app[SCHEMA_KEY].status,
        }
    )


def _member_view(hub: Hub, member: Member) -> JSON:
    user = hub.world.users[member.user_id]
    return {
        "user": {
            "id": str(user.id),
            "username": user.username,
            "global_name": user.global_name,
            "bot": user.bot,
        },
        "roles": [str(r) for r in member.role_ids],
        "nick": member.nick,
        "locale": user.locale,
    }


@routes.get("/_sandbox/guild")
async def guild(request: web.Request) -> web.Response:
    hub = _hub(request)
    world = hub.world
    channels = [c for c in world.guild.channels.values() if not c.is_thread]
    threads = [channel_payload(world, c) for c in world.guild.channels.values() if c.is_thread]
    return json_response(
        {
            "id": str(world.guild.id),
            "name": world.guild.name,
            "owner_id": str(world.guild.owner_id),
            "channels": [
                {
                    "id": str(c.id),
                    "name": c.name,
                    "type": c.type,
                    "parent_id": str(c.parent_id) if c.parent_id else None,
                    "position": c.position,
                    "permission_overwrites": overwrites_payload(c),
                    "topic": c.topic,
                }
                for c in channels
            ],
            "roles": [
                {
                    k: v
                    for k, v in role_payload(r).items()
                    if k in ("id", "name", "permissions", "position", "managed", "mentionable")
                }
                for r in sorted(world.guild.roles.values(), key=lambda r: r.position)
            ],
            "members": [_member_view(hub, m) for m in world.guild.members.values()],
            "scheduled_events": list(world.guild.scheduled_events.values()),
            "threads": threads,
        }
    )


@routes.get("/_sandbox/commands")
async def commands(request: web.Request) -> web.Response:
    world = _hub(request).world
    return json_response([*world.global_commands, *world.guild_commands])


@routes.post("/_sandbox/messages")
async def post_message(request: web.Request) -> web.Response:
    hub = _hub(request)
    body = await _body(request)
    user = hub.world.find_user(fields.text(body, "user", fields.USER))
    ref = fields.text(body, "channel", 'a channel name or id, or "dm" (the default)', required=False) or "dm"
    channel = hub.world.dm_channel_for(user.id) if ref == "dm" else hub.world.find_channel(ref)
    if channel.type == 4:
        raise ControlError(f"#{channel.name} is a category")
    if not channel.is_dm:
        need = "send_messages_in_threads" if channel.is_thread else "send_messages"
        if hub.member_permissions(user.id, channel) & perm("view_channel", need) != perm(
            "view_channel", need
        ):
            raise ControlError(f"{user.username} cannot send messages in #{channel.name}", 403)
    specs = body.get("attachments") or []
    files = [attachment_upload(spec, index) for index, spec in enumerate(specs)]
    content = str(body.get("content") or "")
    if not content and not files:
        raise fields.missing("content", "the message's text (or give 'attachments')")
    if len(content) > 2000:
        raise ControlError(
            f"field 'content' has {len(content)} characters: Discord allows 2000", field="content"
        )
    stored = create_message(hub, channel, user.id, {"content": content}, files)
    return json_response(control_view(hub, stored))


@routes.get("/_sandbox/channels/{channel}/messages")
async def channel_messages(request: web.Request) -> web.Response:
    hub = _hub(request)
    channel = hub.world.find_channel(request.match_info["channel"])
    return json_response([control_view(hub, m) for m in hub.world.visible_messages(channel.id)])


@routes.get("/_sandbox/dms/{user}")
async def dms(request: web.Request) -> web.Response:
    hub = _hub(request)
    user = hub.world.find_user(request.match_info["user"])
    channel = hub.world.dm_channels.get(user.id)
    if channel is None:
        return json_response([])
    return json_response([control_view(hub, m) for m in hub.world.visible_messages(channel.id)])


@routes.post("/_sandbox/members")
async def add_member(request: web.Request) -> web.Response:
    hub = _hub(request)
    body = await _body(request)
    expected = "2-32 characters of a-z, 0-9, '_' or '.'"
    username = fields.text(body, "username", expected)
    if not re.fullmatch(r"[a-z0-9_.]{2,32}", username):
        raise fields.wrong("username", body.get("username"), expected)
    roles = [hub.world.find_role(r).id for r in body.get("roles") or []]
    user = next((u for u in hub.world.users.values() if u.username == username), None)
    if user is not None and user.id in hub.world.guild.members:
        raise ControlError(f"user {username!r} is already a member")
    if user is None:  # a new account; an existing one that left joins again
        user = User(
            id=hub.world.ids.next(),
            username=username,
            global_name=username.title(),
            locale=str(body.get("locale") or "en-US"),
        )
        hub.world.users[user.id] = user
    member = Member(
        user_id=user.id,
        role_ids=[r for r in roles if r != hub.world.guild.id],
        joined_at=hub.world.now_iso(),
    )
    hub.world.guild.members[user.id] = member
    hub.gateway.dispatch(
        "GUILD_MEMBER_ADD", {**member_payload(hub.world, member), "guild_id": str(hub.world.guild.id)}
    )
    return json_response(_member_view(hub, member))


@routes.delete("/_sandbox/members/{user}")
async def remove_member(request: web.Request) -> web.Response:
    """The member leaves the server (GUILD_MEMBER_REMOVE); adding the same username again is a rejoin."""
    hub = _hub(request)
    user = hub.world.find_user(request.match_info["user"])
    if user.id not in hub.world.guild.members or user.id in (hub.world.bot_user_id, hub.world.guild.owner_id):
        raise ControlError(f"user {user.username!r} is not a member who can leave")
    del hub.world.guild.members[user.id]
    hub.gateway.dispatch(
        "GUILD_MEMBER_REMOVE", {"guild_id": str(hub.world.guild.id), "user": user_payload(user)}
    )
    return json_response({"user": user.username, "left": True})


@routes.get("/_sandbox/requests")
async def requests(request: web.Request) -> web.Response:
    return json_response(_hub(request).requests)


@routes.get("/_sandbox/violations")
async def violations(request: web.Request) -> web.Response:
    return json_response(_hub(request).violations)


@routes.delete("/_sandbox/violations")
async def clear_violations(request: web.Request) -> web.Response:
    _hub(request).violations.clear()
    return json_response([])


@routes.put("/_sandbox/channels/{channel}/overwrites")
async def set_overwrite(request: web.Request) -> web.Response:
    hub = _hub(request)
    channel = hub.world.find_channel(request.match_info["channel"])
    body = await _body(request)
    target = fields.text(body, "target", "a role name or id, or a user name or id")
    try:
        role = hub.world.find_role(target)
        target_id, kind = role.id, 0
    except LookupFailed:
        target_id, kind = hub.world.find_user(target).id, 1
    allow, deny = names_or_value(body.get("allow") or []), names_or_value(body.get("deny") or [])
    if allow or deny:
        channel.overwrites[target_id] = Overwrite(target_id, kind, allow, deny)
    else:
        channel.overwrites.pop(target_id, None)
    hub.gateway.dispatch(
        "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE", channel_payload(hub.world, channel)
    )
    return json_response(channel_payload(hub.world, channel))


@routes.get("/_sandbox/permissions")
async def permissions(request: web.Request) -> web.Response:
    """What a member may do in a channel, computed as Discord does (roles, then overwrites)."""
    hub = _hub(request)
    query = dict(request.query)
    user = hub.world.find_user(fields.text(query, "user", f"{fields.USER} (?user=alex)"))
    channel = hub.world.find_channel(fields.text(query, "channel", "a channel name or id (?channel=general)"))
    member = hub.world.guild.members.get(user.id)
    if member is None:
        raise ControlError(f"{user.username} is not a member of the guild")
    value = channel_permissions(hub.world.guild, member, channel)
    sending = perm("send_messages_in_threads") if channel.is_thread else perm("send_messages")
    view = bool(value & perm("view_channel"))
    return json_response(
        {
            "permissions": str(value),
            "names": value_to_names(value),
            "view": view,
            "send": view and bool(value & sending),
        }
    )


@routes.patch("/_sandbox/roles/{role}")
async def set_role(request: web.Request) -> web.Response:
    hub = _hub(request)
    role = hub.world.find_role(request.match_info["role"])
    body = await _body(request)
    if "permissions" in body:
        role.permissions = names_or_value(body["permissions"])
    if "mentionable" in body:
        role.mentionable = bool(body["mentionable"])
    hub.gateway.dispatch(
        "GUILD_ROLE_UPDATE", {"guild_id": str(hub.world.guild.id), "role": role_payload(role)}
    )
    return json_response(role_payload(role))


@routes.post("/_sandbox/faults")
async def add_fault(request: web.Request) -> web.Response:
    hub = _hub(request)
    body = await _body(request)
    status = int(body.get("status", 0))
    if status not in (429, 500, 502, 503, 504):
        raise ControlError("status must be one of 429, 500, 502, 503, 504")
    try:
        pattern = re.compile(str(body.get("path") or ".*"))
    except re.error as exc:
        raise ControlError(f"path is not a valid regex: {exc}") from exc
    fault = Fault(
        method=str(body.get("method") or "*").upper(),
        path=pattern,
        status=status,
        remaining=int(body.get("count", 1)),
        retry_after=float(body.get("retry_after", 0.1)),
    )
    hub.faults.append(fault)
    return json_response(
        {"method": fault.method, "path": pattern.pattern, "status": status, "count": fault.remaining}
    )


@routes.post("/_sandbox/gateway/reconnect")
async def gateway_reconnect(request: web.Request) -> web.Response:
    return json_response({"sent": _hub(request).gateway.force_reconnect()})


@routes.post("/_sandbox/gateway/invalidate")
async def gateway_invalidate(request: web.Request) -> web.Response:
    return json_response({"sent": _hub(request).gateway.invalidate_sessions()})


@routes.post("/_sandbox/users/{user}/dms")
async def set_dms(request: web.Request) -> web.Response:
    hub = _hub(request)
    user = hub.world.find_user(request.match_info["user"])
    body = await _body(request)
    if not isinstance(body.get("open"), bool):
        raise ControlError("give {'open': true|false}")
    user.dms_open = body["open"]
    return json_response({"user": user.username, "dms_open": user.dms_open})

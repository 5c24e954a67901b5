"""REST: channel messages, edits, deletes, pins, reactions and typing.

Bodies reach these handlers already checked against Discord's limits (sandbox.limits, from rest.py).
"""

from __future__ import annotations

from aiohttp import web

from sandbox.errors import ApiError, json_response, no_content
from sandbox.hub import Hub
from sandbox.messaging import (
    UploadedFile,
    create_message,
    delete_message,
    dispatch_message,
    edit_message,
    nonced_message,
)
from sandbox.model import JSON, Channel
from sandbox.ratelimit import MESSAGE_POST_POLICY
from sandbox.rest import RestCall, Router, channel_from, message_from

router = Router()
MAX_PINS = 250


def check_can_send(hub: Hub, channel: Channel, body: JSON, files: list[UploadedFile]) -> None:
    if channel.is_dm:
        recipient = hub.world.users.get(channel.recipient_id or 0)
        if recipient is None or not recipient.dms_open:
            raise ApiError(403, 50007, "Cannot send messages to this user", violation=False)
        return
    if channel.type in (2, 4, 13, 15, 16):
        raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
    hub.require(channel, "view_channel", "send_messages_in_threads" if channel.is_thread else "send_messages")
    if channel.is_thread and channel.locked:
        hub.require(channel, "manage_threads")
    if body.get("embeds"):
        hub.require(channel, "embed_links")
    if files:
        hub.require(channel, "attach_files")
    if body.get("message_reference"):
        hub.require(channel, "read_message_history")


@router.route("POST", "/channels/{channel_id}/messages", policy=MESSAGE_POST_POLICY)
async def post_message(call: RestCall) -> web.Response:
    hub = call.hub
    channel = channel_from(call)
    body = call.json()
    check_can_send(hub, channel, body, call.files)
    existing = nonced_message(hub, channel, hub.world.bot_user_id, body)
    if existing is not None:
        return json_response(existing.payload)
    if channel.is_thread and channel.archived:
        channel.archived = False
    stored = create_message(hub, channel, hub.world.bot_user_id, body, call.files)
    return json_response(stored.payload)


def fetched(hub: Hub, channel: Channel, payload: JSON) -> JSON:
    """A stored message as a REST read returns it.

    No nonce: message.mdx:1081 says it "will appear in the Message Create event", not in fetched messages.
    The app has no MESSAGE_CONTENT intent (the sandbox refuses it at IDENTIFY, gateway.NOT_ALLOWED_PRIVILEGED),
    so, as message.mdx:22 and gateway.mdx:487-499 say ("across the APIs"), content, embeds, attachments and
    components come back empty and poll is omitted, except in the bot's own messages, DMs with it, and
    messages that mention it."""
    result = {k: v for k, v in payload.items() if k != "nonce"}
    bot_id = str(hub.world.bot_user_id)
    mentioned = any(str(u.get("id")) == bot_id for u in payload.get("mentions") or [])
    if channel.is_dm or mentioned or str((payload.get("author") or {}).get("id")) == bot_id:
        return result
    result.pop("poll", None)
    return {**result, "content": "", "embeds": [], "attachments": [], "components": []}


@router.route("GET", "/channels/{channel_id}/messages")
async def list_messages(call: RestCall) -> web.Response:
    hub = call.hub
    channel = channel_from(call)
    hub.require(channel, "view_channel", "read_message_history")
    limit = max(1, min(100, int(call.query.get("limit", "50") or 50)))
    messages = hub.world.visible_messages(channel.id)
    if "before" in call.query:
        messages = [m for m in messages if m.id < int(call.query["before"])]
    if "after" in call.query:
        messages = [m for m in messages if m.id > int(call.query["after"])][:limit]
    if "around" in call.query:
        around = int(call.query["around"])
        older = [m for m in messages if m.id <= around][-(limit // 2 + limit % 2) :]
        newer = [m for m in messages if m.id > around][: limit // 2]
        messages = older + newer
    newest_first = list(reversed(messages))[:limit]
    return json_response([fetched(hub, channel, m.payload) for m in newest_first])


@router.route("GET", "/channels/{channel_id}/messages/{message_id}")
async def get_message(call: RestCall) -> web.Response:
    channel = channel_from(call)
    call.hub.require(channel, "view_channel", "read_message_history")
    return json_response(fetched(call.hub, channel, message_from(call, channel).payload))


@router.route("PATCH", "/channels/{channel_id}/messages/{message_id}")
async def patch_message(call: RestCall) -> web.Response:
    hub = call.hub
    channel = channel_from(call)
    stored = message_from(call, channel)
    body = call.json()
    if int(stored.payload["author"]["id"]) != hub.world.bot_user_id:
        if set(body) - {"flags"}:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        hub.require(channel, "manage_messages")
    if body.get("embeds"):
        hub.require(channel, "embed_links")
    if call.files:
        hub.require(channel, "attach_files")
    return json_response(edit_message(hub, stored, body, call.files).payload)


@router.route("DELETE", "/channels/{channel_id}/messages/{message_id}")
async def remove_message(call: RestCall) -> web.Response:
    hub = call.hub
    channel = channel_from(call)
    stored = message_from(call, channel)
    if int(stored.payload["author"]["id"]) != hub.world.bot_user_id:
        if channel.is_dm:
            raise ApiError(403, 50003, "Cannot execute action on a DM channel")
        hub.require(channel, "manage_messages")
    delete_message(hub, stored)
    return no_content()


@router.route("POST", "/channels/{channel_id}/messages/bulk-delete")
async def bulk_delete(call: RestCall) -> web.Response:
    hub = call.hub
    channel = channel_from(call)
    hub.require(channel, "manage_messages")
    ids = call.json().get("messages") or []
    if not 2 <= len(ids) <= 100:
        raise ApiError(400, 50016, "Provided too few or too many messages to delete.")
    for raw in ids:
        stored = hub.world.messages.get(int(raw))
        if stored is not None and stored.channel_id == channel.id:
            delete_message(hub, stored)
    return no_content()


def _pin_permission(call: RestCall, channel: Channel) -> None:
    if channel.is_dm:
        return
    call.hub.require(channel, "view_channel", "read_message_history")
    # message.mdx:1273/1282 (Pin/Unpin Message) "Requires the PIN_MESSAGES permission"; change-log.mdx:1001:
    # from February 23, 2026 "MANAGE_MESSAGES alone will no longer be sufficient".
    call.hub.require(channel, "pin_messages")


@router.route("PUT", "/channels/{channel_id}/pins/{message_id}")
@router.route("PUT", "/channels/{channel_id}/messages/pins/{message_id}")
async def pin(call: RestCall) -> web.Response:
    channel = channel_from(call)
    stored = message_from(call, channel)
    _pin_permission(call, channel)
    pinned = [m for m in call.hub.world.visible_messages(channel.id) if m.payload["pinned"]]
    if not stored.payload["pinned"] and len(pinned) >= MAX_PINS:
        raise ApiError(400, 30003, f"Maximum number of pins reached ({MAX_PINS})")
    _set_pinned(call.hub, channel, stored.id, True)
    return no_content()


@router.route("DELETE", "/channels/{channel_id}/pins/{message_id}")
@router.route("DELETE", "/channels/{channel_id}/messages/pins/{message_id}")
async def unpin(call: RestCall) -> web.Response:
    channel = channel_from(call)
    stored = message_from(call, channel)
    _pin_permission(call, channel)
    _set_pinned(call.hub, channel, stored.id, False)
    return no_content()


def _set_pinned(hub: Hub, channel: Channel, message_id: int, pinned: bool) -> None:
    stored = hub.world.messages[message_id]
    if stored.payload["pinned"] == pinned:
        return
    stored.payload["pinned"] = pinned
    stored.pinned_at = hub.world.now_iso() if pinned else None
    dispatch_message(hub, "MESSAGE_UPDATE", stored)
    data: JSON = {"channel_id": str(channel.id), "last_pin_timestamp": stored.pinned_at}
    if not channel.is_dm:
        data["guild_id"] = str(hub.world.guild.id)
    hub.gateway.dispatch("CHANNEL_PINS_UPDATE", data, intent=(1 << 12) if channel.is_dm else 1)


def _pinned(call: RestCall, channel: Channel) -> list[tuple[str, JSON]]:
    pinned = [m for m in call.hub.world.visible_messages(channel.id) if m.payload["pinned"]]
    pinned.sort(key=lambda m: m.pinned_at or "", reverse=True)
    return [(m.pinned_at or "", fetched(call.hub, channel, m.payload)) for m in pinned]


@router.route("GET", "/channels/{channel_id}/pins")
async def list_pins_legacy(call: RestCall) -> web.Response:
    channel = channel_from(call)
    call.hub.require(channel, "view_channel", "read_message_history")
    return json_response([payload for _, payload in _pinned(call, channel)])


@router.route("GET", "/channels/{channel_id}/messages/pins")
async def list_pins(call: RestCall) -> web.Response:
    channel = channel_from(call)
    call.hub.require(channel, "view_channel", "read_message_history")
    items = [{"pinned_at": at, "message": payload} for at, payload in _pinned(call, channel)]
    return json_response({"items": items, "has_more": False})


@router.route("POST", "/channels/{channel_id}/typing")
async def typing(call: RestCall) -> web.Response:
    channel = channel_from(call)
    if not channel.is_dm:
        call.hub.require(
            channel, "view_channel", "send_messages_in_threads" if channel.is_thread else "send_messages"
        )
    return no_content()


@router.route("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def add_reaction(call: RestCall) -> web.Response:
    channel = channel_from(call)
    stored = message_from(call, channel)
    call.hub.require(channel, "view_channel", "read_message_history", "add_reactions")
    emoji = call.params["emoji"]
    reactions = stored.payload.setdefault("reactions", [])
    for reaction in reactions:
        if reaction["emoji"]["name"] == emoji:
            if not reaction["me"]:
                reaction["me"], reaction["count"] = True, reaction["count"] + 1
            return no_content()
    reactions.append(
        {
            "emoji": {"id": None, "name": emoji},
            "count": 1,
            "me": True,
            "me_burst": False,
            "burst_count": 0,
            "count_details": {"burst": 0, "normal": 1},
            "burst_colors": [],
        }
    )
    return no_content()


@router.route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def remove_reaction(call: RestCall) -> web.Response:
    channel = channel_from(call)
    stored = message_from(call, channel)
    emoji = call.params["emoji"]
    reactions = stored.payload.get("reactions") or []
    stored.payload["reactions"] = [
        r for r in reactions if not (r["emoji"]["name"] == emoji and r["count"] <= 1)
    ]
    for reaction in stored.payload["reactions"]:
        if reaction["emoji"]["name"] == emoji and reaction["me"]:
            reaction["me"], reaction["count"] = False, reaction["count"] - 1
    return no_content()

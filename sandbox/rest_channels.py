"""REST: channels, permission overwrites, threads and thread members, guild channel lists."""

from __future__ import annotations

from aiohttp import web

from sandbox.errors import ApiError, FieldError, form_error, json_response, no_content
from sandbox.hub import Hub
from sandbox.messaging import create_message
from sandbox.model import JSON, Channel, Overwrite
from sandbox.payloads import channel_payload, thread_member_payload
from sandbox.rest import RestCall, Router, channel_from, message_from
from sandbox.rest_core import _check_guild

router = Router()
CHANNEL_TYPES = {0, 2, 4, 5, 13, 15, 16}
ARCHIVE_DURATIONS = {60, 1440, 4320, 10080}
FORUM_TYPES = (15, 16)
REQUIRE_TAG = 1 << 4
MAX_APPLIED_TAGS = 5


def emit_channel(hub: Hub, event: str, channel: Channel) -> None:
    kind = "THREAD" if channel.is_thread else "CHANNEL"
    payload = channel_payload(hub.world, channel)
    if event == "CREATE" and channel.is_thread:
        payload["newly_created"] = True
    hub.gateway.dispatch(f"{kind}_{event}", payload)


def _parse_overwrites(
    hub: Hub, raw: object, channel: Channel | None, parent: Channel | None
) -> dict[int, Overwrite]:
    if not isinstance(raw, list):
        raise form_error([FieldError("permission_overwrites", "LIST_TYPE_CONVERT", "Must be an array.")])
    result: dict[int, Overwrite] = {}
    for item in raw:
        ow = Overwrite(
            id=int(item["id"]),
            type=int(item.get("type", 0)),
            allow=int(item.get("allow") or 0),
            deny=int(item.get("deny") or 0),
        )
        hub.require_overwrite_allowed(ow.allow, ow.deny, channel, parent)
        result[ow.id] = ow
    return result


def _text(body: JSON, key: str) -> str | None:
    """A string field (its length was checked by sandbox.limits); another type is the spec's to report."""
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise form_error([FieldError(key, "STRING_TYPE_CONVERT", "Could not interpret value as string.")])
    return value


MAX_GUILD_CHANNELS = (
    500  # opcodes-and-status-codes.mdx:210: 30013 "Maximum number of guild channels reached (500)"
)
MAX_CATEGORY_CHANNELS = 50  # channel.mdx:35 and :72: a category "contains up to 50 channels"


def check_room(hub: Hub, parent_id: int | None, *, new: bool) -> None:
    """A new channel needs room in the guild; a new or moved one needs room in its category. Discord answers
    a full category with a form error on parent_id, CHANNEL_PARENT_MAX_CHANNELS (discord-api-docs PR #1289)."""
    channels = [c for c in hub.world.guild.channels.values() if not c.is_thread]
    if new and len(channels) >= MAX_GUILD_CHANNELS:
        raise ApiError(400, 30013, "Maximum number of guild channels reached (500)")
    if (
        parent_id is not None
        and sum(1 for c in channels if c.parent_id == parent_id) >= MAX_CATEGORY_CHANNELS
    ):
        message = "Maximum number of channels in category reached (50)"
        raise form_error([FieldError("parent_id", "CHANNEL_PARENT_MAX_CHANNELS", message)])


def _apply_channel_fields(hub: Hub, channel: Channel, body: JSON) -> None:
    if "name" in body and (name := _text(body, "name")) is not None:
        channel.name = name if channel.is_thread or channel.type == 4 else name.lower().replace(" ", "-")
    if "topic" in body:
        channel.topic = _text(body, "topic")
    for key in ("position", "nsfw", "rate_limit_per_user", "archived", "locked", "auto_archive_duration"):
        if key in body and body[key] is not None:
            setattr(channel, key, body[key])
    if "parent_id" in body:
        parent = body["parent_id"]
        if parent and int(parent) != channel.parent_id and not channel.is_thread:
            check_room(hub, int(parent), new=False)
        channel.parent_id = int(parent) if parent else None
        if body.get("lock_permissions") and channel.parent_id in hub.world.guild.channels:
            channel.overwrites = dict(hub.world.guild.channels[channel.parent_id].overwrites)


@router.route("GET", "/channels/{channel_id}")
async def get_channel(call: RestCall) -> web.Response:
    return json_response(channel_payload(call.hub.world, channel_from(call)))


@router.route("PATCH", "/channels/{channel_id}")
async def patch_channel(call: RestCall) -> web.Response:
    hub = call.hub
    channel = channel_from(call)
    body = call.json()
    if channel.is_dm:
        raise ApiError(403, 50003, "Cannot execute action on a DM channel")
    if channel.is_thread:
        if channel.owner_id != hub.world.bot_user_id or set(body) & {"locked"}:
            hub.require(channel, "manage_threads")
    else:
        hub.require(channel, "manage_channels")
    if "permission_overwrites" in body:
        hub.require(channel, "manage_roles")
        parent = hub.world.guild.channels.get(channel.parent_id or 0)
        channel.overwrites = _parse_overwrites(hub, body["permission_overwrites"], channel, parent)
    _apply_channel_fields(hub, channel, body)
    emit_channel(hub, "UPDATE", channel)
    return json_response(channel_payload(hub.world, channel))


@router.route("DELETE", "/channels/{channel_id}")
async def delete_channel(call: RestCall) -> web.Response:
    hub = call.hub
    channel = channel_from(call)
    if channel.is_dm:
        return json_response(channel_payload(hub.world, channel))
    hub.require(channel, "manage_threads" if channel.is_thread else "manage_channels")
    payload = channel_payload(hub.world, channel)
    del hub.world.guild.channels[channel.id]
    for child in hub.world.guild.channels.values():
        if child.parent_id == channel.id and not child.is_thread:
            child.parent_id = None
    emit_channel(hub, "DELETE", channel)
    return json_response(payload)  # Discord answers 200 with the deleted channel


@router.route("PUT", "/channels/{channel_id}/permissions/{overwrite_id}")
async def put_overwrite(call: RestCall) -> web.Response:
    hub = call.hub
    channel = channel_from(call)
    if channel.is_dm or channel.is_thread:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    hub.require(channel, "manage_roles")
    body = call.json()
    target = int(call.params["overwrite_id"])
    kind = int(body.get("type", 0))
    if (kind == 0 and target not in hub.world.guild.roles) or (
        kind == 1 and target not in hub.world.guild.members
    ):
        raise ApiError(404, 10011 if kind == 0 else 10013, "Unknown Role" if kind == 0 else "Unknown User")
    ow = Overwrite(id=target, type=kind, allow=int(body.get("allow") or 0), deny=int(body.get("deny") or 0))
    hub.require_overwrite_allowed(
        ow.allow, ow.deny, channel, hub.world.guild.channels.get(channel.parent_id or 0)
    )
    channel.overwrites[target] = ow
    emit_channel(hub, "UPDATE", channel)
    return no_content()


@router.route("DELETE", "/channels/{channel_id}/permissions/{overwrite_id}")
async def delete_overwrite(call: RestCall) -> web.Response:
    hub = call.hub
    channel = channel_from(call)
    hub.require(channel, "manage_roles")
    if channel.overwrites.pop(int(call.params["overwrite_id"]), None) is not None:
        emit_channel(hub, "UPDATE", channel)
    return no_content()


def _new_thread(hub: Hub, parent: Channel, body: JSON, thread_id: int, kind: int) -> Channel:
    name = _text(body, "name") or ""
    duration = int(body.get("auto_archive_duration") or 4320)
    if duration not in ARCHIVE_DURATIONS:
        raise form_error(
            [
                FieldError(
                    "auto_archive_duration",
                    "BASE_TYPE_CHOICES",
                    f"Value must be one of {sorted(ARCHIVE_DURATIONS)}.",
                )
            ]
        )
    bot_id = hub.world.bot_user_id
    thread = Channel(
        id=thread_id,
        type=kind,
        name=name,
        guild_id=hub.world.guild.id,
        parent_id=parent.id,
        owner_id=bot_id,
        auto_archive_duration=duration,
        rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
        created_at=hub.world.now_iso(),
    )
    thread.thread_member_ids[bot_id] = thread.created_at
    hub.world.guild.channels[thread.id] = thread
    hub.world.channel_messages.setdefault(thread.id, [])
    emit_channel(hub, "CREATE", thread)
    return thread


@router.route("POST", "/channels/{channel_id}/messages/{message_id}/threads")
async def thread_from_message(call: RestCall) -> web.Response:
    hub = call.hub
    parent = channel_from(call)
    stored = message_from(call, parent)
    if parent.is_dm or parent.is_thread or parent.type not in (0, 5):
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    hub.require(parent, "view_channel", "create_public_threads", "read_message_history")
    if stored.payload.get("thread"):
        raise ApiError(400, 160004, "A thread has already been created for this message")
    thread = _new_thread(hub, parent, call.json(), stored.id, 11 if parent.type == 0 else 10)
    stored.payload["thread"] = channel_payload(hub.world, thread)
    return json_response(channel_payload(hub.world, thread), 201)


@router.route("POST", "/channels/{channel_id}/threads")
async def thread_without_message(call: RestCall) -> web.Response:
    hub = call.hub
    parent = channel_from(call)
    body = call.json()
    if parent.type in FORUM_TYPES:
        return await forum_post(call, parent, body)
    if parent.is_dm or parent.is_thread or parent.type not in (0, 5):
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    kind = int(body.get("type") or 12)
    hub.require(parent, "view_channel", "create_private_threads" if kind == 12 else "create_public_threads")
    thread = _new_thread(hub, parent, body, hub.world.ids.next(), kind)
    return json_response(channel_payload(hub.world, thread), 201)


async def forum_post(call: RestCall, forum: Channel, body: JSON) -> web.Response:
    """Start Thread in Forum or Media Channel (discord-api-docs, docs/resources/channel.mdx): a
    PUBLIC_THREAD whose first message has the thread's id. Needs SEND_MESSAGES only
    (CREATE_PUBLIC_THREADS is ignored); `message` needs at least one of content, embeds, sticker_ids,
    components or files; `applied_tags` are ids of the forum's `available_tags` (at most 5, as for
    Modify Thread), and a forum flagged REQUIRE_TAG refuses a post without one (code 40067)."""
    hub = call.hub
    message = body.get("message")
    if not isinstance(message, dict):
        raise form_error([FieldError("message", "BASE_TYPE_REQUIRED", "This field is required")])
    if not any(message.get(k) for k in ("content", "embeds", "sticker_ids", "components")) and not call.files:
        raise ApiError(400, 50006, "Cannot send an empty message")
    hub.require(forum, "view_channel", "send_messages")
    if message.get("embeds"):
        hub.require(forum, "embed_links")
    if call.files:
        hub.require(forum, "attach_files")
    raw_tags = body.get("applied_tags") or []
    known = {int(tag["id"]) for tag in forum.available_tags}
    tags = [int(tag) for tag in raw_tags]
    if len(tags) > MAX_APPLIED_TAGS:
        raise form_error(
            [FieldError("applied_tags", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")]
        )
    if any(tag not in known for tag in tags):
        raise form_error([FieldError("applied_tags", "INVALID_TAG", "Unknown tag for this channel.")])
    if forum.flags & REQUIRE_TAG and not tags:
        raise ApiError(400, 40067, "A tag is required to create a forum post in this channel")
    thread = _new_thread(hub, forum, body, hub.world.ids.next(), 11)
    thread.applied_tags = tags
    stored = create_message(hub, thread, hub.world.bot_user_id, message, call.files, message_id=thread.id)
    forum.last_message_id = thread.id
    return json_response({**channel_payload(hub.world, thread), "message": stored.payload}, 201)


def _thread_from(call: RestCall) -> Channel:
    thread = channel_from(call)
    if not thread.is_thread:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    return thread


def _member_id(call: RestCall) -> int:
    raw = call.params.get("user_id", "@me")
    return call.hub.world.bot_user_id if raw == "@me" else int(raw)


@router.route("PUT", "/channels/{channel_id}/thread-members/@me")
@router.route("PUT", "/channels/{channel_id}/thread-members/{user_id}")
async def join_thread(call: RestCall) -> web.Response:
    thread = _thread_from(call)
    user_id = _member_id(call)
    if user_id not in call.hub.world.guild.members:
        raise ApiError(404, 10013, "Unknown User", violation=False)
    if user_id != call.hub.world.bot_user_id:
        call.hub.require(thread, "send_messages_in_threads")
    thread.thread_member_ids.setdefault(user_id, call.hub.world.now_iso())
    return no_content()


@router.route("DELETE", "/channels/{channel_id}/thread-members/@me")
@router.route("DELETE", "/channels/{channel_id}/thread-members/{user_id}")
async def leave_thread(call: RestCall) -> web.Response:
    thread = _thread_from(call)
    user_id = _member_id(call)
    if user_id != call.hub.world.bot_user_id and thread.owner_id != call.hub.world.bot_user_id:
        call.hub.require(thread, "manage_threads")
    thread.thread_member_ids.pop(user_id, None)
    return no_content()


@router.route("GET", "/channels/{channel_id}/thread-members")
async def list_thread_members(call: RestCall) -> web.Response:
    thread = _thread_from(call)
    return json_response([thread_member_payload(thread, uid) for uid in thread.thread_member_ids])


@router.route("GET", "/channels/{channel_id}/thread-members/{user_id}")
async def get_thread_member(call: RestCall) -> web.Response:
    thread = _thread_from(call)
    user_id = _member_id(call)
    if user_id not in thread.thread_member_ids:
        raise ApiError(404, 10033, "Unknown thread member", violation=False)
    return json_response(thread_member_payload(thread, user_id))


@router.route("GET", "/guilds/{guild_id}/threads/active")
async def active_threads(call: RestCall) -> web.Response:
    _check_guild(call)
    world = call.hub.world
    threads = [c for c in world.guild.channels.values() if c.is_thread and not c.archived]
    members = [
        thread_member_payload(t, world.bot_user_id)
        for t in threads
        if world.bot_user_id in t.thread_member_ids
    ]
    return json_response({"threads": [channel_payload(world, t) for t in threads], "members": members})


@router.route("GET", "/guilds/{guild_id}/channels")
async def list_guild_channels(call: RestCall) -> web.Response:
    _check_guild(call)
    world = call.hub.world
    return json_response(
        [channel_payload(world, c) for c in world.guild.channels.values() if not c.is_thread]
    )


@router.route("POST", "/guilds/{guild_id}/channels")
async def create_guild_channel(call: RestCall) -> web.Response:
    _check_guild(call)
    hub = call.hub
    body = call.json()
    kind = int(body.get("type") or 0)
    if kind not in CHANNEL_TYPES:
        raise form_error(
            [FieldError("type", "BASE_TYPE_CHOICES", f"Value must be one of {sorted(CHANNEL_TYPES)}.")]
        )
    parent_id = int(body["parent_id"]) if body.get("parent_id") else None
    parent = hub.world.guild.channels.get(parent_id or 0)
    if parent_id is not None and (parent is None or parent.type != 4):
        raise form_error([FieldError("parent_id", "CHANNEL_PARENT_INVALID", "Invalid parent channel.")])
    hub.require(parent, "manage_channels")
    check_room(hub, parent_id, new=True)
    channel = Channel(
        id=hub.world.ids.next(),
        type=kind,
        name=None,
        guild_id=hub.world.guild.id,
        position=len(hub.world.guild.channels),
        created_at=hub.world.now_iso(),
    )
    if "permission_overwrites" in body and body["permission_overwrites"] is not None:
        hub.require(parent, "manage_roles")
        channel.overwrites = _parse_overwrites(hub, body["permission_overwrites"], None, parent)
    elif parent is not None:
        channel.overwrites = {
            k: Overwrite(v.id, v.type, v.allow, v.deny) for k, v in parent.overwrites.items()
        }
    _apply_channel_fields(hub, channel, {k: v for k, v in body.items() if k != "parent_id"})
    channel.parent_id = parent_id
    hub.world.guild.channels[channel.id] = channel
    hub.world.channel_messages[channel.id] = []
    emit_channel(hub, "CREATE", channel)
    return json_response(channel_payload(hub.world, channel), 201)


@router.route("PATCH", "/guilds/{guild_id}/channels")
async def reorder_channels(call: RestCall) -> web.Response:
    _check_guild(call)
    hub = call.hub
    hub.require(None, "manage_channels")
    items = call.body if isinstance(call.body, list) else []
    changed: list[Channel] = []
    for item in items:
        channel = hub.world.guild.channels.get(int(item.get("id", 0)))
        if channel is None or channel.is_thread:
            raise form_error([FieldError("id", "CHANNEL_INVALID", f"Unknown channel {item.get('id')}")])
        _apply_channel_fields(
            hub,
            channel,
            {k: v for k, v in item.items() if k in ("position", "parent_id", "lock_permissions")},
        )
        changed.append(channel)
    for channel in changed:
        emit_channel(hub, "UPDATE", channel)
    return no_content()


@router.route("GET", "/channels/{channel_id}/threads/archived/public")
@router.route("GET", "/channels/{channel_id}/threads/archived/private")
async def archived_threads(call: RestCall) -> web.Response:
    parent = channel_from(call)
    call.hub.require(parent, "read_message_history")
    world = call.hub.world
    private = call.path.endswith("/private")
    threads = [
        c
        for c in world.guild.channels.values()
        if c.is_thread and c.archived and c.parent_id == parent.id and (c.type == 12) == private
    ]
    return json_response(
        {"threads": [channel_payload(world, t) for t in threads], "members": [], "has_more": False}
    )

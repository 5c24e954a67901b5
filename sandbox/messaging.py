"""Creating, editing and deleting stored messages, with the gateway echoes Discord would send."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sandbox.errors import unknown_message
from sandbox.model import JSON, Channel, StoredAttachment, StoredMessage
from sandbox.payloads import message_author_member, user_payload
from sandbox.permissions import perm
from sandbox.snowflakes import iso

if TYPE_CHECKING:
    from sandbox.hub import Hub

USER_MENTION = re.compile(r"<@!?(\d{15,21})>")
ROLE_MENTION = re.compile(r"<@&(\d{15,21})>")
EPHEMERAL = 1 << 6
LOADING = 1 << 7
MESSAGE_FIELDS = ("content", "embeds", "components", "flags", "tts", "nonce", "poll", "sticker_ids")


@dataclass(frozen=True)
class UploadedFile:
    index: int
    filename: str
    content_type: str
    data: bytes


def store_attachment(
    hub: Hub, channel_id: int, upload: UploadedFile, meta: JSON | None = None, ephemeral: bool = False
) -> JSON:
    world = hub.world
    attachment_id = world.ids.next()
    filename = str((meta or {}).get("filename") or upload.filename)
    content_type = upload.content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    world.attachments[attachment_id] = StoredAttachment(filename, content_type, upload.data)
    url = f"{hub.http_base}/attachments/{channel_id}/{attachment_id}/{quote(filename)}"
    data: JSON = {
        "id": str(attachment_id),
        "filename": filename,
        "size": len(upload.data),
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
    }
    if (meta or {}).get("description"):
        data["description"] = meta["description"]  # type: ignore[index]
    if ephemeral:
        data["ephemeral"] = True
    return data


def _attachments(
    hub: Hub, channel_id: int, body: JSON, files: list[UploadedFile], existing: list[JSON], ephemeral: bool
) -> list[JSON]:
    """Existing attachments the body keeps (by id) plus the uploaded files (matched by index)."""
    metas = body.get("attachments")
    if not isinstance(metas, list):
        return existing + [store_attachment(hub, channel_id, f, None, ephemeral) for f in files]
    by_index = {f.index: f for f in files}
    existing_by_id = {str(a["id"]): a for a in existing}
    result: list[JSON] = []
    used: set[int] = set()
    for meta in metas:
        ident = str(meta.get("id", "")) if isinstance(meta, dict) else ""
        if ident in existing_by_id:
            result.append(existing_by_id[ident])
        elif ident.isdigit() and int(ident) in by_index and int(ident) not in used:
            used.add(int(ident))
            result.append(store_attachment(hub, channel_id, by_index[int(ident)], meta, ephemeral))
    result.extend(store_attachment(hub, channel_id, f, None, ephemeral) for f in files if f.index not in used)
    return result


def compute_mentions(
    hub: Hub, channel: Channel, author_id: int, content: str, allowed: Any, default_parse: tuple[str, ...]
) -> JSON:
    world = hub.world
    if isinstance(allowed, dict):
        parse = set(allowed.get("parse") or [])
        listed_users = {str(u) for u in allowed.get("users") or []}
        listed_roles = {str(r) for r in allowed.get("roles") or []}
    else:
        parse, listed_users, listed_roles = set(default_parse), set(), set()
    users = []
    for raw in dict.fromkeys(USER_MENTION.findall(content)):
        user = world.users.get(int(raw))
        if user is not None and ("users" in parse or raw in listed_users):
            users.append(user_payload(user))
    can_everyone = (
        bool(hub.member_permissions(author_id, channel) & perm("mention_everyone")) or channel.is_dm
    )
    roles = []
    for raw in dict.fromkeys(ROLE_MENTION.findall(content)):
        role = world.guild.roles.get(int(raw))
        if (
            role is not None
            and ("roles" in parse or raw in listed_roles)
            and (role.mentionable or can_everyone)
        ):
            roles.append(raw)
    everyone = ("@everyone" in content or "@here" in content) and "everyone" in parse and can_everyone
    return {
        "mentions": users,
        "mention_roles": roles,
        "mention_everyone": bool(everyone and not channel.is_dm),
    }


def create_message(
    hub: Hub,
    channel: Channel,
    author_id: int,
    body: JSON,
    files: list[UploadedFile],
    *,
    ephemeral: bool = False,
    interaction: JSON | None = None,
    message_type: int = 0,
    default_parse: tuple[str, ...] = ("users", "roles", "everyone"),
    message_id: int | None = None,  # a forum post's first message takes its thread's id
) -> StoredMessage:
    world = hub.world
    created_at = world.now()
    message_id = message_id or world.ids.next(created_at)
    flags = int(body.get("flags") or 0) | (EPHEMERAL if ephemeral else 0)
    content = str(body.get("content") or "")
    payload: JSON = {
        "id": str(message_id),
        "channel_id": str(channel.id),
        "type": message_type,
        "author": user_payload(world.users[author_id]),
        "content": content,
        "timestamp": iso(created_at),
        "edited_timestamp": None,
        "tts": bool(body.get("tts")),
        "embeds": list(body.get("embeds") or []),
        "components": list(body.get("components") or []),
        "attachments": _attachments(hub, channel.id, body, files, [], ephemeral),
        "flags": flags,
        "pinned": False,
        "reactions": [],
        "sticker_items": [],
        "position": 0,
    }
    payload.update(
        compute_mentions(hub, channel, author_id, content, body.get("allowed_mentions"), default_parse)
    )
    if body.get("nonce") is not None:
        payload["nonce"] = body["nonce"]
        world.nonces.remember(channel.id, author_id, body["nonce"], message_id, created_at)
    if isinstance(body.get("message_reference"), dict):
        payload["message_reference"] = {**body["message_reference"], "channel_id": str(channel.id)}
        payload["type"] = 19
    if interaction is not None:
        payload["webhook_id"] = str(world.application_id)
        payload["application_id"] = str(world.application_id)
        payload["interaction_metadata"] = interaction
    stored = StoredMessage(
        payload=payload,
        channel_id=channel.id,
        ephemeral=ephemeral,
        interaction_id=int(interaction["id"]) if interaction else None,
    )
    world.add_message(stored)
    if not ephemeral:
        dispatch_message(hub, "MESSAGE_CREATE", stored)
    return stored


def nonced_message(hub: Hub, channel: Channel, author_id: int, body: JSON) -> StoredMessage | None:
    """The message this author created with the body's nonce in this channel within the nonce window,
    when the body enforces its nonce (sandbox.nonces); None when a new message should be created."""
    nonce = body.get("nonce")
    if not body.get("enforce_nonce") or nonce is None:
        return None
    message_id = hub.world.nonces.recent(channel.id, author_id, nonce, hub.world.now())
    if message_id is None:
        return None
    stored = hub.world.messages.get(message_id)
    if stored is None:
        raise unknown_message()
    return stored


def edit_message(
    hub: Hub,
    stored: StoredMessage,
    body: JSON,
    files: list[UploadedFile],
    *,
    default_parse: tuple[str, ...] = ("users", "roles", "everyone"),
) -> StoredMessage:
    payload = stored.payload
    channel = hub.world.channel(stored.channel_id)
    for key in ("content", "embeds", "components"):
        if key in body:
            payload[key] = body[key] if body[key] is not None else ("" if key == "content" else [])
    if "flags" in body and body["flags"] is not None:
        payload["flags"] = (int(body["flags"]) & ~LOADING) | (payload["flags"] & EPHEMERAL)
    else:
        payload["flags"] = int(payload["flags"]) & ~LOADING
    if "attachments" in body or files:
        payload["attachments"] = _attachments(
            hub, stored.channel_id, body, files, payload["attachments"], stored.ephemeral
        )
    if channel is not None and ("content" in body or "allowed_mentions" in body):
        author_id = int(payload["author"]["id"])
        payload.update(
            compute_mentions(
                hub,
                channel,
                author_id,
                str(payload.get("content") or ""),
                body.get("allowed_mentions"),
                default_parse,
            )
        )
    payload["edited_timestamp"] = hub.world.now_iso()  # message.mdx:32: "when this message was edited"
    if not stored.ephemeral:
        dispatch_message(hub, "MESSAGE_UPDATE", stored)
    return stored


def delete_message(hub: Hub, stored: StoredMessage) -> None:
    hub.world.remove_message(stored.id)
    if stored.ephemeral:
        return
    channel = hub.world.channel(stored.channel_id)
    data: JSON = {"id": str(stored.id), "channel_id": str(stored.channel_id)}
    is_dm = channel is not None and channel.is_dm
    if not is_dm:
        data["guild_id"] = str(hub.world.guild.id)
    hub.gateway.dispatch("MESSAGE_DELETE", data, intent=(1 << 12) if is_dm else (1 << 9))


def gateway_message(hub: Hub, stored: StoredMessage) -> tuple[JSON, bool]:
    channel = hub.world.channel(stored.channel_id)
    is_dm = channel is not None and channel.is_dm
    data = dict(stored.payload)
    if not is_dm:
        data["guild_id"] = str(hub.world.guild.id)
        member = message_author_member(hub.world, int(data["author"]["id"]))
        if member is not None:
            data["member"] = member
    return data, is_dm


def dispatch_message(hub: Hub, event: str, stored: StoredMessage) -> None:
    data, is_dm = gateway_message(hub, stored)
    hub.gateway.dispatch_message(event, data, is_dm=is_dm)


def control_view(hub: Hub, stored: StoredMessage) -> JSON:
    """The message as the control API shows it (adds thread_id and ephemeral)."""
    payload = stored.payload
    view = {
        key: payload.get(key)
        for key in (
            "id",
            "channel_id",
            "content",
            "embeds",
            "components",
            "attachments",
            "flags",
            "mentions",
            "mention_roles",
            "mention_everyone",
            "pinned",
            "type",
            "timestamp",
        )
    }
    author = payload["author"]
    view["author"] = {"id": author["id"], "username": author["username"], "bot": bool(author.get("bot"))}
    view["edited_at"] = payload.get("edited_timestamp")
    thread = payload.get("thread")
    view["thread_id"] = thread["id"] if isinstance(thread, dict) else None
    view["ephemeral"] = stored.ephemeral
    if payload.get("interaction_metadata"):
        view["interaction_id"] = payload["interaction_metadata"]["id"]
    return view

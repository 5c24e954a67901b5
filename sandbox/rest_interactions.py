"""REST: interaction callbacks (with_response), followup webhooks and the original response.

Bodies reach these handlers already checked against Discord's limits (sandbox.limits, from rest.py).
"""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError, FieldError, form_error, json_response, no_content
from sandbox.hub import Hub
from sandbox.interactions import ACK_DEADLINE_S, InteractionRecord
from sandbox.messaging import EPHEMERAL, LOADING, UploadedFile, create_message, delete_message, edit_message
from sandbox.model import JSON, StoredMessage
from sandbox.payloads import user_payload
from sandbox.rest import RestCall, Router

router = Router()
TRUE_QUERY = ("true", "True", "1")  # reference.mdx:255-257, Boolean Query Strings
INTERACTION_PARSE = ("users",)
ALLOWED_CALLBACKS = {1: {1}, 2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}


def _record_for(call: RestCall) -> InteractionRecord:
    raw = call.params["interaction_id"]
    record = call.hub.interactions.get(int(raw)) if raw.isdigit() else None
    if record is None or record.token != call.params["interaction_token"]:
        raise ApiError(404, 10062, "Unknown interaction")
    return record


def interaction_metadata(hub: Hub, record: InteractionRecord) -> JSON:
    channel = hub.world.channel(record.channel_id)
    owners = (
        {"1": str(record.user_id)}
        if channel is not None and channel.is_dm
        else {"0": str(hub.world.guild.id)}
    )
    data: JSON = {
        "id": str(record.id),
        "type": record.type,
        "user": user_payload(hub.world.users[record.user_id]),
        "authorizing_integration_owners": owners,
    }
    if record.source_message_id is not None:
        data["interacted_message_id"] = str(record.source_message_id)
    if record.type == 2:
        data["name"] = record.payload["data"]["name"]
    return data


def _respond_with_message(
    hub: Hub, record: InteractionRecord, data: JSON, files: list[UploadedFile], loading: bool = False
) -> StoredMessage:
    channel = hub.world.channel(record.channel_id)
    if channel is None:
        raise ApiError(404, 10003, "Unknown Channel")
    flags = int(data.get("flags") or 0)
    body = {**data, "flags": (flags & ~EPHEMERAL) | (LOADING if loading else 0)}
    return create_message(
        hub,
        channel,
        hub.world.bot_user_id,
        body,
        files,
        ephemeral=bool(flags & EPHEMERAL),
        interaction=interaction_metadata(hub, record),
        message_type=20 if record.type == 2 else 0,
        default_parse=INTERACTION_PARSE,
    )


def _check_callback(hub: Hub, record: InteractionRecord, kind: Any) -> None:
    if record.callback is not None:
        raise ApiError(400, 40060, "Interaction has already been acknowledged.")
    if time.monotonic() - record.created_at > ACK_DEADLINE_S:
        raise ApiError(404, 10062, f"Unknown interaction (not acknowledged within {ACK_DEADLINE_S:.0f} s)")
    allowed = set(ALLOWED_CALLBACKS.get(record.type, set()))
    if record.type == 5:
        parent = hub.interactions.get(record.parent_interaction_id or 0)
        if parent is None or parent.type != 3:
            allowed -= {6, 7}
    if kind not in allowed:
        raise form_error(
            [
                FieldError(
                    "type",
                    "INTERACTION_RESPONSE_TYPE_INVALID",
                    f"Response type {kind} is not valid for interaction type {record.type}; "
                    f"allowed: {sorted(allowed)}.",
                )
            ]
        )


@router.route(
    "POST", "/interactions/{interaction_id}/{interaction_token}/callback", auth=False, global_exempt=True
)
async def callback(call: RestCall) -> web.Response:
    hub = call.hub
    record = _record_for(call)
    body = call.json()
    kind = body.get("type")
    _check_callback(hub, record, kind)
    assert isinstance(kind, int)
    raw_data = body.get("data")
    data: JSON = raw_data if isinstance(raw_data, dict) else {}
    message: StoredMessage | None = None
    if kind == 4:
        message = _respond_with_message(hub, record, data, call.files)
    elif kind == 5:
        message = _respond_with_message(hub, record, {"flags": data.get("flags") or 0}, [], loading=True)
    elif kind in (6, 7):
        message = hub.world.messages.get(record.source_message_id or 0)
        if kind == 7 and message is not None:
            edit_message(hub, message, data, call.files, default_parse=INTERACTION_PARSE)
    record.callback = body
    record.callback_at = time.monotonic()
    if message is not None:
        record.response_message_id = message.id
    record.acknowledged.set()
    # receiving-and-responding.mdx:443: "Returns 204 unless with_response is set to true"
    if call.query.get("with_response") not in TRUE_QUERY:
        return no_content()
    return json_response(_callback_reply(record, kind, message))


def _callback_reply(record: InteractionRecord, kind: int, message: StoredMessage | None) -> JSON:
    summary: JSON = {"id": str(record.id), "type": record.type}
    if message is not None:
        summary.update(
            response_message_id=str(message.id),
            response_message_loading=kind == 5,
            response_message_ephemeral=message.ephemeral,
        )
    reply: JSON = {"interaction": summary, "resource": {"type": kind}}
    # receiving-and-responding.mdx:409: resource.message is "Only present if type is either
    # CHANNEL_MESSAGE_WITH_SOURCE or UPDATE_MESSAGE" (4 or 7).
    if message is not None and kind in (4, 7):
        reply["resource"]["message"] = message.payload
    return reply


def _webhook_record(call: RestCall) -> InteractionRecord:
    hub = call.hub
    record = hub.interactions.for_token(call.params["webhook_token"])
    if call.params["webhook_id"] != str(hub.world.application_id) or record is None:
        raise ApiError(404, 10015, "Unknown Webhook")
    if record.expired:
        raise ApiError(401, 50027, "Invalid Webhook Token")
    if record.callback is None:
        raise ApiError(404, 10015, "Unknown Webhook (the interaction was not acknowledged yet)")
    return record


@router.route("POST", "/webhooks/{webhook_id}/{webhook_token}", auth=False, global_exempt=True)
async def followup(call: RestCall) -> web.Response:
    hub = call.hub
    record = _webhook_record(call)
    body = call.json()
    original = hub.world.messages.get(record.response_message_id or 0)
    if record.callback_type == 5 and original is not None and original.payload["flags"] & LOADING:
        message = edit_message(hub, original, body, call.files, default_parse=INTERACTION_PARSE)
    else:
        message = _respond_with_message(hub, record, body, call.files)
    record.followup_ids.append(message.id)
    record.mark_progressed()
    return json_response(message.payload)


def _webhook_message(call: RestCall, record: InteractionRecord) -> StoredMessage:
    raw = call.params["message_id"]
    if raw == "@original":
        message_id = record.response_message_id
    elif raw.isdigit() and int(raw) in (*record.followup_ids, record.response_message_id):
        message_id = int(raw)
    else:
        message_id = None
    stored = call.hub.world.messages.get(message_id or 0)
    if stored is None:
        raise ApiError(404, 10008, "Unknown Message")
    return stored


@router.route(
    "GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", auth=False, global_exempt=True
)
async def get_webhook_message(call: RestCall) -> web.Response:
    record = _webhook_record(call)
    return json_response(_webhook_message(call, record).payload)


@router.route(
    "PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", auth=False, global_exempt=True
)
async def edit_webhook_message(call: RestCall) -> web.Response:
    record = _webhook_record(call)
    stored = _webhook_message(call, record)
    body = call.json()
    edit_message(call.hub, stored, body, call.files, default_parse=INTERACTION_PARSE)
    record.edits.append(dict(stored.payload))
    record.mark_progressed()
    return json_response(stored.payload)


@router.route(
    "DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", auth=False, global_exempt=True
)
async def delete_webhook_message(call: RestCall) -> web.Response:
    record = _webhook_record(call)
    delete_message(call.hub, _webhook_message(call, record))
    return no_content()

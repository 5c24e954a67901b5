"""REST: guild scheduled events with Discord's entity, status and recurrence rules (facts §4)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError, FieldError, form_error, json_response, no_content
from sandbox.hub import Hub
from sandbox.limits import check_event_rules
from sandbox.model import JSON
from sandbox.payloads import user_payload
from sandbox.rest import RestCall, Router
from sandbox.rest_core import _check_guild

router = Router()
MAX_ACTIVE = 100
EXTERNAL, STAGE, VOICE = 3, 1, 2
SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
TRANSITIONS = {SCHEDULED: {SCHEDULED, ACTIVE, CANCELED}, ACTIVE: {ACTIVE, COMPLETED}}
DAILY_WEEKDAY_SETS = ([0, 1, 2, 3, 4], [1, 2, 3, 4, 5], [6, 0, 1, 2, 3], [4, 5], [5, 6], [6, 0])
EDITABLE = (
    "channel_id",
    "entity_metadata",
    "name",
    "privacy_level",
    "scheduled_start_time",
    "scheduled_end_time",
    "description",
    "entity_type",
    "status",
    "image",
    "recurrence_rule",
)


def _parse_time(errors: list[FieldError], field: str, value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        errors.append(FieldError(field, "DATE_TIME_TYPE_PARSE", "Could not parse date-time."))
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def check_recurrence(errors: list[FieldError], rule: Any) -> None:
    path = "recurrence_rule"
    if rule is None:
        return
    if not isinstance(rule, dict):
        errors.append(FieldError(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"))
        return
    if not rule.get("start"):
        errors.append(FieldError(f"{path}.start", "BASE_TYPE_REQUIRED", "This field is required"))
    for key in ("end", "count", "by_year_day"):
        if rule.get(key) is not None:
            errors.append(
                FieldError(
                    f"{path}.{key}",
                    "GUILD_SCHEDULED_EVENT_RECURRENCE_READ_ONLY",
                    f"{key} cannot be set by applications.",
                )
            )
    frequency, interval = rule.get("frequency"), rule.get("interval", 1)
    if frequency not in (0, 1, 2, 3):
        errors.append(
            FieldError(f"{path}.frequency", "BASE_TYPE_CHOICES", "Value must be one of {0, 1, 2, 3}.")
        )
    weekdays, n_weekdays = rule.get("by_weekday") or [], rule.get("by_n_weekday") or []
    months, month_days = rule.get("by_month") or [], rule.get("by_month_day") or []
    if sum(bool(x) for x in (weekdays, n_weekdays, months or month_days)) > 1:
        errors.append(
            FieldError(
                path,
                "GUILD_SCHEDULED_EVENT_RECURRENCE_INVALID",
                "by_weekday, by_n_weekday and by_month/by_month_day are mutually exclusive.",
            )
        )
    if any(not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
        errors.append(FieldError(f"{path}.by_weekday", "BASE_TYPE_CHOICES", "Weekdays are 0 (Monday) to 6."))
    if interval != 1 and not (frequency == 2 and interval == 2):
        errors.append(
            FieldError(
                f"{path}.interval",
                "GUILD_SCHEDULED_EVENT_RECURRENCE_INVALID",
                "interval may only be 2 for WEEKLY events, else 1.",
            )
        )
    if frequency == 2 and len(weekdays) != 1:
        errors.append(
            FieldError(
                f"{path}.by_weekday",
                "GUILD_SCHEDULED_EVENT_RECURRENCE_INVALID",
                "WEEKLY events need exactly one by_weekday entry.",
            )
        )
    if frequency == 3 and weekdays and list(weekdays) not in DAILY_WEEKDAY_SETS:
        errors.append(
            FieldError(
                f"{path}.by_weekday",
                "GUILD_SCHEDULED_EVENT_RECURRENCE_INVALID",
                "DAILY by_weekday must be one of the known weekday sets.",
            )
        )
    if frequency == 1 and len(n_weekdays) != 1:
        errors.append(
            FieldError(
                f"{path}.by_n_weekday",
                "GUILD_SCHEDULED_EVENT_RECURRENCE_INVALID",
                "MONTHLY events need exactly one by_n_weekday entry.",
            )
        )
    if frequency == 0 and (len(months) != 1 or len(month_days) != 1):
        errors.append(
            FieldError(
                path,
                "GUILD_SCHEDULED_EVENT_RECURRENCE_INVALID",
                "YEARLY events need one by_month and one by_month_day.",
            )
        )


def check_event(hub: Hub, event: JSON, start_changed: bool, *, edit: bool) -> None:
    """The rules that need more than the body: times against the clock, the stage or voice channel,
    the recurrence rule and, for an edit, the required and EXTERNAL rules on the event merged with the
    stored one. The body's own limits (lengths, privacy level, a creation's required and EXTERNAL
    rules) were checked by sandbox.limits before the handler ran."""
    errors: list[FieldError] = []
    if edit:
        check_event_rules(errors, event)
    start = _parse_time(errors, "scheduled_start_time", event.get("scheduled_start_time"))
    end = _parse_time(errors, "scheduled_end_time", event.get("scheduled_end_time"))
    if start is not None and start_changed and start <= hub.world.now():
        errors.append(
            FieldError(
                "scheduled_start_time",
                "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
                "Cannot schedule event in the past.",
            )
        )
    if start is not None and end is not None and end <= start:
        errors.append(
            FieldError(
                "scheduled_end_time",
                "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
                "Cannot schedule event to end before starting.",
            )
        )
    kind = event.get("entity_type")
    if kind in (STAGE, VOICE):
        channel = hub.world.guild.channels.get(int(event.get("channel_id") or 0))
        if channel is None or channel.type != (13 if kind == STAGE else 2):
            errors.append(
                FieldError("channel_id", "CHANNEL_INVALID", "A matching voice or stage channel is required.")
            )
    elif kind not in (None, EXTERNAL):
        errors.append(FieldError("entity_type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}."))
    check_recurrence(errors, event.get("recurrence_rule"))
    if errors:
        raise form_error(errors)


def _normalise_times(event: JSON) -> None:
    for key in ("scheduled_start_time", "scheduled_end_time"):
        if event.get(key):
            parsed = datetime.fromisoformat(str(event[key]))
            event[key] = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def advance_lifecycle(hub: Hub) -> None:
    """EXTERNAL events start and end on the sandbox clock, as Discord starts and ends them.

    guild-scheduled-event.mdx:425-431: "An event with 'entity_type': EXTERNAL at its scheduled_start_time
    will automatically have status set to ACTIVE" and "at its scheduled_end_time will automatically have
    status set to COMPLETED". Each change is dispatched as GUILD_SCHEDULED_EVENT_UPDATE. Run before any
    handler reads or changes events, so what the bot sees always matches the clock."""
    now = hub.world.now()
    for event in hub.world.guild.scheduled_events.values():
        if event.get("entity_type") != EXTERNAL or event["status"] not in (SCHEDULED, ACTIVE):
            continue
        start = _stored_time(event.get("scheduled_start_time"))
        end = _stored_time(event.get("scheduled_end_time"))
        status = event["status"]
        if status == SCHEDULED and start is not None and start <= now:
            status = ACTIVE
        if status == ACTIVE and end is not None and end <= now:
            status = COMPLETED
        if status != event["status"]:
            event["status"] = status
            hub.gateway.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", event)


def _stored_time(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _event_from(call: RestCall) -> JSON:
    _check_guild(call)
    advance_lifecycle(call.hub)
    raw = call.params["event_id"]
    event = call.hub.world.guild.scheduled_events.get(int(raw)) if raw.isdigit() else None
    if event is None:
        raise ApiError(404, 10070, "Unknown Guild Scheduled Event", violation=False)
    return event


def _reply(call: RestCall, event: JSON) -> JSON:
    if call.query.get("with_user_count") in ("1", "true", "True"):
        return {**event, "user_count": 0}
    return event


def _require_manage(hub: Hub, event: JSON) -> None:
    """guild-scheduled-event.mdx:460-462 (Modify/Delete Permissions)."""
    if event.get("creator_id") == str(hub.world.bot_user_id):
        hub.require_any(None, "manage_events", "create_events")
    else:
        hub.require(None, "manage_events")


@router.route("GET", "/guilds/{guild_id}/scheduled-events")
async def list_events(call: RestCall) -> web.Response:
    _check_guild(call)
    advance_lifecycle(call.hub)
    return json_response([_reply(call, e) for e in call.hub.world.guild.scheduled_events.values()])


@router.route("GET", "/guilds/{guild_id}/scheduled-events/{event_id}")
async def get_event(call: RestCall) -> web.Response:
    return json_response(_reply(call, _event_from(call)))


@router.route("POST", "/guilds/{guild_id}/scheduled-events")
async def create_event(call: RestCall) -> web.Response:
    _check_guild(call)
    hub = call.hub
    # guild-scheduled-event.mdx:453-455 (Create Permissions: CREATE_EVENTS); change-log.mdx:1022: from
    # February 23, 2026 bots "need the CREATE_EVENTS permission ... MANAGE_EVENTS alone will no longer be sufficient".
    hub.require(None, "create_events")
    advance_lifecycle(hub)
    body = call.json()
    event: JSON = {key: body.get(key) for key in EDITABLE if key != "status"}
    check_event(hub, event, start_changed=True, edit=False)
    events = hub.world.guild.scheduled_events
    # guild-scheduled-event.mdx:305: "a maximum of 100 events with SCHEDULED or ACTIVE status"
    if sum(1 for e in events.values() if e["status"] in (SCHEDULED, ACTIVE)) >= MAX_ACTIVE:
        raise ApiError(400, 30038, "Maximum number of uncompleted guild scheduled events reached (100)")
    _normalise_times(event)
    event_id = hub.world.ids.next()
    event.update(
        id=str(event_id),
        guild_id=str(hub.world.guild.id),
        creator_id=str(hub.world.bot_user_id),
        creator=user_payload(hub.world.bot_user),
        status=SCHEDULED,
        entity_id=None,
        description=event.get("description"),
        auto_start=False,
        user_count=0,
    )
    if event.get("channel_id") is not None:
        event["channel_id"] = str(event["channel_id"])
    events[event_id] = event
    hub.gateway.dispatch("GUILD_SCHEDULED_EVENT_CREATE", event)
    return json_response(event)


@router.route("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}")
async def patch_event(call: RestCall) -> web.Response:
    hub = call.hub
    event = _event_from(call)
    _require_manage(hub, event)
    body = call.json()
    status = event["status"]
    # guild-scheduled-event.mdx:88: "Once status is set to COMPLETED or CANCELED, the status can no longer be
    # updated"; the event itself is over, so no other field may change either.
    if status in (COMPLETED, CANCELED):
        raise form_error(
            [
                FieldError(
                    "status",
                    "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
                    "Cannot modify a completed or canceled event.",
                )
            ]
        )
    new_status = body.get("status", status)
    if new_status not in TRANSITIONS[status]:
        raise form_error(
            [
                FieldError(
                    "status",
                    "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
                    f"Cannot change status from {status} to {new_status}.",
                )
            ]
        )
    if body.get("entity_type") == EXTERNAL and "channel_id" not in body:
        body = {**body, "channel_id": None}
    merged = {**event, **{k: v for k, v in body.items() if k in EDITABLE}}
    start_changed = "scheduled_start_time" in body and status == SCHEDULED
    check_event(hub, merged, start_changed, edit=True)
    _normalise_times(merged)
    event.update(merged)
    hub.gateway.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", event)
    return json_response(_reply(call, event))


@router.route("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}")
async def delete_event(call: RestCall) -> web.Response:
    hub = call.hub
    event = _event_from(call)
    _require_manage(hub, event)
    del hub.world.guild.scheduled_events[int(event["id"])]
    hub.gateway.dispatch("GUILD_SCHEDULED_EVENT_DELETE", event)
    return no_content()


@router.route("GET", "/guilds/{guild_id}/scheduled-events/{event_id}/users")
async def event_users(call: RestCall) -> web.Response:
    _event_from(call)
    return json_response([])

"""Zoom webhooks as pure rules: signatures, the URL-validation answer, and events reduced to what the
bot may keep (no names, e-mails or participant ids: only a keyed hash of who joined, made by the caller).

Zoom signs `v0:{timestamp}:{raw body}` with HMAC-SHA256 and the app's secret token (reference §3.1).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.domain.dropin import DropinException, DropinSchedule, Occurrence, build_occurrence, occurrence_dates

TOLERANCE = timedelta(minutes=5)
MAX_BODY = 64 * 1024  # Zoom's meeting events are a few kilobytes
URL_VALIDATION = "endpoint.url_validation"


class ZoomEventKind(StrEnum):
    STARTED = "meeting.started"
    ENDED = "meeting.ended"
    JOINED = "meeting.participant_joined"
    LEFT = "meeting.participant_left"


class WebhookRejected(Exception):
    """A request that must not be acted upon; `status` is the HTTP answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def signature(secret: str, timestamp: str, raw: bytes) -> str:
    message = b"v0:" + timestamp.encode() + b":" + raw
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str | None, given: str | None, raw: bytes, now: datetime) -> None:
    """Raises WebhookRejected(401) unless `given` signs `raw` at a timestamp within five minutes of now."""
    if not timestamp or not given or not timestamp.isdigit():
        raise WebhookRejected(401, "missing signature")
    sent = datetime.fromtimestamp(int(timestamp), UTC)
    if abs(now - sent) > TOLERANCE:
        raise WebhookRejected(401, "stale timestamp")
    if not hmac.compare_digest(given.encode(), signature(secret, timestamp, raw).encode()):
        raise WebhookRejected(401, "bad signature")


def url_validation_answer(secret: str, plain_token: str) -> dict[str, str]:
    encrypted = hmac.new(secret.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain_token, "encryptedToken": encrypted}


def meeting_digits(text: str) -> str:
    """`850 1234 5678`, `85012345678` or a join link `https://zoom.us/j/85012345678?pwd=…` → the digits."""
    link = re.search(r"/j/(\d{9,12})", text)
    if link:
        return link[1]
    digits = re.sub(r"[\s-]", "", text)
    return digits if digits.isdigit() else ""


@dataclass(frozen=True)
class ZoomEvent:
    """One webhook reduced to what is kept. `identity` is the raw participant key: hash it, never store it."""

    kind: ZoomEventKind
    meeting_id: str
    meeting_uuid: str
    event_ts: int  # milliseconds
    identity: str = ""

    @property
    def at(self) -> datetime:
        return datetime.fromtimestamp(self.event_ts / 1000, UTC)


@dataclass(frozen=True)
class Challenge:
    plain_token: str


def parse(raw: bytes) -> ZoomEvent | Challenge | None:
    """The body as an event, a URL-validation challenge, or None for an event kind the bot ignores.

    Raises WebhookRejected(400) for malformed JSON or a known event missing its meeting fields."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise WebhookRejected(400, "malformed JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("payload"), dict):
        raise WebhookRejected(400, "not a Zoom event")
    event, payload = body.get("event"), body["payload"]
    if event == URL_VALIDATION:
        token = payload.get("plainToken")
        if not isinstance(token, str) or not 0 < len(token) <= 200:
            raise WebhookRejected(400, "no plainToken")
        return Challenge(token)
    if event not in {kind.value for kind in ZoomEventKind}:
        return None
    obj = payload.get("object")
    ts = body.get("event_ts")
    if not isinstance(obj, dict) or not isinstance(ts, int) or isinstance(ts, bool):
        raise WebhookRejected(400, "missing object or event_ts")
    meeting_id, uuid = str(obj.get("id", "")), obj.get("uuid")
    if not meeting_id.isdigit() or not isinstance(uuid, str) or not 0 < len(uuid) <= 64:
        raise WebhookRejected(400, "missing meeting id or uuid")
    kind = ZoomEventKind(event)
    identity = ""
    if kind in (ZoomEventKind.JOINED, ZoomEventKind.LEFT):
        identity = participant_identity(obj.get("participant"))
        if not identity:
            raise WebhookRejected(400, "participant without any identifying field")
    return ZoomEvent(kind, meeting_id, uuid, ts, identity)


def participant_identity(participant: Any) -> str:
    """What makes one person the same across rejoins (reference §3.1): participant_uuid, else the
    account id, e-mail or name. Only ever passed through a keyed hash."""
    if not isinstance(participant, dict):
        return ""
    for field in ("participant_uuid", "participant_user_id", "email", "user_name"):
        value = participant.get(field)
        if isinstance(value, str) and value.strip():
            return f"{field}:{value.strip().lower()}"
    return ""


def keyed_hash(key: bytes, identity: str) -> str:
    return hmac.new(key, identity.encode(), hashlib.sha256).hexdigest()[:32]


def idempotency_key(event: ZoomEvent, participant: str) -> str:
    """Zoom retries the same delivery: (event, meeting uuid, event_ts), plus the hashed participant so
    two people joining in the same millisecond are not mistaken for one retry."""
    parts = (event.kind.value, event.meeting_uuid, str(event.event_ts), participant)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


OPENS_EARLY = timedelta(hours=1)  # hosts open the room ahead of time
RUNS_LATE = timedelta(hours=2)


def occurrence_at(
    schedule: DropinSchedule, exceptions: Mapping[date, DropinException], at: datetime
) -> Occurrence | None:
    """The held (not skipped) occurrence whose meeting window contains `at`, if any."""
    for key in occurrence_dates(schedule, at, 2):
        occurrence = build_occurrence(schedule, key, exceptions.get(key))
        if not occurrence.skipped and occurrence.start - OPENS_EARLY <= at <= occurrence.end + RUNS_LATE:
            return occurrence
    return None

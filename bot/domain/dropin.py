"""The weekly drop-in: occurrences in wall-clock time, exceptions, and which post is due when.

An occurrence is identified by its regular local date (`key`), even when moved to another time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.refs import Weekday
from bot.domain.reminders import DEFAULT as DEFAULT_REMINDERS
from bot.domain.zones import iana_zone
from bot.errors import UserError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CATCH_UP_SKIP_WINDOW = timedelta(minutes=10)
JOIN_URL_MAX = 100  # Discord's limit for an external event's location
LATE_AFTER = timedelta(minutes=2)
_TIME = re.compile(r"^(?P<h>[01]?\d|2[0-3])(?:\s*[:h]\s*(?P<m>[0-5]\d)|\s*h)$")  # 13:30, 13h30, 13 h 30, 13 h


class PostKind(StrEnum):
    REMINDER = "reminder"
    START = "start"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class DropinSchedule:
    guild_id: int
    weekday: int = 3  # Monday = 0
    local_time: time = time(12, 0)
    timezone: str = "America/Toronto"
    duration_minutes: int = 90
    minuted_minutes: int = 60
    join_url: str = ""
    meeting_id: str = ""
    passcode: str = ""
    channel_id: int | None = None
    ping_role_id: int | None = None
    reminder_minutes: tuple[int, ...] = DEFAULT_REMINDERS.minutes
    events_ahead: int = 4
    created_at: datetime | None = None  # None: saved before this was recorded
    plan_from: datetime | None = None  # when its timing last changed: posts due earlier are not made

    def held_since(self, key: date) -> bool:
        """Whether the occurrence of `key` falls on or after the day this schedule was created."""
        return self.created_at is None or key >= self.created_at.astimezone(self.zone).date()

    @property
    def zone(self) -> ZoneInfo:
        return iana_zone(self.timezone)

    def regular_start(self, day: date) -> datetime:
        return datetime.combine(day, self.local_time, tzinfo=self.zone).astimezone(UTC)


@dataclass(frozen=True)
class DropinException:
    key: date
    skipped: bool = False
    reason: str = ""
    note: str = ""
    moved_to: time | None = None
    plan_from: datetime | None = None  # when a skip, unskip or move was last decided


@dataclass(frozen=True)
class Occurrence:
    key: date
    start: datetime  # aware UTC, after any move
    end: datetime
    skipped: bool = False
    reason: str = ""
    note: str = ""
    moved: bool = False
    plan_from: datetime | None = None  # posts due before this were never planned (see post_due_now)


@dataclass(frozen=True)
class Topic:
    """A topic suggested for an occurrence; who suggested it is not recorded."""

    id: int
    occurrence: date
    text: str


@dataclass(frozen=True)
class PlannedPost:
    kind: PostKind
    due: datetime
    minutes_before: int = 0

    @property
    def slug(self) -> str:
        """A stable name, unique within an occurrence: `reminder-1440`, `start`, `skipped`."""
        return (
            f"{self.kind.value}-{self.minutes_before}" if self.kind is PostKind.REMINDER else self.kind.value
        )


def occurrence_dates(schedule: DropinSchedule, after: datetime, count: int) -> list[date]:
    """The regular local dates of the next `count` occurrences whose regular start is after `after`,
    starting one week early so that a moved or running occurrence is not missed by the caller."""
    zone = schedule.zone
    local_day = after.astimezone(zone).date() - timedelta(days=7)
    first = local_day + timedelta(days=(schedule.weekday - local_day.weekday()) % 7)
    return [first + timedelta(weeks=i) for i in range(count + 2)]


def build_occurrence(schedule: DropinSchedule, key: date, exception: DropinException | None) -> Occurrence:
    local_time = exception.moved_to if exception and exception.moved_to else schedule.local_time
    start = datetime.combine(key, local_time, tzinfo=schedule.zone).astimezone(UTC)
    return Occurrence(
        key=key,
        start=start,
        end=start + timedelta(minutes=schedule.duration_minutes),
        skipped=bool(exception and exception.skipped),
        reason=exception.reason if exception else "",
        note=exception.note if exception else "",
        moved=bool(exception and exception.moved_to and exception.moved_to != schedule.local_time),
        plan_from=max(
            (t for t in (schedule.plan_from, exception.plan_from if exception else None) if t), default=None
        ),
    )


def upcoming(
    schedule: DropinSchedule,
    exceptions: Mapping[date, DropinException],
    now: datetime,
    count: int,
    *,
    include_running: bool = False,
) -> list[Occurrence]:
    """The next `count` occurrences that have not ended (running ones only when asked)."""
    found = []
    for key in occurrence_dates(schedule, now, count + 1):
        occurrence = build_occurrence(schedule, key, exceptions.get(key))
        if occurrence.end <= now or (not include_running and occurrence.start <= now):
            continue
        found.append(occurrence)
    return found[:count]


def planned_posts(schedule: DropinSchedule, occurrence: Occurrence) -> list[PlannedPost]:
    """What the bot posts for one occurrence, in time order.

    A skipped week gets one notice, at the time of the earliest reminder, instead of all the rest."""
    reminders = sorted(set(schedule.reminder_minutes), reverse=True)
    if occurrence.skipped:
        lead = reminders[0] if reminders else 0
        return [PlannedPost(PostKind.SKIPPED, occurrence.start - timedelta(minutes=lead), lead)]
    posts = [
        PlannedPost(PostKind.REMINDER, occurrence.start - timedelta(minutes=m), m) for m in reminders if m > 0
    ]
    posts.append(PlannedPost(PostKind.START, occurrence.start))
    return posts


@dataclass(frozen=True)
class DuePost:
    post: PlannedPost
    late: bool


def post_due_now(
    schedule: DropinSchedule,
    occurrence: Occurrence,
    now: datetime,
    already: frozenset[str],
    *,
    caught_up_before: bool = False,
) -> DuePost | None:
    """The one post to make now for this occurrence, if any.

    After downtime several posts may be overdue: only the latest is made (at most one catch-up),
    only while it is still useful (before the meeting ends; a skip notice until the start), and not
    when the next post for this occurrence is due within ten minutes anyway.

    A post whose time had already passed when the plan changed (an offset added, the time moved, the
    week brought back) is not made at all: "posted late" only ever means the bot was offline."""
    posts = [
        p
        for p in planned_posts(schedule, occurrence)
        if p.kind is PostKind.SKIPPED or occurrence.plan_from is None or p.due >= occurrence.plan_from
    ]
    overdue = [p for p in posts if p.due <= now]
    if not overdue:
        return None
    latest = overdue[-1]
    if latest.slug in already or any(p.slug in already for p in posts if p.due > latest.due):
        return None
    useful_until = occurrence.start if latest.kind is PostKind.SKIPPED else occurrence.end
    if now >= useful_until:
        return None
    # A skip notice is due as soon as the skip is decided; it is never "late".
    late = latest.kind is not PostKind.SKIPPED and now - latest.due > LATE_AFTER
    if late:
        following = [p for p in posts if p.due > now]
        if caught_up_before or (following and following[0].due - now <= CATCH_UP_SKIP_WINDOW):
            return None
    return DuePost(latest, late)


NOTES_SLUG = "notes"
NOTES_GRACE = timedelta(hours=2)


def notes_reminder_due(schedule: DropinSchedule, occurrence: Occurrence) -> datetime | None:
    """When the note-taker is reminded: as the minuted part ends; never for a skipped week."""
    if occurrence.skipped or schedule.minuted_minutes <= 0:
        return None
    return occurrence.start + timedelta(minutes=schedule.minuted_minutes)


def next_wakeup(schedule: DropinSchedule, occurrences: list[Occurrence], now: datetime) -> datetime | None:
    """The earliest future due time among the given occurrences' posts."""
    times = [p.due for o in occurrences for p in planned_posts(schedule, o) if p.due > now]
    return min(times, default=None)


# --- parsing and validation of what facilitators type -------------------------------------------


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip().lower().replace(" ", ""))
    if not match:
        raise UserError("dropin.error.bad_time", value=text)
    return time(int(match["h"]), int(match["m"] or 0))


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError("dropin.error.bad_date", value=text) from None


def parse_zone(text: str) -> str:
    try:
        iana_zone(text.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a directory: OSError
        raise UserError("dropin.error.bad_zone", value=text) from None
    return text.strip()


def parse_weekday(text: str) -> int:
    value = text.strip().lower()
    if value in WEEKDAYS:
        return WEEKDAYS.index(value)
    raise UserError("dropin.error.bad_weekday", value=text)


def check_join_url(url: str) -> str:
    url = url.strip()
    if not re.match(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$", url):
        raise UserError("dropin.error.bad_link", value=url)
    if len(url) > JOIN_URL_MAX:
        raise UserError("dropin.error.link_too_long", limit=JOIN_URL_MAX, count=len(url))
    return url


def require_occurrence(schedule: DropinSchedule, key: date, now: datetime) -> None:
    """`key` must be a regular occurrence date whose meeting has not started yet."""
    if key.weekday() != schedule.weekday:
        raise UserError("dropin.error.not_an_occurrence", date=key, weekday=Weekday(schedule.weekday))
    if schedule.regular_start(key) <= now:
        raise UserError("dropin.error.past_date", date=key)


def check_duration(minutes: int) -> int:
    if not 15 <= minutes <= 480:
        raise UserError("dropin.error.bad_duration")
    return minutes


def post_nonce(guild_id: int, key: date, slug: str) -> str:
    """A deterministic nonce (≤ 25 chars): a retried post after a crash is deduplicated by Discord."""
    digest = hashlib.sha256(f"{guild_id}:{key.isoformat()}:{slug}".encode()).hexdigest()
    return "d" + digest[:24]

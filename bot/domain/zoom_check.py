"""Does the Zoom meeting match the drop-in? A weekly recurring meeting, on the schedule's weekday and
time, whose join link is the one the bot announces (reference §3.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfoNotFoundError

from bot.domain.dropin import WEEKDAYS, DropinSchedule
from bot.domain.zones import iana_zone

RECURRING_FIXED_TIME = 8
WEEKLY = 2


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str


def zoom_weekday(monday_first: int) -> int:
    """Python's Monday = 0 … Sunday = 6 → Zoom's Sunday = 1 … Saturday = 7."""
    return (monday_first + 1) % 7 + 1


def _same_link(a: str, b: str) -> bool:
    """Same host and path; the `pwd` query may be present on one side only."""
    left, right = urlsplit(a.strip()), urlsplit(b.strip())
    return (left.netloc.lower(), left.path.rstrip("/")) == (right.netloc.lower(), right.path.rstrip("/"))


def check_meeting(schedule: DropinSchedule, meeting: dict[str, Any]) -> list[Finding]:
    findings = []
    recurrence = meeting.get("recurrence") or {}
    weekly = meeting.get("type") == RECURRING_FIXED_TIME and recurrence.get("type") == WEEKLY
    findings.append(
        Finding(
            weekly,
            "a weekly recurring meeting" if weekly else f"not weekly recurring (type {meeting.get('type')})",
        )
    )
    days = {int(d) for d in str(recurrence.get("weekly_days", "")).split(",") if d.strip().isdigit()}
    wanted = zoom_weekday(schedule.weekday)
    findings.append(
        Finding(
            wanted in days,
            f"on {WEEKDAYS[schedule.weekday]}"
            + ("" if wanted in days else f" (Zoom's weekly_days: {sorted(days)})"),
        )
    )
    findings.append(_time_finding(schedule, meeting))
    join_url = str(meeting.get("join_url", ""))
    same = bool(schedule.join_url) and _same_link(join_url, schedule.join_url)
    findings.append(
        Finding(
            same, "the join link matches" if same else f"the join link differs: Zoom has {join_url or 'none'}"
        )
    )
    return findings


def _time_finding(schedule: DropinSchedule, meeting: dict[str, Any]) -> Finding:
    wanted = f"{schedule.local_time:%H:%M} {schedule.timezone}"
    try:
        start = datetime.fromisoformat(str(meeting.get("start_time", "")).replace("Z", "+00:00"))
        zone = iana_zone(str(meeting.get("timezone") or schedule.timezone))
    except (ValueError, ZoneInfoNotFoundError):
        return Finding(False, f"no start time to compare with {wanted}")
    local = start.astimezone(schedule.zone)
    ok = (
        local.time().replace(second=0, microsecond=0) == schedule.local_time and zone.key == schedule.timezone
    )
    shown = f"{start.astimezone(zone):%H:%M} {zone.key}"
    return Finding(ok, f"at {wanted}" if ok else f"at {shown}, not {wanted}")

"""The drop-in as an iCalendar feed (RFC 5545): one VEVENT per occurrence, times in the schedule's zone
with its VTIMEZONE, a skipped week as STATUS:CANCELLED under the same UID so calendars remove it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain.dropin import DropinSchedule, Occurrence

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//NSS-CoP//nsscop-bot//EN"
SUMMARY = "NSS-CoP drop-in · Rencontre hebdomadaire"


def event_uid(schedule: DropinSchedule, occurrence: Occurrence) -> str:
    """Stable per (guild, regular date): a move or a skip updates the same calendar entry."""
    return f"dropin-{schedule.guild_id}-{occurrence.key.isoformat()}@nsscop-bot"


def ics_feed(schedule: DropinSchedule, occurrences: list[Occurrence], now: datetime) -> bytes:
    from icalendar import Calendar, Timezone  # imported on first use: keeps the bot's start quick

    zone = schedule.zone
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", SUMMARY)
    calendar.add("x-wr-timezone", schedule.timezone)
    if occurrences:
        first = min(o.start for o in occurrences).astimezone(zone).date()
        last = max(o.end for o in occurrences).astimezone(zone).date()
        calendar.add_component(
            Timezone.from_tzinfo(zone, tzid=schedule.timezone, first_date=first, last_date=last)
        )
    for occurrence in occurrences:
        calendar.add_component(_event(schedule, occurrence, now))
    return calendar.to_ical()


def _event(schedule: DropinSchedule, occurrence: Occurrence, now: datetime) -> Event:
    from icalendar import Event

    zone = schedule.zone
    event = Event()
    event.add("uid", event_uid(schedule, occurrence))
    event.add("dtstamp", now)
    event.add("dtstart", occurrence.start.astimezone(zone))
    event.add("dtend", occurrence.end.astimezone(zone))
    event.add("summary", SUMMARY)
    lines = []
    if schedule.join_url:
        event.add("location", schedule.join_url)
        event.add("url", schedule.join_url)
        lines.append(f"Zoom: {schedule.join_url}")
    if occurrence.note:
        lines.append(occurrence.note)
    if occurrence.skipped:
        event.add("status", "CANCELLED")
        event.add("sequence", 2)
        if occurrence.reason:
            lines.append(occurrence.reason)
    else:
        event.add("status", "CONFIRMED")
        event.add("sequence", 1 if occurrence.moved else 0)
    if lines:
        event.add("description", "\n".join(lines))
    return event

"""The iCalendar feed: parses with icalendar, right across both DST changes, skipped weeks CANCELLED."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.domain.calendar import event_uid, ics_feed
from bot.domain.dropin import DropinException, DropinSchedule, upcoming

TORONTO = ZoneInfo("America/Toronto")
SCHEDULE = DropinSchedule(guild_id=123456789012345678, join_url="https://zoom.us/j/85012345678")
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)


def feed(now: datetime = NOW, exceptions: dict[date, DropinException] | None = None) -> Calendar:
    occurrences = upcoming(SCHEDULE, exceptions or {}, now, 12)
    return Calendar.from_ical(ics_feed(SCHEDULE, occurrences, now))


def events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def test_the_feed_holds_the_next_twelve_drop_ins() -> None:
    found = events(feed())

    assert len(found) == 12
    assert found[0]["DTSTART"].dt.date() == date(2026, 10, 22)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 10, 29), 16),  # still EDT (UTC-4)
        (date(2026, 11, 5), 17),  # EST (UTC-5) after 2026-11-01
        (date(2027, 3, 11), 17),  # still EST
        (date(2027, 3, 18), 16),  # EDT after 2027-03-14
    ],
)
def test_noon_in_toronto_stays_noon_across_both_dst_changes(day: date, utc_hour: int) -> None:
    now = datetime.combine(day - timedelta(days=14), time(12), tzinfo=UTC)
    by_day = {e["DTSTART"].dt.date(): e for e in events(feed(now))}

    start = by_day[day]["DTSTART"]
    assert start.params["TZID"] == "America/Toronto"
    assert start.dt.astimezone(TORONTO).time() == time(12, 0)
    assert start.dt.astimezone(UTC).hour == utc_hour
    assert by_day[day]["DTEND"].dt - start.dt == timedelta(minutes=90)


def test_the_feed_carries_a_vtimezone_with_both_rules() -> None:
    (zone,) = feed().walk("VTIMEZONE")

    assert zone["TZID"] == "America/Toronto"
    kinds = {component.name for component in zone.subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}


def test_a_skipped_week_is_cancelled_under_the_same_uid() -> None:
    skipped = date(2026, 11, 5)
    regular = {e["UID"]: e for e in events(feed())}
    cancelled = {
        e["UID"]: e
        for e in events(feed(exceptions={skipped: DropinException(skipped, skipped=True, reason="Holiday")}))
    }

    uid = next(u for u, e in regular.items() if e["DTSTART"].dt.date() == skipped)
    assert cancelled[uid]["STATUS"] == "CANCELLED"
    assert regular[uid]["STATUS"] == "CONFIRMED"
    assert int(cancelled[uid]["SEQUENCE"]) > int(regular[uid]["SEQUENCE"])


def test_a_moved_week_is_at_its_new_time_under_the_same_uid() -> None:
    moved = date(2026, 11, 12)
    found = {
        e["UID"]: e for e in events(feed(exceptions={moved: DropinException(moved, moved_to=time(14, 30))}))
    }

    event = next(e for e in found.values() if e["DTSTART"].dt.date() == moved)
    assert event["DTSTART"].dt.astimezone(TORONTO).time() == time(14, 30)
    assert str(event["UID"]) == f"dropin-{SCHEDULE.guild_id}-2026-11-12@nsscop-bot"


def test_each_event_carries_the_join_link_and_the_note() -> None:
    day = date(2026, 10, 22)
    (first, *_) = events(feed(exceptions={day: DropinException(day, note="Guest: a pharmacist")}))

    assert str(first["LOCATION"]) == SCHEDULE.join_url
    assert SCHEDULE.join_url in str(first["DESCRIPTION"])
    assert "Guest: a pharmacist" in str(first["DESCRIPTION"])


def test_uids_are_stable_per_guild_and_date() -> None:
    (occurrence, *_) = upcoming(SCHEDULE, {}, NOW, 1)

    assert event_uid(SCHEDULE, occurrence) == event_uid(SCHEDULE, occurrence)
    assert "123456789012345678" in event_uid(SCHEDULE, occurrence)

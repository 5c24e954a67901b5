"""bot/domain/schedule.py: Thursday 12:00 in Toronto stays 12:00 local across DST and years."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import DEFAULT_DROPIN, WeeklySlot, canada_line

TORONTO = ZoneInfo("America/Toronto")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# (previous occurrence, next occurrence): each pair straddles a DST change or the new year.
CROSSINGS = [
    pytest.param(utc(2026, 3, 5, 17), utc(2026, 3, 12, 16), id="2026-spring-forward"),
    pytest.param(utc(2026, 10, 29, 16), utc(2026, 11, 5, 17), id="2026-fall-back"),
    pytest.param(utc(2027, 3, 11, 17), utc(2027, 3, 18, 16), id="2027-spring-forward"),
    pytest.param(utc(2027, 11, 4, 16), utc(2027, 11, 11, 17), id="2027-fall-back"),
    pytest.param(utc(2026, 12, 31, 17), utc(2027, 1, 7, 17), id="2026-to-2027"),
]


@pytest.mark.parametrize(("previous", "following"), CROSSINGS)
def test_next_after_an_occurrence_is_the_following_thursday_noon_local(
    previous: datetime, following: datetime
) -> None:
    assert DEFAULT_DROPIN.next_after(previous) == following


@pytest.mark.parametrize(("previous", "following"), CROSSINGS)
def test_next_after_a_moment_mid_week_finds_that_weeks_thursday(
    previous: datetime, following: datetime
) -> None:
    saturday_before = following - timedelta(days=5)

    assert DEFAULT_DROPIN.next_after(saturday_before) == following


@pytest.mark.parametrize(
    ("thursday", "expected_utc_hour"),
    [
        pytest.param(utc(2026, 3, 5), 17, id="2026-03-05-EST"),
        pytest.param(utc(2026, 3, 12), 16, id="2026-03-12-EDT"),
        pytest.param(utc(2026, 10, 29), 16, id="2026-10-29-EDT"),
        pytest.param(utc(2026, 11, 5), 17, id="2026-11-05-EST"),
        pytest.param(utc(2027, 3, 11), 17, id="2027-03-11-EST"),
        pytest.param(utc(2027, 3, 18), 16, id="2027-03-18-EDT"),
        pytest.param(utc(2027, 11, 4), 16, id="2027-11-04-EDT"),
        pytest.param(utc(2027, 11, 11), 17, id="2027-11-11-EST"),
        pytest.param(utc(2027, 1, 7), 17, id="2027-01-07-EST"),
    ],
)
def test_occurrence_is_17_utc_in_winter_and_16_utc_in_summer(
    thursday: datetime, expected_utc_hour: int
) -> None:
    monday_before = thursday - timedelta(days=3)

    start = DEFAULT_DROPIN.next_after(monday_before)

    assert start == thursday.replace(hour=expected_utc_hour)
    assert start.utcoffset() == timedelta(0)
    local = start.astimezone(TORONTO)
    assert (local.weekday(), local.time()) == (3, time(12, 0))


def test_at_exactly_the_start_instant_the_next_week_is_returned() -> None:
    start = utc(2026, 12, 3, 17)

    assert DEFAULT_DROPIN.next_after(start) == utc(2026, 12, 10, 17)


def test_just_before_the_start_instant_that_start_is_returned() -> None:
    start = utc(2026, 12, 3, 17)

    assert DEFAULT_DROPIN.next_after(start - timedelta(microseconds=1)) == start


def test_thursday_evening_local_when_utc_is_already_friday_gives_next_week() -> None:
    thursday_2130_toronto = utc(2026, 12, 4, 2, 30)

    assert DEFAULT_DROPIN.next_after(thursday_2130_toronto) == utc(2026, 12, 10, 17)


def test_moment_given_in_another_zone_is_the_same_instant() -> None:
    tokyo_friday_0159 = datetime(2026, 12, 4, 1, 59, tzinfo=ZoneInfo("Asia/Tokyo"))  # Thu 11:59 Toronto

    assert DEFAULT_DROPIN.next_after(tokyo_friday_0159) == utc(2026, 12, 3, 17)


def test_other_weekday_and_zone() -> None:
    monday_0900_vancouver = WeeklySlot(weekday=0, at=time(9, 0), zone=ZoneInfo("America/Vancouver"))

    assert monday_0900_vancouver.next_after(utc(2026, 3, 5)) == utc(2026, 3, 9, 16)  # PDT since 03-08


@pytest.mark.parametrize(
    ("start", "lang", "expected"),
    [
        pytest.param(
            utc(2026, 12, 3, 17),
            "en",
            "PT 10:00 · MT 11:00 · CT 12:00 · ET 12:00 · AT 13:00 · NT 13:30",
            id="winter-en",
        ),
        pytest.param(
            utc(2026, 7, 2, 16),
            "en",
            "PT 9:00 · MT 10:00 · CT 11:00 · ET 12:00 · AT 13:00 · NT 13:30",
            id="summer-en",
        ),
        pytest.param(
            utc(2026, 12, 3, 17),
            "fr",
            "HP 10 h · HR 11 h · HC 12 h · HE 12 h · HA 13 h · HT 13 h 30",
            id="winter-fr",
        ),
        pytest.param(
            utc(2026, 7, 2, 16),
            "fr",
            "HP 9 h · HR 10 h · HC 11 h · HE 12 h · HA 13 h · HT 13 h 30",
            id="summer-fr",
        ),
        pytest.param(
            utc(2026, 12, 3, 20, 30),
            "en",
            "PT 13:30 · MT 14:30 · CT 15:30 · ET 15:30 · AT 16:30 · NT 17:00",
            id="computed-for-another-instant",
        ),
        pytest.param(
            utc(2026, 1, 8, 17),
            "en",
            "PT 9:00 · MT 10:00 · CT 11:00 · ET 12:00 · AT 13:00 · NT 13:30",
            id="winter-before-bc-alberta-manitoba-kept-daylight-time",
        ),
    ],
)
def test_canada_line(start: datetime, lang: str, expected: str) -> None:
    assert canada_line(start, lang) == expected

"""bot/i18n/dates.py: dates as people read them, in Canadian French and English."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n.dates import clock, discord_timestamp, duration, long_date, long_datetime, long_day, short_time

TORONTO = ZoneInfo("America/Toronto")
WINTER_DROPIN = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # Thursday 12:00 EST
SUMMER_DROPIN = datetime(2026, 7, 2, 16, 0, tzinfo=UTC)  # Thursday 12:00 EDT


def test_long_date_in_french() -> None:
    assert long_date(WINTER_DROPIN, "fr", TORONTO) == "jeudi 3 décembre 2026"


def test_long_date_in_english() -> None:
    assert long_date(WINTER_DROPIN, "en", TORONTO) == "Thursday, December 3, 2026"


@pytest.mark.parametrize("moment", [WINTER_DROPIN, SUMMER_DROPIN], ids=["winter", "summer"])
def test_short_time_in_french_is_local_wall_time(moment: datetime) -> None:
    assert short_time(moment, "fr", TORONTO) == "12 h"


def test_long_datetime_in_french() -> None:
    assert long_datetime(WINTER_DROPIN, "fr", TORONTO) == "jeudi 3 décembre 2026 à 12 h"


def test_long_date_uses_the_local_day_not_the_utc_day() -> None:
    late_evening = datetime(2026, 12, 4, 2, 30, tzinfo=UTC)  # Thursday 21:30 in Toronto

    assert long_date(late_evening, "fr", TORONTO) == "jeudi 3 décembre 2026"


@pytest.mark.parametrize(("style", "expected"), [("F", "<t:1796317200:F>"), ("R", "<t:1796317200:R>")])
def test_discord_timestamp(style: str, expected: str) -> None:
    assert discord_timestamp(WINTER_DROPIN, style) == expected


@pytest.mark.parametrize(
    ("hour", "minute", "expected"), [(12, 0, "12 h"), (13, 30, "13 h 30"), (9, 5, "9 h 05"), (0, 0, "0 h")]
)
def test_french_clock_has_no_zero_minutes(hour: int, minute: int, expected: str) -> None:
    assert clock(hour, minute, "fr") == expected


def test_english_clock_keeps_the_colon() -> None:
    assert clock(9, 0, "en") == "9:00"


def test_french_half_hour_time() -> None:
    assert short_time(datetime(2026, 12, 3, 18, 30, tzinfo=UTC), "fr", TORONTO) == "13 h 30"


def test_first_of_the_month_is_1er_in_french() -> None:
    assert long_day(date(2026, 10, 1), "fr") == "jeudi 1er octobre 2026"


def test_other_days_have_no_ordinal_in_french() -> None:
    assert long_day(date(2026, 10, 11), "fr") == "dimanche 11 octobre 2026"


def test_first_of_the_month_in_english_is_plain() -> None:
    assert long_day(date(2026, 10, 1), "en") == "Thursday, October 1, 2026"


@pytest.mark.parametrize(
    ("minutes", "lang", "expected"),
    [
        (1440, "fr", "1 j"),
        (1440, "en", "1 d"),
        (120, "fr", "2 h"),
        (15, "fr", "15 min"),
        (90, "fr", "90 min"),
    ],
)
def test_duration_uses_the_language_units(minutes: int, lang: str, expected: str) -> None:
    assert duration(minutes, lang) == expected  # type: ignore[arg-type]

"""bot/i18n/dates.py: dates as people read them, in Canadian French and English."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n.dates import discord_timestamp, long_date, long_datetime, short_time

TORONTO = ZoneInfo("America/Toronto")
WINTER_DROPIN = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # Thursday 12:00 EST
SUMMER_DROPIN = datetime(2026, 7, 2, 16, 0, tzinfo=UTC)  # Thursday 12:00 EDT


def test_long_date_in_french() -> None:
    assert long_date(WINTER_DROPIN, "fr", TORONTO) == "jeudi 3 décembre 2026"


def test_long_date_in_english() -> None:
    assert long_date(WINTER_DROPIN, "en", TORONTO) == "Thursday, December 3, 2026"


@pytest.mark.parametrize("moment", [WINTER_DROPIN, SUMMER_DROPIN], ids=["winter", "summer"])
def test_short_time_in_french_is_local_wall_time(moment: datetime) -> None:
    assert short_time(moment, "fr", TORONTO) == "12 h 00"


def test_long_datetime_in_french() -> None:
    assert long_datetime(WINTER_DROPIN, "fr", TORONTO) == "jeudi 3 décembre 2026, 12 h 00"


def test_long_date_uses_the_local_day_not_the_utc_day() -> None:
    late_evening = datetime(2026, 12, 4, 2, 30, tzinfo=UTC)  # Thursday 21:30 in Toronto

    assert long_date(late_evening, "fr", TORONTO) == "jeudi 3 décembre 2026"


@pytest.mark.parametrize(("style", "expected"), [("F", "<t:1796317200:F>"), ("R", "<t:1796317200:R>")])
def test_discord_timestamp(style: str, expected: str) -> None:
    assert discord_timestamp(WINTER_DROPIN, style) == expected

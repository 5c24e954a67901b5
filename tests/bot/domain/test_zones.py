"""bot/domain/zones.py: IANA's current rules from the pinned tzdata package, whatever the host has."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.zones import iana_zone

THURSDAY_NOON_EASTERN = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
A_YEAR_BEFORE = datetime(2026, 1, 8, 17, 0, tzinfo=UTC)


def test_the_hosts_zone_files_are_not_read() -> None:
    assert zoneinfo.TZPATH == ()


@pytest.mark.parametrize(
    ("key", "hours"),
    [("America/Vancouver", -7), ("America/Edmonton", -6), ("America/Winnipeg", -5), ("America/Toronto", -5)],
)
def test_the_west_keeps_daylight_time_from_november_2026(key: str, hours: int) -> None:
    assert THURSDAY_NOON_EASTERN.astimezone(iana_zone(key)).utcoffset() == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("key", "hours"),
    [("America/Vancouver", -8), ("America/Edmonton", -7), ("America/Winnipeg", -6), ("America/Toronto", -5)],
)
def test_earlier_winters_keep_their_standard_time(key: str, hours: int) -> None:
    assert A_YEAR_BEFORE.astimezone(iana_zone(key)).utcoffset() == timedelta(hours=hours)


def test_a_name_iana_does_not_have_is_refused() -> None:
    with pytest.raises(zoneinfo.ZoneInfoNotFoundError):
        iana_zone("Canada/Nunavik")

"""bot/clock.py: aware UTC time, fixed for tests or shifted for the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock, ShiftedClock, SystemClock


@pytest.mark.parametrize("clock_type", [FixedClock, ShiftedClock])
def test_naive_start_is_refused(clock_type: type) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        clock_type(datetime(2026, 12, 3, 12, 0))  # noqa: DTZ001 - the point of the test


def test_fixed_clock_reports_utc_and_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 12, 3, 12, 0, tzinfo=ZoneInfo("America/Toronto")))

    assert clock.now() == datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)
    clock.advance(timedelta(hours=1))
    assert clock.now() == datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    clock.set(datetime(2027, 1, 1, tzinfo=UTC))
    assert clock.now() == datetime(2027, 1, 1, tzinfo=UTC)


def test_shifted_clock_starts_at_the_chosen_instant_and_runs_on() -> None:
    start = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    clock = ShiftedClock(start)

    first = clock.now()
    assert start <= first < start + timedelta(seconds=5)
    assert clock.now() >= first
    assert abs(clock.offset - (start - datetime.now(UTC))) < timedelta(seconds=5)


def test_system_clock_is_aware_utc() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)

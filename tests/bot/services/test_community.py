"""bot/services/community.py: the next drop-in comes from the injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import FixedClock
from bot.services.community import CommunityService


def test_next_dropin_follows_the_clock() -> None:
    clock = FixedClock(datetime(2026, 12, 3, 16, 58, tzinfo=UTC))
    community = CommunityService(clock)

    assert community.next_dropin() == datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    clock.advance(timedelta(minutes=2))
    assert community.next_dropin() == datetime(2026, 12, 10, 17, 0, tzinfo=UTC)

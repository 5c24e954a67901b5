"""Facts about the community that several commands show."""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.domain.schedule import DEFAULT_DROPIN, WeeklySlot


class CommunityService:
    def __init__(self, clock: Clock, dropin: WeeklySlot = DEFAULT_DROPIN) -> None:
        self._clock = clock
        self._dropin = dropin

    def next_dropin(self) -> datetime:
        """The next weekly drop-in start, aware UTC (the schedule feature will add exceptions)."""
        return self._dropin.next_after(self._clock.now())

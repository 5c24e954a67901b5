"""Facts about the community that several commands show."""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.domain.schedule import DEFAULT_DROPIN, WeeklySlot
from bot.services.dropin import DropinService


class CommunityService:
    def __init__(self, clock: Clock, dropin: DropinService, fallback: WeeklySlot = DEFAULT_DROPIN) -> None:
        self._clock = clock
        self._dropin = dropin
        self._fallback = fallback

    async def next_dropin(self, guild_id: int | None) -> datetime:
        """The guild's next drop-in (its schedule, skips and moves), else the community's usual slot."""
        if guild_id is not None and await self._dropin.schedule(guild_id) is not None:
            for occurrence in await self._dropin.upcoming(guild_id, 8):
                if not occurrence.skipped:
                    return occurrence.start
        return self._fallback.next_after(self._clock.now())

"""A sandbox clock tests can set and move (aware UTC, like the bot's clocks)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import aiohttp


class MovableClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta


async def bot_session(http_base: str, token: str) -> AsyncIterator[aiohttp.ClientSession]:
    """Raw REST calls with the bot's token (for a fixture)."""
    headers = {"Authorization": f"Bot {token}"}
    async with aiohttp.ClientSession(base_url=http_base, headers=headers) as session:
        yield session

"""A sandbox clock tests can set and move (aware UTC, like the bot's clocks)."""

from __future__ import annotations

from datetime import datetime, timedelta


class MovableClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta

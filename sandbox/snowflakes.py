"""Discord-time: the sandbox clock, and snowflake ids (ms since the Discord epoch << 22 | worker |
process | increment) taken from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000
# Keep ids in Discord's 17-20 digit form whatever the clock says: at least 10**16 (a clock before
# late January 2015 would give fewer digits) and below 2**64.
MIN_SNOWFLAKE = 10**16
MAX_SNOWFLAKE = 2**64 - 1

Clock = Callable[[], datetime]
"""The sandbox's source of "now": an aware datetime (naive values are taken as UTC)."""


def system_clock() -> datetime:
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class SnowflakeGenerator:
    """Unique, strictly increasing snowflakes, like one Discord worker would produce, stamped with
    the sandbox clock. When the clock stands still, goes backwards or jumps, ids keep increasing:
    a new id is never below the last one plus one."""

    def __init__(self, worker_id: int = 1, process_id: int = 0, clock: Clock = system_clock) -> None:
        self._worker_id = worker_id & 0x1F
        self._process_id = process_id & 0x1F
        self._clock = clock
        self._last = 0
        self._increment = 0

    @property
    def last(self) -> int:
        """The last id handed out (a saved world restores it so ids keep increasing across runs)."""
        return self._last

    @last.setter
    def last(self, value: int) -> None:
        self._last = value

    def next(self, at: datetime | None = None) -> int:
        """A new id stamped `at` (default: the clock's now), so a message's id and timestamp agree."""
        now_ms = int(utc(at if at is not None else self._clock()).timestamp() * 1000) - DISCORD_EPOCH_MS
        self._increment = (self._increment + 1) & 0xFFF
        candidate = (
            (max(now_ms, 0) << 22) | (self._worker_id << 17) | (self._process_id << 12) | self._increment
        )
        candidate = max(candidate, MIN_SNOWFLAKE, self._last + 1)
        if candidate > MAX_SNOWFLAKE:
            raise OverflowError("the sandbox clock is past the last representable snowflake")
        self._last = candidate
        return candidate


def snowflake_time(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


def iso(moment: datetime) -> str:
    """Discord's timestamp form: ISO 8601 in UTC with the +00:00 offset."""
    return utc(moment).isoformat()

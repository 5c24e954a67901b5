"""Hand-written fakes of the service ports (bot/services/ports.py) for the drop-in service tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.domain.dropin import DropinSchedule
from bot.i18n import Catalog
from bot.services.dropin import DropinService, ScheduleChanges
from bot.services.dropin_reconciler import DropinReconciler
from bot.services.dropin_text import DropinText
from bot.services.ports import Announcement, DeliveryError, EventSpec, EventState
from bot.services.settings import SettingsService
from db.repositories.dropin import DropinRepository, PostRecord


@dataclass(frozen=True)
class PostCall:
    channel_id: int
    announcement: Announcement
    message_id: int | None  # None when the call raised DeliveryError


class FakeAnnouncer:
    """Records every post. Like Discord with `enforce_nonce`, a repeated nonce returns the first message.

    `fail_next` makes the next N calls raise DeliveryError (nothing posted); `lose_reply_next` posts but
    raises as a lost answer would; `during_post` runs inside a call (after it
    was recorded, before it returns) to interleave another process."""

    def __init__(self) -> None:
        self.calls: list[PostCall] = []
        self.fail_next = 0
        self.lose_reply_next = 0
        self.searches: list[str] = []
        self.during_post: Callable[[], Awaitable[None]] | None = None
        self._next_id = 900_000_000_000_000_000
        self._by_nonce: dict[str, int] = {}

    async def find_posted(self, channel_id: int, marker: str, since: datetime) -> int | None:
        """Like reading the channel's recent messages for the marker (the nonce, shown in the footer)."""
        self.searches.append(marker)
        return next(
            (
                c.message_id
                for c in self.delivered
                if c.channel_id == channel_id and c.announcement.nonce == marker
            ),
            None,
        )

    async def post(self, channel_id: int, announcement: Announcement) -> int:
        if self.during_post is not None:
            hook, self.during_post = self.during_post, None
            await hook()
        if self.fail_next:
            self.fail_next -= 1
            self.calls.append(PostCall(channel_id, announcement, None))
            raise DeliveryError("DiscordServerError status=503 code=0")
        if self.lose_reply_next:  # the message is created, but the answer never reaches the bot
            self.lose_reply_next -= 1
            self._next_id += 1
            self.calls.append(PostCall(channel_id, announcement, self._next_id))
            raise DeliveryError("ClientConnectionError")
        message_id = self._by_nonce.get(announcement.nonce)
        if message_id is None:
            self._next_id += 1
            message_id = self._by_nonce[announcement.nonce] = self._next_id
        self.calls.append(PostCall(channel_id, announcement, message_id))
        return message_id

    @property
    def delivered(self) -> list[PostCall]:
        """Distinct messages that exist in the channel (repeats deduplicated by nonce)."""
        seen: dict[int, PostCall] = {}
        for call in self.calls:
            if call.message_id is not None:
                seen.setdefault(call.message_id, call)
        return list(seen.values())


@dataclass
class FakeEvent:
    event_id: int
    guild_id: int
    spec: EventSpec
    cancelled: bool = False
    ended: bool = False
    updates: list[EventSpec] = field(default_factory=list)


class FakeScheduledEvents:
    def __init__(self) -> None:
        self.events: dict[int, FakeEvent] = {}
        self.log: list[tuple[str, int]] = []
        self.deleted: set[int] = set()  # deleted by hand on Discord
        self.started: set[int] = set()  # ACTIVE on Discord
        self.fail_states = False
        self._next_id = 700_000_000_000_000_000

    async def create_event(self, guild_id: int, spec: EventSpec) -> int:
        self._next_id += 1
        self.events[self._next_id] = FakeEvent(self._next_id, guild_id, spec)
        self.log.append(("create", self._next_id))
        return self._next_id

    async def update_event(self, guild_id: int, event_id: int, spec: EventSpec) -> None:
        event = self.events[event_id]
        assert event.guild_id == guild_id
        event.spec = spec
        event.updates.append(spec)
        self.log.append(("update", event_id))

    async def cancel_event(self, guild_id: int, event_id: int) -> None:
        event = self.events[event_id]
        assert event.guild_id == guild_id
        event.cancelled = True
        self.log.append(("cancel", event_id))

    async def end_event(self, guild_id: int, event_id: int) -> None:
        event = self.events[event_id]
        assert event.guild_id == guild_id
        event.ended = True
        self.log.append(("end", event_id))

    async def event_states(self, guild_id: int) -> dict[int, EventState]:
        if self.fail_states:
            raise DeliveryError("DiscordServerError status=503 code=0")
        return {
            e.event_id: EventState.FINISHED
            if e.cancelled or e.ended
            else EventState.ACTIVE
            if e.event_id in self.started
            else EventState.SCHEDULED
            for e in self.events.values()
            if e.guild_id == guild_id and e.event_id not in self.deleted
        }

    def active(self) -> list[FakeEvent]:
        alive = (
            e for e in self.events.values() if not (e.cancelled or e.ended or e.event_id in self.deleted)
        )
        return sorted(alive, key=lambda e: e.spec.start)


@dataclass(frozen=True)
class TimerCall:
    job_id: str
    when: datetime
    func: Callable[..., Awaitable[Any]]
    args: tuple[Any, ...]


class FakeTimers:
    def __init__(self) -> None:
        self.calls: list[TimerCall] = []
        self.cancelled: list[str] = []

    def at(self, job_id: str, when: datetime, func: Callable[..., Awaitable[Any]], *args: Any) -> None:
        self.calls.append(TimerCall(job_id, when, func, args))

    def cancel(self, job_id: str) -> None:
        self.cancelled.append(job_id)

    @property
    def last(self) -> TimerCall:
        return self.calls[-1]


# --- a drop-in service on a real database, with the fakes above -----------------------------

GUILD = 123456789012345678
OTHER_GUILD = 223456789012345678
CHANNEL = 333333333333333333
SETTINGS_CHANNEL = 344444444444444444
ROLE = 555555555555555555
LINK = "https://zoom.us/j/85012345678"
# Thursday 2026-12-03 at 12:00 in Toronto (EST): 17:00 UTC.
KEY = date(2026, 12, 3)
START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
END = START + timedelta(minutes=90)
REMINDER_DAY = START - timedelta(days=1)
REMINDER_15 = START - timedelta(minutes=15)
BEFORE = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # the Monday before: nothing due
DEFAULTS = DropinSchedule(guild_id=0)


class Harness:
    """One "Discord" (announcer, events) shared by any number of service instances ("processes")."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.clock = FixedClock(BEFORE)
        self.announcer = FakeAnnouncer()
        self.events = FakeScheduledEvents()
        self.timers = FakeTimers()
        self.text = DropinText(Catalog.load())
        self.settings = SettingsService(sessions, self.clock, "both")
        self.service = self.process(timers=self.timers)

    def process(
        self, *, timers: FakeTimers | None = None, defaults: DropinSchedule = DEFAULTS
    ) -> DropinService:
        """Another DropinService on the same database and Discord, as a second process would be."""
        settings = SettingsService(self.sessions, self.clock, "both")
        reconciler = DropinReconciler(
            self.sessions,
            self.clock,
            self.text,
            settings,
            self.announcer,
            self.events,
            timers or FakeTimers(),
        )
        return DropinService(self.sessions, self.clock, settings, defaults, reconciler)

    async def configure(self, guild_id: int = GUILD, **changes: Any) -> DropinSchedule:
        """Save a schedule (channel and link by default) without refreshing."""
        values: dict[str, Any] = {"channel_id": CHANNEL, "join_url": LINK, **changes}
        return await self.service.bootstrap(guild_id, ScheduleChanges(**values))

    async def refresh_at(self, moment: datetime, guild_id: int = GUILD) -> list[PostCall]:
        """Set the clock, refresh, and return the post calls this refresh made."""
        self.clock.set(moment)
        before = len(self.announcer.calls)
        await self.service.refresh(guild_id)
        return self.announcer.calls[before:]

    async def post_records(self, key: date = KEY, guild_id: int = GUILD) -> list[PostRecord]:
        async with self.sessions() as session:
            return await DropinRepository(session).posts(guild_id, key)

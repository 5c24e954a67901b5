"""Use cases of the weekly drop-in: what facilitators and members ask of the schedule.

Reading the schedule and its occurrences, setting it up, skipping, moving, noting weeks, and topics.
Every change is saved first, then handed to the reconciler (bot/services/dropin_reconciler.py), which
turns the database into posts and events.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.dropin import (
    DropinException,
    DropinSchedule,
    Occurrence,
    Topic,
    build_occurrence,
    check_duration,
    check_join_url,
    occurrence_dates,
    parse_date,
    parse_time,
    parse_weekday,
    parse_zone,
    require_occurrence,
    upcoming,
)
from bot.domain.reminders import ReminderOffsets
from bot.errors import UserError
from bot.services.dropin_reconciler import DropinReconciler
from bot.services.settings import SettingsService
from db.cache import read_through
from db.repositories.dropin import DropinRepository, exceptions_key

TOPIC_MAX = 300
NOTE_MAX = 500
_Change = Callable[[DropinException], DropinException]


def parse_changes(
    *,
    weekday: str | None = None,
    local_time: str | None = None,
    timezone: str | None = None,
    duration_minutes: int | None = None,
    join_url: str | None = None,
    meeting_id: str | None = None,
    passcode: str | None = None,
    channel_id: int | None = None,
    ping_role_id: int | None = None,
    reminders: str | None = None,
) -> ScheduleChanges:
    """What a facilitator typed in /dropin setup, checked field by field."""
    return ScheduleChanges(
        weekday=parse_weekday(weekday) if weekday else None,
        local_time=parse_time(local_time) if local_time else None,
        timezone=parse_zone(timezone) if timezone else None,
        duration_minutes=check_duration(duration_minutes) if duration_minutes is not None else None,
        join_url=check_join_url(join_url) if join_url else None,
        meeting_id=meeting_id.strip()[:32] if meeting_id else None,
        passcode=passcode.strip()[:32] if passcode else None,
        channel_id=channel_id,
        ping_role_id=ping_role_id,
        reminder_minutes=ReminderOffsets.parse(reminders).minutes if reminders else None,
    )


@dataclass(frozen=True)
class ScheduleChanges:
    weekday: int | None = None
    local_time: time | None = None
    timezone: str | None = None
    duration_minutes: int | None = None
    join_url: str | None = None
    meeting_id: str | None = None
    passcode: str | None = None
    channel_id: int | None = None
    ping_role_id: int | None = None
    reminder_minutes: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Skipped:
    key: date
    already: bool  # the week was cancelled before this call


@dataclass(frozen=True)
class _NextMemo:
    """What next_occurrence found, and from what: the same answer holds for the same schedule and
    exceptions (the read cache's own objects, compared by identity: a change replaces them) until the
    first occurrence ends. Asked by every member before noon on Thursday, it is computed once."""

    schedule: DropinSchedule
    exceptions: Mapping[date, DropinException]
    since: datetime
    first: Occurrence
    second: Occurrence | None

    def holds(
        self, schedule: DropinSchedule, exceptions: Mapping[date, DropinException], now: datetime
    ) -> bool:
        return (
            schedule is self.schedule and exceptions is self.exceptions and self.since <= now < self.first.end
        )


class DropinService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: SettingsService,
        defaults: DropinSchedule,
        reconciler: DropinReconciler,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._settings = settings
        self._defaults = defaults
        self._reconciler = reconciler
        self._next: dict[int, _NextMemo] = {}

    # --- reading ------------------------------------------------------------------------------
    async def schedule(self, guild_id: int) -> DropinSchedule | None:
        return await self._reconciler.schedule(guild_id)  # one read of it, from memory (db/cache.py)

    async def _exceptions(self, guild_id: int) -> Mapping[date, DropinException]:
        """Every exception of the guild's drop-in (upcoming() looks up only the weeks it needs)."""
        return await read_through(
            self._sessions,
            exceptions_key(guild_id),
            lambda session: DropinRepository(session).all_exceptions(guild_id),
        )

    async def today(self, guild_id: int) -> date:
        """Today's date in the guild's time zone (its drop-in's zone, else the configured default)."""
        schedule = await self.schedule(guild_id) or self._defaults
        return self._clock.now().astimezone(schedule.zone).date()

    async def notification_role(self, guild_id: int) -> int:
        """The role members take to be pinged by drop-in posts; refused when none is set up."""
        schedule = await self.require_schedule(guild_id)
        if schedule.ping_role_id is None:
            raise UserError("dropin.error.no_ping_role")
        return schedule.ping_role_id

    async def require_schedule(self, guild_id: int) -> DropinSchedule:
        schedule = await self.schedule(guild_id)
        if schedule is None:
            raise UserError("dropin.no_schedule")
        return schedule

    async def upcoming(self, guild_id: int, count: int, *, include_running: bool = False) -> list[Occurrence]:
        schedule = await self.require_schedule(guild_id)
        now = self._clock.now()
        exceptions = await self._exceptions(guild_id)
        return upcoming(schedule, exceptions, now, count, include_running=include_running)

    async def held_occurrence(self, guild_id: int, day: date) -> Occurrence | None:
        """The drop-in of `day` as it was held (moves applied), if it started and was not skipped."""
        schedule = await self.require_schedule(guild_id)
        now = self._clock.now()
        if day.weekday() != schedule.weekday:
            return None
        async with self._sessions() as session:
            exceptions = await DropinRepository(session).exceptions(guild_id, day)
        occurrence = build_occurrence(schedule, day, exceptions.get(day))
        if occurrence.skipped or occurrence.start > now or not schedule.held_since(day):
            return None
        return occurrence

    async def latest_held(self, guild_id: int, weeks: int = 8) -> Occurrence | None:
        """The most recent drop-in that started and was not skipped, within `weeks`."""
        schedule = await self.require_schedule(guild_id)
        now = self._clock.now()
        async with self._sessions() as session:
            exceptions = await DropinRepository(session).exceptions(
                guild_id, (now - timedelta(weeks=weeks)).date()
            )
        held = [
            occurrence
            for key in occurrence_dates(schedule, now - timedelta(weeks=weeks), weeks + 1)
            if not (occurrence := build_occurrence(schedule, key, exceptions.get(key))).skipped
            and occurrence.start <= now
            and schedule.held_since(key)
        ]
        return held[-1] if held else None

    async def next_occurrence(self, guild_id: int) -> tuple[DropinSchedule, Occurrence, Occurrence | None]:
        """The next occurrence not yet ended (a running one counts), and the one after it."""
        now = self._clock.now()
        schedule = await self.require_schedule(guild_id)
        exceptions = await self._exceptions(guild_id)
        memo = self._next.get(guild_id)
        if memo is None or not memo.holds(schedule, exceptions, now):
            found = upcoming(schedule, exceptions, now, 2, include_running=True)
            assert found
            memo = _NextMemo(schedule, exceptions, now, found[0], found[1] if len(found) > 1 else None)
            self._next[guild_id] = memo
        return schedule, memo.first, memo.second

    async def topics(self, guild_id: int) -> tuple[Occurrence, list[Topic]]:
        occurrence = await self._next_held(guild_id)
        async with self._sessions() as session:
            return occurrence, await DropinRepository(session).topics(guild_id, occurrence.key)

    # --- facilitators ---------------------------------------------------------------------------
    async def bootstrap(
        self,
        guild_id: int,
        changes: ScheduleChanges,
        *,
        replan: bool = False,
        since: datetime | None = None,
    ) -> DropinSchedule:
        """Save a guild's schedule without touching Discord (first-run and sandbox seeding).

        With `replan` (a facilitator's change), a change of timing starts a new plan: posts whose time
        has already passed are then never made, rather than posted late. `since` dates a new schedule
        back (a seeded community that has met for a while); it never changes an existing one."""
        now = self._clock.now()
        existing = await self.schedule(guild_id)
        current = existing or replace(self._defaults, guild_id=guild_id, created_at=since or now)
        updated = replace(current, **{k: v for k, v in changes.__dict__.items() if v is not None})
        if replan and (existing is None or _timing(existing) != _timing(updated)):
            updated = replace(updated, plan_from=now)
        if updated.duration_minutes < updated.minuted_minutes:
            raise UserError("dropin.error.shorter_than_minuted", minuted=updated.minuted_minutes)
        async with self._sessions.begin() as session:
            await self._settings.ensure_in(session, guild_id)
            await DropinRepository(session).save_schedule(updated, self._clock.now())
        return updated

    async def setup(self, guild_id: int, changes: ScheduleChanges) -> tuple[DropinSchedule, Occurrence]:
        """Saves the schedule; returns it with the next occurrence that is actually held (not skipped)."""
        updated = await self.bootstrap(guild_id, changes, replan=True)
        await self.refresh(guild_id)
        coming = await self.upcoming(guild_id, 8)
        return updated, next((o for o in coming if not o.skipped), coming[0])

    async def set_reminders(self, guild_id: int, text: str) -> tuple[ReminderOffsets, Occurrence]:
        """/dropin reminders: new offsets, in effect at once for coming occurrences."""
        offsets = ReminderOffsets.parse(text)
        await self.require_schedule(guild_id)
        _, first = await self.setup(guild_id, ScheduleChanges(reminder_minutes=offsets.minutes))
        return offsets, first

    async def skip(self, guild_id: int, day: str, reason: str) -> Skipped:
        """Cancels one week. Skipping a cancelled week again keeps its reason unless a new one is given."""
        key = parse_date(day)
        _check_length(reason, NOTE_MAX, "dropin.error.note_too_long")
        already = (await self._exception(guild_id, key)).skipped
        await self._change_exception(
            guild_id, key, lambda e: replace(e, skipped=True, reason=reason.strip() or e.reason)
        )
        return Skipped(key, already)

    async def unskip(self, guild_id: int, day: str) -> date:
        key = parse_date(day)
        require_occurrence(await self.require_schedule(guild_id), key, self._clock.now())
        current = await self._exception(guild_id, key)
        if not current.skipped:
            raise UserError("dropin.error.not_skipped", date=key)
        await self._change_exception(guild_id, key, lambda e: replace(e, skipped=False, reason=""))
        return key

    async def note(self, guild_id: int, day: str, note: str) -> date:
        key = parse_date(day)
        _check_length(note, NOTE_MAX, "dropin.error.note_too_long")
        await self._change_exception(guild_id, key, lambda e: replace(e, note=note.strip()))
        return key

    async def move(self, guild_id: int, day: str, new_time: str) -> Occurrence:
        key, moved_to = parse_date(day), parse_time(new_time)
        await self._change_exception(guild_id, key, lambda e: replace(e, moved_to=moved_to))
        schedule = await self.require_schedule(guild_id)
        return build_occurrence(schedule, key, await self._exception(guild_id, key))

    async def suggest(self, guild_id: int, text: str) -> Occurrence:
        """Adds a topic to the next held drop-in. The author is not recorded anywhere."""
        _check_length(text, TOPIC_MAX, "dropin.error.topic_too_long")
        occurrence = await self._next_held(guild_id)
        async with self._sessions.begin() as session:
            await DropinRepository(session).add_topic(
                guild_id, occurrence.key, text.strip(), self._clock.now()
            )
        return occurrence

    async def remove_topic(self, guild_id: int, topic_id: int) -> None:
        async with self._sessions.begin() as session:
            if await DropinRepository(session).remove_topic(guild_id, topic_id) is None:
                raise UserError("dropin.error.unknown_topic", id=topic_id)

    async def _next_held(self, guild_id: int) -> Occurrence:
        held = [o for o in await self.upcoming(guild_id, 8) if not o.skipped]
        if not held:
            raise UserError("dropin.no_schedule")
        return held[0]

    async def _exception(self, guild_id: int, key: date) -> DropinException:
        async with self._sessions() as session:
            found = await DropinRepository(session).exceptions(guild_id, key)
        return found.get(key) or DropinException(key=key)

    async def _change_exception(self, guild_id: int, key: date, change: _Change) -> None:
        schedule = await self.require_schedule(guild_id)
        require_occurrence(schedule, key, self._clock.now())
        current = await self._exception(guild_id, key)
        updated = change(current)
        if (updated.skipped, updated.moved_to) != (current.skipped, current.moved_to):
            updated = replace(updated, plan_from=self._clock.now())
        async with self._sessions.begin() as session:
            await DropinRepository(session).save_exception(guild_id, updated, self._clock.now())
        await self.refresh(guild_id)

    # --- the reconciler's entry points, for the bot and the cogs --------------------------------
    async def start_all(self) -> None:
        await self._reconciler.start_all()

    async def refresh(self, guild_id: int) -> None:
        await self._reconciler.refresh(guild_id)

    async def channel_for(self, schedule: DropinSchedule) -> int | None:
        return await self._reconciler.channel_for(schedule)

    def event_in_sync(self, guild_id: int, key: date) -> bool:
        return self._reconciler.event_in_sync(guild_id, key)


# --- helpers ----------------------------------------------------------------------------------


def _check_length(text: str, limit: int, key: str) -> None:
    if len(text) > limit:
        raise UserError(key, limit=limit, count=len(text))


def _timing(schedule: DropinSchedule) -> tuple[object, ...]:
    """What decides when posts are due: changing any of it starts a new plan."""
    return (schedule.weekday, schedule.local_time, schedule.timezone, schedule.reminder_minutes)

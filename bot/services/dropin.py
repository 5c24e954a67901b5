"""Use cases of the weekly drop-in: schedule, exceptions, topics, and the posts and events that follow.

The database is the truth. `refresh(guild)` reconciles everything from it: Discord events, the post
that is due now (claimed in the database before it is sent, so nothing is posted twice), and the one
timer that wakes the guild up for its next post. It runs at start, after every change, and on each timer.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.dropin import (
    NOTES_GRACE,
    NOTES_SLUG,
    DropinException,
    DropinSchedule,
    Occurrence,
    Topic,
    build_occurrence,
    check_duration,
    check_join_url,
    next_wakeup,
    notes_reminder_due,
    occurrence_dates,
    parse_date,
    parse_reminders,
    parse_time,
    parse_weekday,
    parse_zone,
    planned_posts,
    post_due_now,
    post_nonce,
    require_occurrence,
    upcoming,
)
from bot.domain.settings import ChannelPurpose
from bot.domain.shards import every_guild
from bot.errors import UserError
from bot.logs import exception_summary
from bot.services.dropin_delivery import NONCE_WINDOW, found_in_channel, redelivery, retry_soon
from bot.services.dropin_events import EventAction, event_action, events_wanted
from bot.services.dropin_text import LIST_MAX, DropinText
from bot.services.ports import (
    Announcer,
    DeliveryError,
    EventSpec,
    EventState,
    HeldQuestions,
    ScheduledEvents,
    Timers,
)
from bot.services.settings import SettingsService
from db.repositories.dropin import DropinRepository, EventRecord

log = logging.getLogger(__name__)

TOPIC_MAX = 300
NOTE_MAX = 500
SAFETY_WAKEUP = timedelta(hours=6)
RETRY_AFTER_FAILURE = timedelta(minutes=1)
HELD_SHOWN = LIST_MAX  # held questions listed per reminder; the others wait for the next one
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
        reminder_minutes=parse_reminders(reminders) if reminders else None,
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


class DropinService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        text: DropinText,
        settings: SettingsService,
        defaults: DropinSchedule,
        announcer: Announcer,
        events: ScheduledEvents,
        timers: Timers,
        held: HeldQuestions | None = None,
        owns: Callable[[int], bool] = every_guild,
    ) -> None:
        self._sessions = sessions
        self._owns = owns  # this process's guilds (bot/domain/shards.py): only their timers run here
        self._clock = clock
        self._text = text
        self._settings = settings
        self._defaults = defaults
        self._announcer = announcer
        self._events = events
        self._timers = timers
        self._held = held
        self._locks: dict[int, asyncio.Lock] = {}
        self._unsynced: set[tuple[int, date]] = (
            set()
        )  # occurrences whose Discord event the last refresh missed

    # --- reading ------------------------------------------------------------------------------
    async def schedule(self, guild_id: int) -> DropinSchedule | None:
        async with self._sessions() as session:
            return await DropinRepository(session).schedule(guild_id)

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
        async with self._sessions() as session:
            exceptions = await DropinRepository(session).exceptions(guild_id, _week_before(now))
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
        return None if occurrence.skipped or occurrence.start > now else occurrence

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
        ]
        return held[-1] if held else None

    async def next_occurrence(self, guild_id: int) -> tuple[DropinSchedule, Occurrence, Occurrence | None]:
        """The next occurrence not yet ended (a running one counts), and the one after it."""
        schedule = await self.require_schedule(guild_id)
        first, second = (await self.upcoming(guild_id, 2, include_running=True) + [None])[:2]
        assert first is not None
        return schedule, first, second

    async def topics(self, guild_id: int) -> tuple[Occurrence, list[Topic]]:
        occurrence = await self._next_held(guild_id)
        async with self._sessions() as session:
            return occurrence, await DropinRepository(session).topics(guild_id, occurrence.key)

    # --- facilitators ---------------------------------------------------------------------------
    async def bootstrap(self, guild_id: int, changes: ScheduleChanges) -> DropinSchedule:
        """Save a guild's schedule without touching Discord (first-run and sandbox seeding)."""
        current = await self.schedule(guild_id) or replace(self._defaults, guild_id=guild_id)
        updated = replace(current, **{k: v for k, v in changes.__dict__.items() if v is not None})
        if updated.duration_minutes < updated.minuted_minutes:
            raise UserError("dropin.error.shorter_than_minuted", minuted=updated.minuted_minutes)
        async with self._sessions.begin() as session:
            await self._settings.ensure_in(session, guild_id)
            await DropinRepository(session).save_schedule(updated, self._clock.now())
        return updated

    async def setup(self, guild_id: int, changes: ScheduleChanges) -> tuple[DropinSchedule, Occurrence]:
        updated = await self.bootstrap(guild_id, changes)
        await self.refresh(guild_id)
        return updated, (await self.upcoming(guild_id, 1))[0]

    async def skip(self, guild_id: int, day: str, reason: str) -> date:
        key = parse_date(day)
        _check_length(reason, NOTE_MAX, "dropin.error.note_too_long")
        await self._change_exception(guild_id, key, lambda e: replace(e, skipped=True, reason=reason.strip()))
        return key

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

    def event_in_sync(self, guild_id: int, key: date) -> bool:
        """False when the last refresh could not bring this occurrence's Discord event in line (Discord
        refused or failed); the next refresh tries again."""
        return (guild_id, key) not in self._unsynced

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
        updated = change(await self._exception(guild_id, key))
        async with self._sessions.begin() as session:
            await DropinRepository(session).save_exception(guild_id, updated, self._clock.now())
        await self.refresh(guild_id)

    # --- timing ---------------------------------------------------------------------------------
    async def start_all(self) -> None:
        """At start: reconcile every guild (catch-up posts, events) and set its next timer."""
        async with self._sessions() as session:
            guilds = await DropinRepository(session).guilds_with_schedule()
        for guild_id in filter(self._owns, guilds):
            await self._tick(guild_id)

    async def _tick(self, guild_id: int) -> None:
        """The timer's entry point: a failure is logged and retried in a minute, never lost."""
        try:
            await self.refresh(guild_id)
        except Exception as exc:
            log.error("drop-in refresh failed: %s; retrying in a minute", exception_summary(exc))
            self._timers.at(_job_id(guild_id), self._clock.now() + RETRY_AFTER_FAILURE, self._tick, guild_id)

    async def refresh(self, guild_id: int) -> None:
        lock = self._locks.setdefault(guild_id, asyncio.Lock())
        async with lock:
            schedule = await self.schedule(guild_id)
            if schedule is None:
                self._timers.cancel(_job_id(guild_id))
                return
            now = self._clock.now()
            async with self._sessions() as session:
                exceptions = await DropinRepository(session).exceptions(guild_id, _week_before(now))
            skipped = sum(1 for e in exceptions.values() if e.skipped)  # events_wanted looks past them
            current = upcoming(
                schedule, exceptions, now, max(schedule.events_ahead, 2) + 1 + skipped, include_running=True
            )
            await self._fire_due(schedule, current, now)
            await self._sync_events(schedule, current, now)
            wake = next_wakeup(schedule, current, now)
            wake = min(wake, now + SAFETY_WAKEUP) if wake else now + SAFETY_WAKEUP
            reminders = [d for o in current if (d := notes_reminder_due(schedule, o)) and d > now]
            wake = min([wake, *reminders])
            if await self._has_unconfirmed_posts(schedule, current, now):
                wake = min(wake, now + RETRY_AFTER_FAILURE)
            self._timers.at(_job_id(guild_id), wake, self._tick, guild_id)

    async def _fire_due(self, schedule: DropinSchedule, current: list[Occurrence], now: datetime) -> None:
        guild_id = schedule.guild_id
        language = (await self._settings.get(guild_id)).language
        for index, occurrence in enumerate(current[:2]):
            async with self._sessions() as session:
                records = await DropinRepository(session).posts(guild_id, occurrence.key)
            await self._remind_note_taker(
                schedule, occurrence, frozenset(r.slug for r in records), now, language
            )
            for record in records:
                plan = None if record.slug == NOTES_SLUG else redelivery(schedule, occurrence, record, now)
                if plan is None or (
                    plan.check_channel_first
                    and await found_in_channel(
                        self._announcer,
                        self._sessions,
                        guild_id,
                        await self.channel_for(schedule),
                        record,
                        now,
                    )
                ):
                    continue
                log.info("delivering an unconfirmed drop-in post (%s) again", record.slug)
                await self._send(schedule, occurrence, record.slug, current, index, language, plan.late)
            due = post_due_now(
                schedule,
                occurrence,
                now,
                frozenset(r.slug for r in records),
                caught_up_before=any(r.late for r in records),
            )
            if due is None:
                continue
            nonce = post_nonce(guild_id, occurrence.key, due.post.slug)
            async with self._sessions.begin() as session:
                claimed = await DropinRepository(session).claim_post(
                    guild_id, occurrence.key, due.post.slug, nonce, due.late, now
                )
            if claimed:
                await self._send(schedule, occurrence, due.post.slug, current, index, language, due.late)

    async def _remind_note_taker(
        self,
        schedule: DropinSchedule,
        occurrence: Occurrence,
        done: frozenset[str],
        now: datetime,
        language: str,
    ) -> None:
        """Once per occurrence, as the minuted part ends, facilitators are reminded to write the minutes."""
        due = notes_reminder_due(schedule, occurrence)
        if due is None or now < due or now >= occurrence.end + NOTES_GRACE or NOTES_SLUG in done:
            return
        settings = await self._settings.get(schedule.guild_id)
        channel = settings.channel(ChannelPurpose.MINUTES_REVIEW) or settings.channel(
            ChannelPurpose.FACILITATORS
        )
        if channel is None:
            return
        nonce = post_nonce(schedule.guild_id, occurrence.key, NOTES_SLUG)
        async with self._sessions.begin() as session:
            claimed = await DropinRepository(session).claim_post(
                schedule.guild_id, occurrence.key, NOTES_SLUG, nonce, False, now
            )
        if not claimed:
            return
        try:
            message_id = await self._announcer.post(
                channel, self._text.notes_reminder(occurrence, language, nonce)
            )
        except DeliveryError as exc:
            log.warning("note-taker reminder not delivered: %s", exc.reason)
            return
        async with self._sessions.begin() as session:
            await DropinRepository(session).mark_posted(
                schedule.guild_id, occurrence.key, NOTES_SLUG, message_id, now
            )

    async def _has_unconfirmed_posts(
        self, schedule: DropinSchedule, current: list[Occurrence], now: datetime
    ) -> bool:
        """A claimed post not yet confirmed and still useful: worth retrying soon (dropin_delivery)."""
        for occurrence in current[:2]:
            async with self._sessions() as session:
                records = await DropinRepository(session).posts(schedule.guild_id, occurrence.key)
            if retry_soon(schedule, occurrence, records, now):
                return True
        return False

    async def _send(
        self,
        schedule: DropinSchedule,
        occurrence: Occurrence,
        slug: str,
        current: list[Occurrence],
        index: int,
        language: str,
        late: bool,
    ) -> None:
        guild_id = schedule.guild_id
        post = next(p for p in planned_posts(schedule, occurrence) if p.slug == slug)
        following = next((o for o in current[index + 1 :] if not o.skipped), None)
        async with self._sessions() as session:
            topics = tuple(t.text for t in await DropinRepository(session).topics(guild_id, occurrence.key))
        last_reminder = _is_last_reminder(schedule, slug)
        held_pairs = (
            (await self._held.held_texts(guild_id))[:HELD_SHOWN] if self._held and last_reminder else []
        )
        held = tuple(text for _, text in held_pairs)
        announcement = self._text.announcement(
            schedule,
            occurrence,
            post,
            language=language,
            late=late,
            nonce=post_nonce(guild_id, occurrence.key, slug),
            topics=topics if last_reminder else (),
            held=held,
            following=following,
        )
        channel_id = await self.channel_for(schedule)
        if channel_id is None:
            log.warning("guild has no drop-in channel; post %s not sent", slug)
            return
        try:
            message_id = await self._announcer.post(channel_id, announcement)
        except DeliveryError as exc:
            log.warning("drop-in post %s not delivered: %s", slug, exc.reason)
            return
        async with self._sessions.begin() as session:
            await DropinRepository(session).mark_posted(
                guild_id, occurrence.key, slug, message_id, self._clock.now()
            )
        if held_pairs and self._held is not None:
            await self._held.mark_raised([question_id for question_id, _ in held_pairs])

    async def channel_for(self, schedule: DropinSchedule) -> int | None:
        """Where drop-in posts go: the schedule's channel, else the drop-in or announcements setting."""
        if schedule.channel_id:
            return schedule.channel_id
        settings = await self._settings.get(schedule.guild_id)
        return settings.channel(ChannelPurpose.DROPIN) or settings.channel(ChannelPurpose.ANNOUNCEMENTS)

    async def _sync_events(self, schedule: DropinSchedule, current: list[Occurrence], now: datetime) -> None:
        """Keep one Discord event per coming occurrence: created ahead, updated, cancelled when skipped."""
        if not schedule.join_url:
            return
        guild_id = schedule.guild_id
        language = (await self._settings.get(guild_id)).language
        wanted = events_wanted(current, now, schedule.events_ahead)
        async with self._sessions() as session:
            known = await DropinRepository(session).events(guild_id)
        try:
            states: dict[int, EventState] | None = await self._events.event_states(guild_id)
        except DeliveryError as exc:
            log.warning("drop-in events not compared with Discord: %s", exc.reason)
            states = None
        for occurrence in wanted:
            try:
                await self._sync_event(schedule, occurrence, known.get(occurrence.key), language, now, states)
                self._unsynced.discard((guild_id, occurrence.key))
            except DeliveryError as exc:
                log.warning("drop-in event for one occurrence not synced: %s", exc.reason)
                self._unsynced.add((guild_id, occurrence.key))  # told to whoever changed it (event_in_sync)
        kept = {o.key for o in wanted}
        for key, record in known.items():
            # An occurrence that no longer exists (the weekday or zone changed) or is now beyond the events
            # kept ahead (a skip was undone): its event goes.
            if key in kept or key <= now.date() or record.cancelled or record.event_id is None:
                continue
            try:
                await self._events.cancel_event(guild_id, record.event_id)
                await self._save_event(guild_id, replace(record, cancelled=True))
            except DeliveryError as exc:
                log.warning("stale drop-in event not cancelled: %s", exc.reason)

    async def _sync_event(
        self,
        schedule: DropinSchedule,
        occurrence: Occurrence,
        record: EventRecord | None,
        language: str,
        now: datetime,
        states: dict[int, EventState] | None = None,
    ) -> None:
        guild_id = schedule.guild_id
        if occurrence.skipped:
            if record is not None and record.event_id is not None and not record.cancelled:
                await self._events.cancel_event(guild_id, record.event_id)
                await self._save_event(guild_id, replace(record, cancelled=True))
            return
        spec = self._text.event(schedule, occurrence, language)
        fingerprint = _fingerprint(spec.name, spec.description, spec.start, spec.end, spec.location)
        if record is None:
            await self._create_event(guild_id, occurrence.key, spec, fingerprint, now)
            return
        action = event_action(record.event_id, record.cancelled, record.fingerprint != fingerprint, states)
        if action is EventAction.REPLACE and record.event_id is not None:
            await self._events.end_event(guild_id, record.event_id)
        if action in (EventAction.RECREATE, EventAction.REPLACE):
            log.info("drop-in event gone, finished or running on Discord: a new one is made (%s)", action)
            await self._save_event(guild_id, replace(record, cancelled=True))
        if action in (EventAction.CREATE, EventAction.RECREATE, EventAction.REPLACE):
            await self._create_event(guild_id, occurrence.key, spec, fingerprint, now)
        elif action is EventAction.UPDATE and record.event_id is not None:
            await self._events.update_event(guild_id, record.event_id, spec)
            await self._save_event(guild_id, replace(record, fingerprint=fingerprint))

    async def _create_event(
        self, guild_id: int, key: date, spec: EventSpec, fingerprint: str, now: datetime
    ) -> None:
        """Claim first, so that two processes never create the same occurrence's event twice."""
        async with self._sessions.begin() as session:
            claimed = await DropinRepository(session).claim_event(guild_id, key, now, now - NONCE_WINDOW)
        if not claimed:
            return
        try:
            event_id = await self._events.create_event(guild_id, spec)
        except DeliveryError:
            async with self._sessions.begin() as session:
                await DropinRepository(session).release_event_claim(guild_id, key)
            raise
        await self._save_event(guild_id, EventRecord(key, event_id, fingerprint, False))

    async def _save_event(self, guild_id: int, record: EventRecord) -> None:
        async with self._sessions.begin() as session:
            await DropinRepository(session).save_event(guild_id, record)


# --- helpers ----------------------------------------------------------------------------------


def _job_id(guild_id: int) -> str:
    return f"dropin:{guild_id}"


def _week_before(now: datetime) -> date:
    return (now - timedelta(days=8)).date()


def _is_last_reminder(schedule: DropinSchedule, slug: str) -> bool:
    reminders = [m for m in schedule.reminder_minutes if m > 0]
    return bool(reminders) and slug == f"reminder-{min(reminders)}"


def _check_length(text: str, limit: int, key: str) -> None:
    if len(text) > limit:
        raise UserError(key, limit=limit, count=len(text))


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]

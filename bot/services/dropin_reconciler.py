"""The drop-in reconciler: turns the database into Discord posts, events and the guild's next timer.

The database is the truth. `refresh(guild)` reconciles everything from it: Discord events, the post
that is due now, and the one timer (`dropin:<guild>`) that wakes the guild up for its next post. It
runs at start (`start_all`), after every change a facilitator makes, and on each timer; a failed run is
retried a minute later, and a guild is woken at least every six hours whatever happens.

Catch-up rules (the bot may have been offline, or a post may have failed):
- A post is claimed in the database (one row per guild, occurrence and slug) before it is sent, with
  a deterministic nonce: a restart, a double fire or two processes never post twice. A claim whose
  send was not confirmed is delivered again while it is still useful (a reminder until the meeting
  starts, the start post until it ends), marked late; within Discord's nonce window with the same
  nonce, past it only after the channel was searched for the post's marker (dropin_delivery).
- After downtime several posts of one occurrence may be overdue: only the latest is made, once per
  occurrence, only while it is still useful (before the meeting ends; a skip notice until the start),
  and not when the next post is due within ten minutes anyway.
- A post made more than two minutes after its due time says "posted late": the bot was offline.
- A post whose time had already passed when the plan changed (an offset added with /dropin
  reminders, the time or weekday changed, a week moved or brought back) is never made: the
  schedule's and the week's `plan_from` mark when the plan took effect (see `post_due_now`).
- The note-taker reminder goes out once, as the minuted part ends, until two hours after the end.
- Events: one Discord event per coming occurrence (`events_ahead` of them), created claim-first,
  updated when what members see changes, cancelled when the week is skipped or no longer exists.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.dropin import (
    NOTES_GRACE,
    NOTES_SLUG,
    DropinSchedule,
    Occurrence,
    next_wakeup,
    notes_reminder_due,
    planned_posts,
    post_due_now,
    post_nonce,
    upcoming,
)
from bot.domain.settings import ChannelPurpose
from bot.domain.shards import every_guild
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
from db.cache import read_through
from db.repositories.dropin import DropinRepository, EventRecord, schedule_key

log = logging.getLogger(__name__)

SAFETY_WAKEUP = timedelta(hours=6)
RETRY_AFTER_FAILURE = timedelta(minutes=1)
HELD_SHOWN = LIST_MAX  # held questions listed per reminder; the others wait for the next one


class DropinReconciler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        text: DropinText,
        settings: SettingsService,
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
        self._announcer = announcer
        self._events = events
        self._timers = timers
        self._held = held
        self._locks: dict[int, asyncio.Lock] = {}
        # occurrences whose Discord event the last refresh missed (told to whoever changed it)
        self._unsynced: set[tuple[int, date]] = set()

    def event_in_sync(self, guild_id: int, key: date) -> bool:
        """False when the last refresh could not bring this occurrence's Discord event in line (Discord
        refused or failed); the next refresh tries again."""
        return (guild_id, key) not in self._unsynced

    async def schedule(self, guild_id: int) -> DropinSchedule | None:
        return await read_through(
            self._sessions,
            schedule_key(guild_id),
            lambda session: DropinRepository(session).schedule(guild_id),
        )

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


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]

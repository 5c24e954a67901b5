"""Zoom webhooks: verify and record durably (fast, before the answer), then act on the records.

Effects, each at most once per occurrence: `meeting.started` posts "the drop-in is open now",
`meeting.ended` marks the occurrence held and prompts the note-taker, participant events update
peak and total counts. People are counted through a keyed hash whose key lives only while the
meeting runs; names, e-mails and participant ids are never stored or logged.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.dropin import NOTES_SLUG, DropinSchedule, Occurrence, post_nonce
from bot.domain.settings import ChannelPurpose
from bot.domain.shards import every_guild
from bot.domain.zoom import (
    Challenge,
    ZoomEvent,
    ZoomEventKind,
    idempotency_key,
    keyed_hash,
    meeting_digits,
    occurrence_at,
    parse,
    url_validation_answer,
    verify,
)
from bot.i18n import guild_langs
from bot.logs import exception_summary
from bot.services.dropin import DropinService
from bot.services.ports import Announcer, DeliveryError
from bot.services.settings import SettingsService
from bot.services.zoom_text import ZoomText
from db.repositories.dropin import DropinRepository
from db.repositories.zoom import Attendance, WebhookRecord, ZoomRepository

log = logging.getLogger(__name__)
LIVE_SLUG = "live"
KEEP_RECORDS = timedelta(days=3)  # longer than Zoom's last retry (about 85 minutes after the first try)
KEY_LIFETIME = timedelta(hours=12)  # a meeting whose end never reached us loses its key all the same


@dataclass(frozen=True)
class Receipt:
    """What the route answers: Zoom's challenge answer, or an acknowledgement."""

    answer: dict[str, str] | None = None
    recorded: bool = False
    outcome: str = "ignored"  # recorded, duplicate, ignored, challenge


class ZoomService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: SettingsService,
        dropin: DropinService,
        announcer: Announcer,
        text: ZoomText,
        secret: str,
        random_key: Callable[[], bytes] = lambda: os.urandom(32),
        owns: Callable[[int], bool] = every_guild,
    ) -> None:
        self._sessions = sessions
        # Any process may record a webhook (whichever the proxy reached); only the guild's own process acts
        # on it, in event order, so counts and posts stay single (bot/domain/shards.py).
        self._owns = owns
        self._clock = clock
        self._settings = settings
        self._dropin = dropin
        self._announcer = announcer
        self._text = text
        self._secret = secret
        self._random_key = random_key
        self._lock = asyncio.Lock()

    # --- receiving (inside Zoom's 3 s) ----------------------------------------------------------
    async def receive(self, raw: bytes, timestamp: str | None, signed: str | None) -> Receipt:
        """Verify, then record. Raises WebhookRejected (401 or 400) for what must not be acted upon."""
        now = self._clock.now()
        verify(self._secret, timestamp, signed, raw, now)
        parsed = parse(raw)
        if isinstance(parsed, Challenge):
            return Receipt(
                answer=url_validation_answer(self._secret, parsed.plain_token), outcome="challenge"
            )
        if parsed is None:
            return Receipt()
        guild_id = await self.guild_for_meeting(parsed.meeting_id)
        if guild_id is None:
            return Receipt()  # another meeting on the same Zoom account
        return await self._record(guild_id, parsed, now)

    async def _record(self, guild_id: int, event: ZoomEvent, now: datetime) -> Receipt:
        async with self._sessions.begin() as session:
            repo = ZoomRepository(session)
            participant = ""
            if event.identity:
                key = await repo.meeting_key(event.meeting_uuid, self._random_key(), now)
                if key is None:
                    return Receipt()  # the meeting has ended: late participant events change nothing
                participant = keyed_hash(key, event.identity)
            inserted = await repo.record(
                idempotency_key(event, participant),
                guild_id,
                event.kind.value,
                event.meeting_uuid,
                event.event_ts,
                participant,
                now,
            )
        return Receipt(recorded=inserted, outcome="recorded" if inserted else "duplicate")

    async def guild_for_meeting(self, meeting_id: str) -> int | None:
        """The guild whose drop-in uses this Zoom meeting (its meeting id, else the id in its join link)."""
        async with self._sessions() as session:
            repo = DropinRepository(session)
            for guild_id in await repo.guilds_with_schedule():
                schedule = await repo.schedule(guild_id)
                if schedule is not None and meeting_id in _meeting_ids(schedule):
                    return guild_id
        return None

    # --- acting on records ----------------------------------------------------------------------
    async def process_pending(self) -> int:
        """Act on every recorded, unprocessed webhook in event order; returns how many were done.

        Runs after each answer and at start, so a crash after the acknowledgement loses nothing. A
        failure leaves the record for the next run."""
        done = 0
        async with self._lock:
            async with self._sessions() as session:
                records = await ZoomRepository(session).pending()
            for record in (r for r in records if self._owns(r.guild_id)):
                try:
                    await self._apply(record)
                except Exception as exc:
                    log.error("zoom webhook not processed: %s; kept for the next run", exception_summary(exc))
                    break
                async with self._sessions.begin() as session:
                    await ZoomRepository(session).mark_processed(record.id, self._clock.now())
                done += 1
        return done

    async def _apply(self, record: WebhookRecord) -> None:
        kind = ZoomEventKind(record.event)
        schedule = await self._dropin.schedule(record.guild_id)
        occurrence = await self._occurrence(schedule, record) if schedule else None
        if kind is ZoomEventKind.ENDED:
            async with self._sessions.begin() as session:
                repo = ZoomRepository(session)
                await repo.erase_meeting(record.meeting_uuid, self._clock.now())
                if occurrence is not None:
                    await repo.mark_ended(record.guild_id, occurrence.key, _event_time(record))
        if schedule is None or occurrence is None:
            log.info("zoom %s outside any drop-in window: counted nowhere", kind.value)
            return
        if kind is ZoomEventKind.STARTED:
            await self._started(schedule, occurrence, _event_time(record))
        elif kind is ZoomEventKind.ENDED:
            await self._prompt_note_taker(schedule, occurrence)
        else:
            await self._count(record, occurrence, +1 if kind is ZoomEventKind.JOINED else -1)

    async def _occurrence(self, schedule: DropinSchedule, record: WebhookRecord) -> Occurrence | None:
        at = _event_time(record)
        async with self._sessions() as session:
            exceptions = await DropinRepository(session).exceptions(
                schedule.guild_id, (at - KEEP_RECORDS).date()
            )
        return occurrence_at(schedule, exceptions, at)

    async def _started(self, schedule: DropinSchedule, occurrence: Occurrence, at: datetime) -> None:
        guild_id = schedule.guild_id
        async with self._sessions.begin() as session:
            attendance = await ZoomRepository(session).mark_started(guild_id, occurrence.key, at)
        if attendance.live_message_id is not None or (attendance.ended_at and attendance.ended_at >= at):
            return  # posted already, or a late delivery of a start whose meeting has ended
        channel_id = await self._dropin.channel_for(schedule)
        if channel_id is None:
            log.warning("guild has no drop-in channel; the live post is not sent")
            return
        language = (await self._settings.get(guild_id)).language
        nonce = post_nonce(
            guild_id, occurrence.key, LIVE_SLUG
        )  # a retried post after a crash is deduplicated
        try:
            message_id = await self._announcer.post(channel_id, self._text.live(schedule, language, nonce))
        except DeliveryError as exc:
            log.warning("live post not delivered: %s", exc.reason)
            return
        async with self._sessions.begin() as session:
            await ZoomRepository(session).set_live_message(guild_id, occurrence.key, message_id)

    async def _prompt_note_taker(self, schedule: DropinSchedule, occurrence: Occurrence) -> None:
        """The minutes prompt, with the counts; shares the timer reminder's claim, so it goes once.
        A meeting nobody but one person joined (a host testing the room) prompts nobody."""
        guild_id = schedule.guild_id
        settings = await self._settings.get(guild_id)
        channel = settings.channel(ChannelPurpose.MINUTES_REVIEW) or settings.channel(
            ChannelPurpose.FACILITATORS
        )
        async with self._sessions() as session:
            attendance = await ZoomRepository(session).attendance(guild_id, occurrence.key)
        if channel is None or schedule.minuted_minutes <= 0 or attendance is None or attendance.total < 2:
            return
        now = self._clock.now()
        nonce = post_nonce(guild_id, occurrence.key, NOTES_SLUG)
        async with self._sessions.begin() as session:
            claimed = await DropinRepository(session).claim_post(
                guild_id, occurrence.key, NOTES_SLUG, nonce, False, now
            )
        if not claimed:
            return
        try:
            message_id = await self._announcer.post(
                channel, self._text.ended(occurrence, attendance, settings.language, nonce)
            )
        except DeliveryError as exc:
            log.warning("minutes prompt not delivered: %s", exc.reason)
            return
        async with self._sessions.begin() as session:
            await DropinRepository(session).mark_posted(guild_id, occurrence.key, NOTES_SLUG, message_id, now)

    async def _count(self, record: WebhookRecord, occurrence: Occurrence, delta: int) -> None:
        if not record.participant:
            return  # the meeting ended before this record was processed: its hash is gone
        async with self._sessions.begin() as session:
            repo = ZoomRepository(session)
            new_person = await repo.change_presence(record.meeting_uuid, record.participant, delta)
            present = await repo.present(record.meeting_uuid)
            await repo.count(record.guild_id, occurrence.key, new_person=new_person, present=present)

    # --- reading and housekeeping ---------------------------------------------------------------
    async def attendance(self, guild_id: int, weeks: int = 8) -> list[Attendance]:
        async with self._sessions() as session:
            return await ZoomRepository(session).recent_attendance(guild_id, weeks)

    async def counts_text(self, guild_id: int, day: date, language: str) -> str:
        """For the minutes template: the day's counts in the guild's language(s), or ""."""
        async with self._sessions() as session:
            counted = await ZoomRepository(session).attendance(guild_id, day)
        if counted is None or counted.total == 0:
            return ""
        return " / ".join(self._text.counts(counted, lang) for lang in guild_langs(language))

    async def purge(self) -> None:
        now = self._clock.now()
        async with self._sessions.begin() as session:
            repo = ZoomRepository(session)
            await repo.purge_processed(now - KEEP_RECORDS)
            await repo.erase_keys_before(now - KEY_LIFETIME)


def _event_time(record: WebhookRecord) -> datetime:
    return datetime.fromtimestamp(record.event_ts / 1000, UTC)


def _meeting_ids(schedule: DropinSchedule) -> set[str]:
    return {found for text in (schedule.meeting_id, schedule.join_url) if (found := meeting_digits(text))}

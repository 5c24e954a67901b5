"""Drop-in schedule, exceptions, topics, posts and events, as plain domain values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from types import MappingProxyType

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.dropin import DropinException, DropinSchedule, Topic
from db.cache import cached, invalidate
from db.models import DropinEventRow, DropinExceptionRow, DropinPostRow, DropinScheduleRow, DropinTopicRow
from db.repositories._insert import insert_ignoring_conflicts


@dataclass(frozen=True)
class PostRecord:
    occurrence: date
    slug: str
    nonce: str
    late: bool
    claimed_at: datetime
    message_id: int | None


@dataclass(frozen=True)
class EventRecord:
    occurrence: date
    event_id: int | None  # None: another process is creating it
    fingerprint: str
    cancelled: bool


def _hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def schedule_key(guild_id: int) -> tuple[str, int]:
    """The read cache's key for a guild's drop-in schedule (db/cache.py)."""
    return ("dropin_schedule", guild_id)


def exceptions_key(guild_id: int) -> tuple[str, int]:
    """The read cache's key for every exception (skip, move, note) of a guild's drop-in."""
    return ("dropin_exceptions", guild_id)


class DropinRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # schedule -------------------------------------------------------------------------------
    async def schedule(self, guild_id: int) -> DropinSchedule | None:
        """From memory after the first read (db/cache.py); save_schedule invalidates it."""
        return await cached(self._session, schedule_key(guild_id), lambda: self._load_schedule(guild_id))

    async def _load_schedule(self, guild_id: int) -> DropinSchedule | None:
        row = await self._session.get(DropinScheduleRow, guild_id)
        if row is None:
            return None
        return DropinSchedule(
            guild_id=guild_id,
            weekday=row.weekday,
            local_time=_time(row.local_time),
            timezone=row.timezone,
            duration_minutes=row.duration_minutes,
            minuted_minutes=row.minuted_minutes,
            join_url=row.join_url,
            meeting_id=row.meeting_id,
            passcode=row.passcode,
            channel_id=row.channel_id,
            ping_role_id=row.ping_role_id,
            reminder_minutes=tuple(int(m) for m in row.reminder_minutes.split(",") if m),
            events_ahead=row.events_ahead,
            created_at=row.created_at,
            plan_from=row.plan_from,
        )

    async def guilds_with_schedule(self) -> list[int]:
        return list(await self._session.scalars(select(DropinScheduleRow.guild_id)))

    async def save_schedule(self, schedule: DropinSchedule, now: datetime) -> None:
        invalidate(self._session, schedule_key(schedule.guild_id))
        await self._session.merge(
            DropinScheduleRow(
                guild_id=schedule.guild_id,
                weekday=schedule.weekday,
                local_time=_hhmm(schedule.local_time),
                timezone=schedule.timezone,
                duration_minutes=schedule.duration_minutes,
                minuted_minutes=schedule.minuted_minutes,
                join_url=schedule.join_url,
                meeting_id=schedule.meeting_id,
                passcode=schedule.passcode,
                channel_id=schedule.channel_id,
                ping_role_id=schedule.ping_role_id,
                reminder_minutes=",".join(str(m) for m in schedule.reminder_minutes),
                events_ahead=schedule.events_ahead,
                updated_at=now,
                created_at=schedule.created_at,
                plan_from=schedule.plan_from,
            )
        )

    # exceptions -----------------------------------------------------------------------------
    async def exceptions(self, guild_id: int, since: date) -> dict[date, DropinException]:
        every = await self.all_exceptions(guild_id)
        return {key: exception for key, exception in every.items() if key >= since}

    async def all_exceptions(self, guild_id: int) -> Mapping[date, DropinException]:
        """From memory after the first read of the guild's (few: one a week at most) exceptions."""
        return await cached(self._session, exceptions_key(guild_id), lambda: self._load_exceptions(guild_id))

    async def _load_exceptions(self, guild_id: int) -> Mapping[date, DropinException]:
        rows = await self._session.scalars(
            select(DropinExceptionRow).where(DropinExceptionRow.guild_id == guild_id)
        )
        return MappingProxyType(  # shared by every reader of the cache: read-only
            {
                row.occurrence: DropinException(
                    key=row.occurrence,
                    skipped=row.skipped,
                    reason=row.reason,
                    note=row.note,
                    moved_to=_time(row.moved_to) if row.moved_to else None,
                    plan_from=row.plan_from,
                )
                for row in rows
            }
        )

    async def save_exception(self, guild_id: int, exception: DropinException, now: datetime) -> None:
        invalidate(self._session, exceptions_key(guild_id))
        await self._session.merge(
            DropinExceptionRow(
                guild_id=guild_id,
                occurrence=exception.key,
                skipped=exception.skipped,
                reason=exception.reason,
                note=exception.note,
                moved_to=_hhmm(exception.moved_to) if exception.moved_to else None,
                updated_at=now,
                plan_from=exception.plan_from,
            )
        )

    # topics ---------------------------------------------------------------------------------
    async def add_topic(self, guild_id: int, occurrence: date, text: str, now: datetime) -> Topic:
        row = DropinTopicRow(
            guild_id=guild_id, occurrence=occurrence, text=text, created_at=now, removed=False
        )
        self._session.add(row)
        await self._session.flush()
        return Topic(row.id, occurrence, text)

    async def topics(self, guild_id: int, occurrence: date) -> list[Topic]:
        rows = await self._session.scalars(
            select(DropinTopicRow)
            .where(
                DropinTopicRow.guild_id == guild_id,
                DropinTopicRow.occurrence == occurrence,
                DropinTopicRow.removed.is_(False),
            )
            .order_by(DropinTopicRow.id)
        )
        return [Topic(row.id, row.occurrence, row.text) for row in rows]

    async def remove_topic(self, guild_id: int, topic_id: int) -> Topic | None:
        row = await self._session.get(DropinTopicRow, topic_id)
        if row is None or row.guild_id != guild_id or row.removed:
            return None
        row.removed = True
        return Topic(row.id, row.occurrence, row.text)

    # posts ----------------------------------------------------------------------------------
    async def claim_post(
        self, guild_id: int, occurrence: date, slug: str, nonce: str, late: bool, now: datetime
    ) -> bool:
        """Insert the claim; False when another fire (or process) already holds it."""
        values = {
            "guild_id": guild_id,
            "occurrence": occurrence,
            "slug": slug,
            "nonce": nonce,
            "late": late,
            "claimed_at": now,
        }
        result = await self._session.execute(
            insert_ignoring_conflicts(self._session, DropinPostRow, **values)
        )
        return bool(getattr(result, "rowcount", 0))

    async def mark_posted(
        self, guild_id: int, occurrence: date, slug: str, message_id: int, now: datetime
    ) -> None:
        await self._session.execute(
            update(DropinPostRow)
            .where(
                DropinPostRow.guild_id == guild_id,
                DropinPostRow.occurrence == occurrence,
                DropinPostRow.slug == slug,
            )
            .values(message_id=message_id, posted_at=now)
        )

    async def posts(self, guild_id: int, occurrence: date) -> list[PostRecord]:
        rows = await self._session.scalars(
            select(DropinPostRow).where(
                DropinPostRow.guild_id == guild_id, DropinPostRow.occurrence == occurrence
            )
        )
        return [PostRecord(r.occurrence, r.slug, r.nonce, r.late, r.claimed_at, r.message_id) for r in rows]

    async def unposted_claims(self, guild_id: int) -> list[PostRecord]:
        rows = await self._session.scalars(
            select(DropinPostRow).where(
                DropinPostRow.guild_id == guild_id, DropinPostRow.message_id.is_(None)
            )
        )
        return [PostRecord(r.occurrence, r.slug, r.nonce, r.late, r.claimed_at, r.message_id) for r in rows]

    # events ---------------------------------------------------------------------------------
    async def events(self, guild_id: int) -> dict[date, EventRecord]:
        rows = await self._session.scalars(select(DropinEventRow).where(DropinEventRow.guild_id == guild_id))
        return {r.occurrence: EventRecord(r.occurrence, r.event_id, r.fingerprint, r.cancelled) for r in rows}

    async def save_event(self, guild_id: int, record: EventRecord) -> None:
        await self._session.execute(
            update(DropinEventRow)
            .where(DropinEventRow.guild_id == guild_id, DropinEventRow.occurrence == record.occurrence)
            .values(event_id=record.event_id, fingerprint=record.fingerprint, cancelled=record.cancelled)
        )

    async def claim_event(
        self, guild_id: int, occurrence: date, now: datetime, stale_before: datetime
    ) -> bool:
        """Reserve the right to create this occurrence's event; False when another process holds it.

        A cancelled event may be replaced, and a claim abandoned before `stale_before` may be taken over."""
        statement = insert_ignoring_conflicts(
            self._session,
            DropinEventRow,
            guild_id=guild_id,
            occurrence=occurrence,
            event_id=None,
            fingerprint="",
            cancelled=False,
            claimed_at=now,
        )
        if getattr(await self._session.execute(statement), "rowcount", 0):
            return True
        takeover = (
            update(DropinEventRow)
            .where(
                DropinEventRow.guild_id == guild_id,
                DropinEventRow.occurrence == occurrence,
                (DropinEventRow.cancelled.is_(True))
                | (DropinEventRow.event_id.is_(None) & (DropinEventRow.claimed_at < stale_before)),
            )
            .values(event_id=None, fingerprint="", cancelled=False, claimed_at=now)
        )
        return bool(getattr(await self._session.execute(takeover), "rowcount", 0))

    async def release_event_claim(self, guild_id: int, occurrence: date) -> None:
        await self._session.execute(
            delete(DropinEventRow).where(
                DropinEventRow.guild_id == guild_id,
                DropinEventRow.occurrence == occurrence,
                DropinEventRow.event_id.is_(None),
            )
        )

"""Zoom webhook records, per-meeting hash keys and presence, attendance counts, and guild web tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import GuildWebRow, ZoomAttendanceRow, ZoomMeetingKeyRow, ZoomPresenceRow, ZoomWebhookRow
from db.repositories._insert import insert_ignoring_conflicts


@dataclass(frozen=True)
class WebhookRecord:
    id: int
    guild_id: int
    event: str
    meeting_uuid: str
    event_ts: int
    participant: str


@dataclass(frozen=True)
class Attendance:
    guild_id: int
    occurrence: date
    peak: int
    total: int
    started_at: datetime | None
    ended_at: datetime | None
    live_message_id: int | None


@dataclass(frozen=True)
class GuildWeb:
    guild_id: int
    token: str
    web_minutes: bool


class ZoomRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # webhooks ---------------------------------------------------------------------------------
    async def record(
        self,
        key: str,
        guild_id: int,
        event: str,
        meeting_uuid: str,
        event_ts: int,
        participant: str,
        now: datetime,
    ) -> bool:
        """Store one delivery; False when it is a retry of one already stored."""
        statement = insert_ignoring_conflicts(
            self._session,
            ZoomWebhookRow,
            idempotency_key=key,
            guild_id=guild_id,
            event=event,
            meeting_uuid=meeting_uuid,
            event_ts=event_ts,
            participant=participant,
            received_at=now,
        )
        return bool(getattr(await self._session.execute(statement), "rowcount", 0))

    async def pending(self) -> list[WebhookRecord]:
        rows = await self._session.scalars(
            select(ZoomWebhookRow)
            .where(ZoomWebhookRow.processed_at.is_(None))
            .order_by(ZoomWebhookRow.event_ts, ZoomWebhookRow.id)
        )
        return [
            WebhookRecord(r.id, r.guild_id, r.event, r.meeting_uuid, r.event_ts, r.participant) for r in rows
        ]

    async def mark_processed(self, record_id: int, now: datetime) -> None:
        """Done: the participant hash is not needed any more and goes."""
        await self._session.execute(
            update(ZoomWebhookRow)
            .where(ZoomWebhookRow.id == record_id)
            .values(processed_at=now, participant="")
        )

    async def purge_processed(self, before: datetime) -> None:
        await self._session.execute(
            delete(ZoomWebhookRow).where(
                ZoomWebhookRow.processed_at.is_not(None), ZoomWebhookRow.processed_at < before
            )
        )

    # per-meeting hash keys --------------------------------------------------------------------
    async def meeting_key(self, meeting_uuid: str, fresh: bytes, now: datetime) -> bytes | None:
        """The meeting's hash key, made from `fresh` the first time; None once the meeting has ended."""
        await self._session.execute(
            insert_ignoring_conflicts(
                self._session, ZoomMeetingKeyRow, meeting_uuid=meeting_uuid, hash_key=fresh, created_at=now
            )
        )
        row = await self._session.get(ZoomMeetingKeyRow, meeting_uuid)
        return row.hash_key if row is not None else None

    async def erase_meeting(self, meeting_uuid: str, now: datetime) -> None:
        """The meeting ended: its key and everyone's presence hashes go; only the counts remain."""
        row = await self._session.get(ZoomMeetingKeyRow, meeting_uuid)
        if row is None:
            self._session.add(ZoomMeetingKeyRow(meeting_uuid=meeting_uuid, hash_key=None, created_at=now))
        else:
            row.hash_key = None
        await self._session.execute(
            delete(ZoomPresenceRow).where(ZoomPresenceRow.meeting_uuid == meeting_uuid)
        )
        await self._session.execute(
            update(ZoomWebhookRow).where(ZoomWebhookRow.meeting_uuid == meeting_uuid).values(participant="")
        )

    async def erase_keys_before(self, before: datetime) -> list[str]:
        """Keys of meetings whose end never reached us are discarded after a day all the same."""
        stale = list(
            await self._session.scalars(
                select(ZoomMeetingKeyRow.meeting_uuid).where(
                    ZoomMeetingKeyRow.created_at < before, ZoomMeetingKeyRow.hash_key.is_not(None)
                )
            )
        )
        for uuid in stale:
            await self.erase_meeting(uuid, before)
        return stale

    # presence ---------------------------------------------------------------------------------
    async def change_presence(self, meeting_uuid: str, participant: str, delta: int) -> bool:
        """Joins minus leaves for one person; True the first time this person is seen in the meeting."""
        row = await self._session.get(ZoomPresenceRow, (meeting_uuid, participant))
        if row is None:
            self._session.add(ZoomPresenceRow(meeting_uuid=meeting_uuid, participant=participant, net=delta))
            await self._session.flush()
            return True
        row.net += delta
        await self._session.flush()
        return False

    async def present(self, meeting_uuid: str) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(ZoomPresenceRow)
            .where(ZoomPresenceRow.meeting_uuid == meeting_uuid, ZoomPresenceRow.net > 0)
        )
        return int(count or 0)

    # attendance -------------------------------------------------------------------------------
    async def attendance(self, guild_id: int, occurrence: date) -> Attendance | None:
        row = await self._session.get(ZoomAttendanceRow, (guild_id, occurrence))
        return _attendance(row) if row is not None else None

    async def recent_attendance(self, guild_id: int, limit: int) -> list[Attendance]:
        rows = await self._session.scalars(
            select(ZoomAttendanceRow)
            .where(ZoomAttendanceRow.guild_id == guild_id)
            .order_by(ZoomAttendanceRow.occurrence.desc())
            .limit(limit)
        )
        return [_attendance(row) for row in rows]

    async def _row(self, guild_id: int, occurrence: date) -> ZoomAttendanceRow:
        await self._session.execute(
            insert_ignoring_conflicts(
                self._session, ZoomAttendanceRow, guild_id=guild_id, occurrence=occurrence, peak=0, total=0
            )
        )
        row = await self._session.get(ZoomAttendanceRow, (guild_id, occurrence))
        assert row is not None
        return row

    async def mark_started(self, guild_id: int, occurrence: date, at: datetime) -> Attendance:
        row = await self._row(guild_id, occurrence)
        if row.started_at is None:
            row.started_at = at
        return _attendance(row)

    async def mark_ended(self, guild_id: int, occurrence: date, at: datetime) -> None:
        row = await self._row(guild_id, occurrence)
        row.ended_at = at

    async def count(self, guild_id: int, occurrence: date, *, new_person: bool, present: int) -> None:
        row = await self._row(guild_id, occurrence)
        row.total += 1 if new_person else 0
        row.peak = max(row.peak, present)

    async def set_live_message(self, guild_id: int, occurrence: date, message_id: int) -> None:
        await self._session.execute(
            update(ZoomAttendanceRow)
            .where(ZoomAttendanceRow.guild_id == guild_id, ZoomAttendanceRow.occurrence == occurrence)
            .values(live_message_id=message_id)
        )

    # guild web --------------------------------------------------------------------------------
    async def web(self, guild_id: int) -> GuildWeb | None:
        row = await self._session.get(GuildWebRow, guild_id)
        return GuildWeb(row.guild_id, row.token, row.web_minutes) if row is not None else None

    async def guild_for_token(self, token: str) -> GuildWeb | None:
        row = await self._session.scalar(select(GuildWebRow).where(GuildWebRow.token == token))
        return GuildWeb(row.guild_id, row.token, row.web_minutes) if row is not None else None

    async def save_web(self, guild_id: int, token: str, now: datetime) -> None:
        row = await self._session.get(GuildWebRow, guild_id)
        if row is None:
            self._session.add(GuildWebRow(guild_id=guild_id, token=token, web_minutes=False, rotated_at=now))
        else:
            row.token, row.rotated_at = token, now

    async def set_web_minutes(self, guild_id: int, on: bool) -> None:
        await self._session.execute(
            update(GuildWebRow).where(GuildWebRow.guild_id == guild_id).values(web_minutes=on)
        )


def _attendance(row: ZoomAttendanceRow) -> Attendance:
    return Attendance(
        row.guild_id, row.occurrence, row.peak, row.total, row.started_at, row.ended_at, row.live_message_id
    )

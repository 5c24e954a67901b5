"""Minutes and their revisions, as plain values."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import extract, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.minutes import Minutes, Revision, Section
from db.cache import cached, invalidate
from db.models import GuildSettingsRow, MinutesRevisionRow, MinutesRow

_SECTIONS = {s.value: s for s in Section}
_LATEST = "minutes_latest"  # cache family: the last published minutes per (guild, meeting series)


def _sections(raw: str) -> dict[Section, str]:
    return {_SECTIONS[k]: v for k, v in json.loads(raw or "{}").items() if k in _SECTIONS}


def _dump(sections: dict[Section, str]) -> str:
    return json.dumps({s.value: t for s, t in sections.items()}, ensure_ascii=False)


def _minutes(row: MinutesRow) -> Minutes:
    return Minutes(
        id=row.id,
        guild_id=row.guild_id,
        meeting_key=row.meeting_key,
        meeting_date=row.meeting_date,
        status=row.status,
        author_id=row.author_id,
        sections=_sections(row.sections),
        published_sections=_sections(row.published_sections),
        review_message_id=row.review_message_id,
        published_channel_id=row.published_channel_id,
        published_message_ids=tuple(int(i) for i in row.published_message_ids.split(",") if i),
        version=row.version,
    )


def latest_published_key(guild_id: int, meeting_key: str) -> tuple[str, int, str]:
    """The read cache's key for the last published minutes of one meeting series (db/cache.py)."""
    return (_LATEST, guild_id, meeting_key)


class MinutesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find(self, guild_id: int, meeting_key: str, meeting_date: date) -> Minutes | None:
        row = await self._session.scalar(
            select(MinutesRow).where(
                MinutesRow.guild_id == guild_id,
                MinutesRow.meeting_key == meeting_key,
                MinutesRow.meeting_date == meeting_date,
            )
        )
        return _minutes(row) if row else None

    async def get(self, minutes_id: int) -> Minutes | None:
        row = await self._session.get(MinutesRow, minutes_id)
        return _minutes(row) if row else None

    async def add(
        self, guild_id: int, meeting_key: str, meeting_date: date, author_id: int, now: datetime
    ) -> Minutes:
        invalidate(self._session, (_LATEST,))
        row = MinutesRow(
            guild_id=guild_id,
            meeting_key=meeting_key,
            meeting_date=meeting_date,
            status="draft",
            author_id=author_id,
            sections="{}",
            published_sections="{}",
            published_message_ids="",
            version=0,
            created_at=now,
            updated_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _minutes(row)

    async def save_sections(self, minutes_id: int, sections: dict[Section, str], now: datetime) -> None:
        await self._update(minutes_id, sections=_dump(sections), updated_at=now)

    async def set_status(
        self, minutes_id: int, status: str, now: datetime, *, expected: tuple[str, ...]
    ) -> bool:
        """Moves to `status` only from one of `expected`; False when someone else moved it first."""
        invalidate(self._session, (_LATEST,))
        result = await self._session.execute(
            update(MinutesRow)
            .where(MinutesRow.id == minutes_id, MinutesRow.status.in_(expected))
            .values(status=status, updated_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def reopen_interrupted(self, now: datetime) -> int:
        """Minutes left "publishing" by a process that died go back to review; returns how many."""
        result = await self._session.execute(
            update(MinutesRow)
            .where(MinutesRow.status == "publishing")
            .values(status="review", updated_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def save_progress(self, minutes_id: int, channel_id: int, message_ids: list[int]) -> None:
        """The messages that carry the minutes so far: a publish that stops half-way resumes from here."""
        await self._update(
            minutes_id,
            published_channel_id=channel_id,
            published_message_ids=",".join(str(i) for i in message_ids),
        )

    async def set_review_message(self, minutes_id: int, message_id: int | None) -> None:
        await self._update(minutes_id, review_message_id=message_id)

    async def mark_published(
        self,
        minutes: Minutes,
        channel_id: int,
        message_ids: list[int],
        approved_by: int,
        changed: list[Section],
        now: datetime,
    ) -> None:
        version = minutes.version + 1
        await self._update(
            minutes.id,
            status="published",
            published_sections=_dump(minutes.sections),
            published_channel_id=channel_id,
            published_message_ids=",".join(str(i) for i in message_ids),
            version=version,
            updated_at=now,
        )
        self._session.add(
            MinutesRevisionRow(
                minutes_id=minutes.id,
                version=version,
                author_id=minutes.author_id,
                approved_by=approved_by,
                sections_changed=",".join(s.value for s in changed),
                at=now,
            )
        )

    async def revisions(self, minutes_id: int) -> list[Revision]:
        rows = await self._session.scalars(
            select(MinutesRevisionRow)
            .where(MinutesRevisionRow.minutes_id == minutes_id)
            .order_by(MinutesRevisionRow.version)
        )
        return [
            Revision(
                r.version,
                r.author_id,
                r.approved_by,
                tuple(_SECTIONS[s] for s in r.sections_changed.split(",") if s in _SECTIONS),
                r.at,
            )
            for r in rows
        ]

    async def set_author(self, minutes_id: int, author_id: int) -> None:
        await self._update(minutes_id, author_id=author_id)

    async def published(self, guild_id: int, *, year: int | None = None) -> list[Minutes]:
        query = select(MinutesRow).where(MinutesRow.guild_id == guild_id, MinutesRow.version > 0)
        if year is not None:
            query = query.where(extract("year", MinutesRow.meeting_date) == year)
        rows = await self._session.scalars(query.order_by(MinutesRow.meeting_date, MinutesRow.meeting_key))
        return [_minutes(row) for row in rows]

    async def latest_published(self, guild_id: int, meeting_key: str) -> Minutes | None:
        """The last published minutes of one meeting series: from memory after the first read (every
        write below invalidates it), else one row, not the whole archive."""
        return await cached(
            self._session,
            latest_published_key(guild_id, meeting_key),
            lambda: self._load_latest_published(guild_id, meeting_key),
        )

    async def _load_latest_published(self, guild_id: int, meeting_key: str) -> Minutes | None:
        row = await self._session.scalar(
            select(MinutesRow)
            .where(
                MinutesRow.guild_id == guild_id,
                MinutesRow.meeting_key == meeting_key,
                MinutesRow.version > 0,
                MinutesRow.published_message_ids != "",
            )
            .order_by(MinutesRow.meeting_date.desc())
            .limit(1)
        )
        return None if row is None else _minutes(row)

    async def two_reviewers(self, guild_id: int) -> bool:
        row = await self._session.get(GuildSettingsRow, guild_id)
        return True if row is None else row.minutes_two_reviewers

    async def set_two_reviewers(self, guild_id: int, required: bool) -> None:
        await self._session.execute(
            update(GuildSettingsRow)
            .where(GuildSettingsRow.guild_id == guild_id)
            .values(minutes_two_reviewers=required)
        )

    async def _update(self, minutes_id: int, **values: object) -> None:
        invalidate(self._session, (_LATEST,))
        await self._session.execute(update(MinutesRow).where(MinutesRow.id == minutes_id).values(**values))

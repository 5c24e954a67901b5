"""Deleting or unlinking one person's rows, for forget-me. Each method names the table it touches;
bot/services/erasers.py declares which feature covers which column."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    GroupAttendanceRow,
    GroupMemberRow,
    GroupRequestRow,
    HonorariaOptInRow,
    MinutesRevisionRow,
    MinutesRow,
)

FORGOTTEN_ID = 0  # what a forgotten person's id becomes where a row must stay (published history)
PUBLISHED = "published"


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class ErasureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- working groups and honoraria -----------------------------------------------------------
    async def delete_group_requests(self, user_id: int) -> int:
        return _count(
            await self._session.execute(delete(GroupRequestRow).where(GroupRequestRow.user_id == user_id))
        )

    async def delete_group_memberships(self, user_id: int) -> int:
        return _count(
            await self._session.execute(delete(GroupMemberRow).where(GroupMemberRow.user_id == user_id))
        )

    async def delete_honoraria_optins(self, user_id: int) -> int:
        statement = delete(HonorariaOptInRow).where(HonorariaOptInRow.user_id == user_id)
        return _count(await self._session.execute(statement))

    async def delete_attendance(self, user_id: int) -> int:
        statement = delete(GroupAttendanceRow).where(GroupAttendanceRow.user_id == user_id)
        return _count(await self._session.execute(statement))

    # --- minutes ------------------------------------------------------------------------------------
    async def unlink_published_minutes(self, user_id: int) -> int:
        """Published minutes stay (they are the community's record) but no longer name their author."""
        statement = (
            update(MinutesRow)
            .where(MinutesRow.author_id == user_id, MinutesRow.status == PUBLISHED)
            .values(author_id=FORGOTTEN_ID)
        )
        return _count(await self._session.execute(statement))

    async def unlink_revisions(self, user_id: int) -> int:
        authored = await self._session.execute(
            update(MinutesRevisionRow)
            .where(MinutesRevisionRow.author_id == user_id)
            .values(author_id=FORGOTTEN_ID)
        )
        approved = await self._session.execute(
            update(MinutesRevisionRow)
            .where(MinutesRevisionRow.approved_by == user_id)
            .values(approved_by=FORGOTTEN_ID)
        )
        return _count(authored) + _count(approved)

    async def minutes_in_progress(self, user_id: int) -> int:
        """Unpublished minutes keep their author until published: the second-reviewer rule needs it."""
        statement = select(func.count()).where(
            MinutesRow.author_id == user_id, MinutesRow.status != PUBLISHED
        )
        return int(await self._session.scalar(statement) or 0)


async def flush_deleted_bytes(session: AsyncSession) -> None:
    """SQLite: move the WAL into the database and truncate it, so erased rows (zeroed by
    `secure_delete`) survive in neither file. PostgreSQL keeps dead tuples until VACUUM: nothing to do here."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

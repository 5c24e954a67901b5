"""What operators check: that the database answers, and counts for metrics (no personal data)."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import QuestionRow


class OpsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def ping(self) -> None:
        await self._session.execute(text("SELECT 1"))

    async def questions_by_status(self) -> dict[str, int]:
        rows = await self._session.execute(
            select(QuestionRow.status, func.count()).group_by(QuestionRow.status)
        )
        return {str(status): int(count) for status, count in rows}

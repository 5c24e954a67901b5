"""One forget-me for every feature: a registry of per-feature erasers.

Each feature declares the columns that hold a value derived from a person (`covers`, as
"table.column") and how to erase them. tests/meta/test_forget_coverage.py fails when a table gains a
column that looks person-derived and no eraser covers it, so a new feature cannot forget to register.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.forget import Erased, ForgetReport
from bot.i18n import Lang
from bot.logs import exception_summary
from bot.services.members_text import MembersText
from db.repositories.erasure import flush_deleted_bytes

log = logging.getLogger(__name__)


class Eraser(Protocol):
    feature: str
    covers: frozenset[str]  # "table.column" of every person-derived column the feature keeps

    async def erase(self, user_id: int) -> Erased: ...


class ForgetMe:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], erasers: Sequence[Eraser], text: MembersText
    ) -> None:
        self._sessions = sessions
        self._text = text
        features = [e.feature for e in erasers]
        if len(set(features)) != len(features):
            raise ValueError("one eraser per feature")
        self._erasers = tuple(erasers)

    @property
    def erasers(self) -> tuple[Eraser, ...]:
        return self._erasers

    def covered(self) -> frozenset[str]:
        return frozenset(column for eraser in self._erasers for column in eraser.covers)

    async def forget(self, user_id: int) -> ForgetReport:
        """Runs every eraser, each in its own transaction; one failing does not stop the others, and the
        report says which failed instead of claiming it was done."""
        results = []
        for eraser in self._erasers:
            try:
                results.append(await eraser.erase(user_id))
            except Exception as exc:
                log.error("forget-me: the %s eraser failed: %s", eraser.feature, exception_summary(exc))
                results.append(Erased(eraser.feature, failed=True))
        async with self._sessions() as session:
            await flush_deleted_bytes(session)
        return ForgetReport(tuple(results))

    def describe(self, report: ForgetReport, *langs: Lang) -> str:
        """What was deleted, per feature, in each of `langs` (a DM: the person's languages, in order)."""
        return "\n\n".join(self._text.forgotten(report, lang) for lang in langs)

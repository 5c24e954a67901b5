"""What facilitators see and set for anonymous questions (the open queue, counts, unblocking, whether
review is required) and the hand-off of held questions to the next drop-in's reminder."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.questions import OPEN_STATUSES, Question, QuestionStatus
from bot.errors import UserError
from bot.services.privacy import normalize_code
from bot.services.settings import SettingsService
from db.repositories.questions import QuestionRepository


@dataclass(frozen=True)
class Stats:
    total: int
    by_status: dict[str, int]
    answers: int
    blocked: int


class QuestionQueue:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: SettingsService) -> None:
        self._sessions = sessions
        self._settings = settings

    # --- facilitators' views ---------------------------------------------------------------------
    async def queue(self, guild_id: int) -> list[Question]:
        async with self._sessions() as session:
            return await QuestionRepository(session).with_status(guild_id, OPEN_STATUSES)

    async def stats(self, guild_id: int) -> Stats:
        async with self._sessions() as session:
            counts, answers, blocked = await QuestionRepository(session).status_counts(guild_id)
        return Stats(total=sum(counts.values()), by_status=dict(counts), answers=answers, blocked=blocked)

    async def unblock(self, guild_id: int, code: str) -> int:
        normalized = normalize_code(code)
        if not re.fullmatch(r"[0-9a-f]{8}", normalized):  # a blank or short code must not match everyone
            raise UserError("questions.error.unknown_code", code=code)
        async with self._sessions.begin() as session:
            removed = await QuestionRepository(session).unblock(guild_id, normalized)
        if not removed:
            raise UserError("questions.error.unknown_code", code=code)
        return removed

    async def set_review_required(self, guild_id: int, required: bool) -> None:
        async with self._sessions.begin() as session:
            await self._settings.ensure_in(session, guild_id)
            await QuestionRepository(session).set_review_required(guild_id, required)

    # --- drop-in hand-off ------------------------------------------------------------------------
    async def held_texts(self, guild_id: int) -> list[tuple[int, str]]:
        async with self._sessions() as session:
            held = await QuestionRepository(session).with_status(guild_id, (QuestionStatus.HELD,))
        return [(q.id, q.text) for q in held]

    async def mark_raised(self, question_ids: list[int]) -> None:
        """Only the questions a reminder actually listed; the rest wait for the next one."""
        async with self._sessions.begin() as session:
            repo = QuestionRepository(session)
            for question_id in question_ids:
                await repo.update(question_id, status=QuestionStatus.RAISED.value)

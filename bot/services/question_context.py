"""What every anonymous-questions service works with: the database, the clock, the privacy keys, the
feature's limits, guild settings, Discord, the text; and the one way to read a question."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.questions import Question
from bot.errors import UserError
from bot.i18n import Lang
from bot.services.ports import QuestionDesk
from bot.services.privacy import Privacy
from bot.services.question_text import QuestionText
from bot.services.settings import SettingsService
from db.repositories.questions import QuestionRepository


@dataclass(frozen=True)
class QuestionPolicy:
    rate_per_hour: int = 5
    max_length: int = 1800
    retention: timedelta = timedelta(days=30)
    urgent_words: tuple[str, ...] = ()
    delay: tuple[timedelta, timedelta] = (timedelta(0), timedelta(0))
    """A question reaches reviewers (or the channel) after a uniformly random wait in this range."""
    relay_retries: tuple[float, ...] = (5.0, 30.0)
    """Seconds to wait before each new attempt at a DM that failed; then it is dropped quietly."""


@dataclass(frozen=True)
class QuestionContext:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    privacy: Privacy
    policy: QuestionPolicy
    settings: SettingsService
    desk: QuestionDesk
    text: QuestionText

    async def question(self, question_id: int) -> Question:
        async with self.sessions() as session:
            question = await QuestionRepository(session).get(question_id)
        if question is None:
            raise UserError("questions.error.unknown_question")
        return question


def lang_of(question: Question) -> Lang:
    return "fr" if question.lang == "fr" else "en"

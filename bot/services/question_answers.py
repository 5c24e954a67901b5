"""Answers to anonymous questions: posted, signed, in the question's thread, then sent to the asker by
DM if they asked for it. Nothing here depends on who presses Answer."""

from __future__ import annotations

from bot.domain.questions import check_text
from bot.errors import UserError
from bot.services.question_context import QuestionContext, lang_of
from bot.services.question_delivery import QuestionDelivery
from db.repositories.questions import QuestionRepository


class QuestionAnswers:
    def __init__(self, context: QuestionContext, delivery: QuestionDelivery) -> None:
        self._context = context
        self._delivery = delivery

    async def answer(self, question_id: int, text: str, signature: str | None) -> None:
        """Posts a signed answer in the question's thread. The same for every presser: whether they
        asked the question or are blocked changes nothing (their anonymous path is the follow-up)."""
        question = await self._context.question(question_id)
        answer = check_text(text, self._context.policy.max_length)
        if question.thread_id is None:
            raise UserError("questions.error.no_thread")
        settings = await self._context.settings.get(question.guild_id)
        await self._context.desk.post_card(
            question.thread_id, self._context.text.answer_post(answer, signature, settings.language)
        )
        async with self._context.sessions.begin() as session:
            await QuestionRepository(session).count_answer(question_id)

    async def relay_answer(self, question_id: int, text: str) -> None:
        """After the answerer was told: the answer by DM if the asker asked for it. Failures are
        retried, then dropped without a trace anyone else could see."""
        question = await self._context.question(question_id)
        answer = check_text(text, self._context.policy.max_length)
        await self._delivery.relay(
            question, self._context.text.answer_dm(question, answer, lang_of(question))
        )

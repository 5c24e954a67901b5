"""Getting each question through review: its delivery once its random delay is over (a review card,
or publication straight away when the guild does not require review), resumed after a crash, and the
reviewers' decisions (approve, reject, block, urgent)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.domain.questions import Question, QuestionStatus
from bot.domain.shards import every_guild
from bot.errors import UserError
from bot.services.ports import DeliveryError, Timers
from bot.services.privacy import is_forgotten, normalize_code, short_code
from bot.services.question_context import QuestionContext, lang_of
from bot.services.question_delivery import QuestionDelivery
from db.repositories.questions import QuestionRepository

log = logging.getLogger(__name__)


class QuestionReview:
    def __init__(
        self,
        context: QuestionContext,
        delivery: QuestionDelivery,
        timers: Timers | None = None,
        owns: Callable[[int], bool] = every_guild,
    ) -> None:
        self._context = context
        self._sessions, self._clock, self._text = context.sessions, context.clock, context.text
        self._delivery = delivery
        self._timers = timers
        # This process's guilds (bot/domain/shards.py). A question submitted by DM (shard 0's process) for
        # another process's guild is left to that process, whose deliver_pending timer picks it up: one
        # process per guild delivers, so two never race to post the same card.
        self._owns = owns

    # --- delivery: review card, publication --------------------------------------------------------
    async def deliver_pending(self) -> None:
        """Every question whose next step was interrupted (or not yet done) gets it, once. Runs at
        start and on a timer: a post Discord refused (a 503, retries exhausted) is not left undone.
        A step racing the one in flight repeats its nonce, so Discord returns the same message."""
        async with self._sessions() as session:
            waiting = await QuestionRepository(session).needing_delivery()
        for question in (q for q in waiting if self._owns(q.guild_id)):
            try:
                await self.deliver(question.id, recheck=True)
            except DeliveryError as exc:
                log.warning("question delivery postponed: %s", exc.reason)

    async def deliver(self, question_id: int, *, recheck: bool = False) -> None:
        """The question's next step, or, while its random delay runs, a timer for it. `recheck`: the
        channel is read for a card an interrupted step may have posted (see QuestionDelivery)."""
        question = await self._context.question(question_id)
        if not self._owns(question.guild_id):
            return  # another process's guild: its deliver_pending timer delivers it
        if question.deliver_after and question.deliver_after > self._clock.now() and self._timers:
            self._timers.at(
                f"question:{question_id}", question.deliver_after, self._deliver_later, question_id
            )
            return
        if question.status is QuestionStatus.PENDING and question.review_message_id is None:
            async with self._sessions() as session:
                review = await QuestionRepository(session).review_required(question.guild_id)
            if review or question.urgent:
                await self._delivery.post_review(question, recheck)
            if not review:
                try:
                    await self._decide(question, approve=True)
                except UserError:
                    return  # decided meanwhile by a delivery racing this one (the timer): it publishes
        elif question.status is QuestionStatus.PUBLISHED and question.thread_id is None:
            await self._delivery.publish(question, recheck)

    async def _deliver_later(self, question_id: int) -> None:
        try:
            await self.deliver(question_id)
        except (DeliveryError, UserError) as exc:  # retried at the next start
            log.warning("question delivery postponed: %s", getattr(exc, "reason", type(exc).__name__))

    # --- review ------------------------------------------------------------------------------------
    async def approve(self, question_id: int) -> Question:
        question = await self._context.question(question_id)
        await self._decide(question, approve=True)
        return await self._context.question(question_id)

    async def reject(self, question_id: int, reason: str) -> Question:
        question = await self._decide(await self._context.question(question_id), approve=False)
        await self._delivery.relay(
            question, self._text.rejected_dm(question, reason.strip()[:1000], lang_of(question))
        )
        return question

    async def block(self, question_id: int) -> tuple[Question, str | None]:
        """Blocks the asker under their stable pseudonym; the code is None when the asker used
        forget-me before review (then the question is only rejected: nothing links it to anyone)."""
        question = await self._context.question(question_id)
        code = None if is_forgotten(question.pseudonym) else normalize_code(question.pseudonym[:8])
        async with self._sessions.begin() as session:
            repo = QuestionRepository(session)
            pseudonym = await repo.pseudonym_of(question.guild_id, question.pseudonym)
            if pseudonym is not None and code is not None:
                await repo.block(question.guild_id, pseudonym, code, self._clock.now())
        if question.status is QuestionStatus.PENDING:
            status = QuestionStatus.BLOCKED if pseudonym and code else QuestionStatus.REJECTED
            question = await self._decide(question, approve=False, status=status)
        return question, (short_code(question.pseudonym) if pseudonym and code else None)

    async def toggle_urgent(self, question_id: int) -> Question:
        question = await self._context.question(question_id)
        async with self._sessions.begin() as session:
            await QuestionRepository(session).update(question_id, urgent=not question.urgent)
        await self._delivery.refresh_review_card(question_id)
        return await self._context.question(question_id)

    async def _decide(
        self, question: Question, *, approve: bool, status: QuestionStatus | None = None
    ) -> Question:
        if approve:
            status = QuestionStatus.HELD if question.hold else QuestionStatus.PUBLISHED
        new_status = status or QuestionStatus.REJECTED
        async with self._sessions.begin() as session:
            if not await QuestionRepository(session).decide(question.id, new_status, self._clock.now()):
                raise UserError("questions.already_decided", number=question.number)
        await self._delivery.refresh_review_card(question.id)
        decided = await self._context.question(question.id)
        if decided.status is QuestionStatus.PUBLISHED:
            await self._delivery.publish(decided)
        return await self._context.question(question.id)

"""Everything the questions feature posts, edits or sends by DM, each step recorded once done so a
retry (or a restart) resumes where it stopped, with deterministic nonces so Discord drops a repeat."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.questions import Question
from bot.domain.settings import ChannelPurpose
from bot.services.ports import Card, DeliveryError, QuestionDesk
from bot.services.privacy import Privacy
from bot.services.question_text import QuestionText
from bot.services.settings import SettingsService
from db.repositories.questions import QuestionRepository

log = logging.getLogger(__name__)


class QuestionDelivery:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        privacy: Privacy,
        settings: SettingsService,
        desk: QuestionDesk,
        text: QuestionText,
        retries: tuple[float, ...],
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._privacy = privacy
        self._settings = settings
        self._desk = desk
        self._text = text
        self._retries = retries

    async def post_review(self, question: Question, recheck: bool = False) -> None:
        """`recheck`: a step interrupted earlier (perhaps long ago) may have reached Discord without being
        recorded; Discord's nonce only deduplicates "in the past few minutes" (message.mdx:1092), so the
        channel is read for the card first."""
        settings = await self._settings.get(question.guild_id)
        channel = settings.channel(ChannelPurpose.QUESTION_REVIEW)
        if channel is None:
            raise DeliveryError("no review channel")
        card = self._text.review(question, settings.language)
        found = await self._desk.find_card(channel, card) if recheck else None
        message_id = found or await self._desk.post_card(channel, card, nonce=f"qr{question.id}")
        async with self._sessions.begin() as session:
            await QuestionRepository(session).update(question.id, review_message_id=message_id)

    async def publish(self, question: Question, recheck: bool = False) -> None:
        """Post, then open the thread; each step recorded, so a retry resumes where it stopped."""
        if question.follows_id is not None:
            await self._publish_follow_up(question)
            return
        settings = await self._settings.get(question.guild_id)
        channel = settings.channel(ChannelPurpose.QUESTIONS)
        if channel is None:
            raise DeliveryError("no questions channel")
        message_id = question.published_message_id
        if message_id is None:
            card = self._text.published(question, settings.language)
            found = await self._desk.find_card(channel, card) if recheck else None
            message_id = found or await self._desk.post_card(channel, card, nonce=f"qp{question.id}")
            async with self._sessions.begin() as session:
                await QuestionRepository(session).update(question.id, published_message_id=message_id)
        thread_id = await self._desk.start_thread(
            channel, message_id, self._text.thread_name(question, settings.language)
        )
        async with self._sessions.begin() as session:
            await QuestionRepository(session).update(question.id, thread_id=thread_id)

    async def _publish_follow_up(self, follow_up: Question) -> None:
        assert follow_up.follows_id is not None
        thread_id = await self._thread_of(follow_up.follows_id)
        if thread_id is None:
            raise DeliveryError("the question has no thread yet")
        settings = await self._settings.get(follow_up.guild_id)
        card = self._text.follow_up_post(follow_up.text, settings.language)
        message_id = await self._desk.post_card(thread_id, card, nonce=f"qp{follow_up.id}")
        async with self._sessions.begin() as session:
            await QuestionRepository(session).update(
                follow_up.id, published_message_id=message_id, thread_id=thread_id
            )

    async def refresh_review_card(self, question_id: int) -> int:
        """Redraws the question's review card, if it has one: 1 when it did."""
        async with self._sessions() as session:
            question = await QuestionRepository(session).get(question_id)
        if question is None:
            return 0
        settings = await self._settings.get(question.guild_id)
        channel = settings.channel(ChannelPurpose.QUESTION_REVIEW)
        if channel and question.review_message_id:
            await self._desk.edit_card(
                channel, question.review_message_id, self._text.review(question, settings.language)
            )
            return 1
        return 0

    async def _thread_of(self, question_id: int) -> int | None:
        async with self._sessions() as session:
            question = await QuestionRepository(session).get(question_id)
        return question.thread_id if question else None

    async def relay(self, question: Question, card: Card) -> None:
        """A DM to the asker, if they asked for answers and the sealed target is still kept. A failed
        attempt is retried after each of the `retries` waits, then dropped without a trace anyone
        else could see; DMs closed (send_dm returns False) are final."""
        async with self._sessions() as session:
            sealed = await QuestionRepository(session).sealed_relay(question.id, self._clock.now())
        user_id = self._privacy.open(sealed, question.id) if sealed else None
        if user_id is None:
            return
        for wait in (0.0, *self._retries):
            await asyncio.sleep(wait)
            try:
                await self._desk.send_dm(user_id, card)  # False (DMs closed) is final: not retried
                return
            except DeliveryError as exc:
                reason = exc.reason
        log.info("a DM to an asker was dropped after %d attempts: %s", 1 + len(self._retries), reason)

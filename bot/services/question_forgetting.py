"""Forgetting in anonymous questions: forget-me (what it says is gone is gone, from rows, review cards
and files) and retention (drafts and relay records past their lifetime)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.questions import Forgotten
from bot.services.ports import DeliveryError
from bot.services.privacy import Privacy, new_alias
from bot.services.question_delivery import QuestionDelivery
from db.repositories.questions import QuestionRepository

log = logging.getLogger(__name__)
DRAFT_LIFETIME = timedelta(days=2)


class QuestionForgetting:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        privacy: Privacy,
        delivery: QuestionDelivery,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._privacy = privacy
        self._delivery = delivery

    async def forget(self, user_id: int) -> Forgotten:
        """Deletes the caller's drafts and relay records, gives each of their questions a new random
        alias (so the next question shows a new code, and nothing earlier can be recomputed from them),
        removes their code from those review cards, and scrubs the database files. Blocks hold: they
        are keyed by the stable pseudonym, which forget-me leaves alone."""
        replaced: list[int] = []
        async with self._sessions.begin() as session:
            repo = QuestionRepository(session)
            drafts = await repo.delete_drafts_of(lambda tag: self._privacy.owns(tag, user_id))
            relays = 0
            for guild_id in await repo.guilds():
                pseudonym = self._privacy.pseudonym(guild_id, user_id)
                alias = await repo.alias(guild_id, pseudonym)
                if alias is None:
                    continue
                ids, dropped = await repo.forget_alias(guild_id, alias, lambda: new_alias(forgotten=True))
                await repo.delete_alias(guild_id, pseudonym)
                replaced += ids
                relays += dropped
        cards = 0
        for question_id in replaced:
            try:
                cards += await self._delivery.refresh_review_card(question_id)
            except DeliveryError as exc:
                log.warning("a review card kept its code: %s", exc.reason)
        async with self._sessions() as session:
            await QuestionRepository(session).scrub_files()
        return Forgotten(drafts=drafts, relays=relays, questions=len(replaced), review_cards=cards)

    async def purge_expired(self) -> int:
        async with self._sessions.begin() as session:
            repo = QuestionRepository(session)
            await repo.delete_drafts_before(self._clock.now() - DRAFT_LIFETIME)
            purged = await repo.purge_relays(self._clock.now())
        async with self._sessions() as session:
            await QuestionRepository(session).scrub_files()
        return purged

"""The asker's side of anonymous questions: a DM becomes a draft they confirm, /ask submits at once,
and the asker of a published question may add an anonymous follow-up. A question is committed here,
before the asker is told it was received; getting it to reviewers is QuestionReview's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.questions import Draft, Question, check_rate, check_text, is_urgent, random_delay
from bot.domain.settings import ChannelPurpose
from bot.errors import UserError
from bot.i18n import Lang
from bot.services.ports import Card
from bot.services.privacy import new_alias
from bot.services.question_context import QuestionContext
from db.repositories.questions import DraftInserts, QuestionRepository


@dataclass(frozen=True)
class Submitted:
    """What the asker is told. `number` is None for a blocked asker (who gets a neutral answer)."""

    number: int | None
    held: bool
    question_id: int | None = None
    delayed: bool = False  # the random delay applies: the asker is told it is deliberate
    follow_up: bool = False


class QuestionIntake:
    def __init__(self, context: QuestionContext) -> None:
        self._context = context
        self._sessions, self._clock, self._privacy = context.sessions, context.clock, context.privacy
        self._policy, self._settings, self._text = context.policy, context.settings, context.text
        self._drafts = DraftInserts(context.sessions)

    async def accepting_guilds(self, guild_ids: Sequence[int]) -> list[int]:
        """Of the given guilds, those with a questions channel set up."""
        found = []
        for guild_id in guild_ids:
            settings = await self._settings.get(guild_id)
            if settings.channel(ChannelPurpose.QUESTIONS) and settings.channel(
                ChannelPurpose.QUESTION_REVIEW
            ):
                found.append(guild_id)
        return found

    async def start_draft(
        self, user_id: int, text: str, attachments: int, guild_ids: Sequence[int]
    ) -> tuple[Draft, Card]:
        if attachments:
            raise UserError("questions.error.attachment")
        cleaned = check_text(text, self._policy.max_length)
        if not guild_ids:
            raise UserError("questions.intake.no_community")
        guild = guild_ids[0] if len(guild_ids) == 1 else None
        # Stale drafts go in the hourly purge_expired, not in every DM's transaction.
        draft = await self._drafts.add(self._privacy.owner_tag(user_id), cleaned, guild, self._clock.now())
        return draft, self._text.draft(
            draft, await self.dm_langs(guild_ids, user_id), choose_guild=guild is None
        )

    async def dm_langs(self, guild_ids: Sequence[int], user_id: int) -> tuple[Lang, ...]:
        """A DM carries no locale: the person's language if known, else their communities'."""
        return await self._settings.dm_langs(guild_ids, user_id)

    async def draft_card(self, draft: Draft, lang: Lang) -> Card:
        return self._text.draft(draft, (lang,), choose_guild=draft.guild_id is None)

    async def choose_guild(self, draft_id: int, user_id: int, guild_id: int) -> Draft:
        await self._own_draft(draft_id, user_id)
        async with self._sessions.begin() as session:
            await QuestionRepository(session).update_draft(draft_id, guild_id=guild_id)
        return await self._own_draft(draft_id, user_id)

    async def toggle_relay(self, draft_id: int, user_id: int) -> Draft:
        draft = await self._own_draft(draft_id, user_id)
        async with self._sessions.begin() as session:
            await QuestionRepository(session).update_draft(draft_id, relay=not draft.relay)
        return await self._own_draft(draft_id, user_id)

    async def cancel_draft(self, draft_id: int, user_id: int) -> None:
        await self._own_draft(draft_id, user_id)
        async with self._sessions.begin() as session:
            await QuestionRepository(session).delete_draft(draft_id)

    async def submit_draft(self, draft_id: int, user_id: int, *, hold: bool, lang: Lang) -> Submitted:
        draft = await self._own_draft(draft_id, user_id)
        if draft.guild_id is None:
            raise UserError("questions.intake.choose_guild")
        return await self._submit(
            draft.guild_id, user_id, draft.text, hold=hold, relay=draft.relay, lang=lang, draft_id=draft_id
        )

    async def submit_direct(
        self, guild_id: int, user_id: int, text: str, *, hold: bool, relay: bool, lang: Lang
    ) -> Submitted:
        if not await self.accepting_guilds([guild_id]):
            raise UserError("questions.error.no_review_channel")
        return await self._submit(
            guild_id, user_id, check_text(text, self._policy.max_length), hold=hold, relay=relay, lang=lang
        )

    async def is_asker(self, question_id: int, user_id: int) -> bool:
        """For a private hint to the presser only (their Answer modal); nothing public may use it."""
        return await self._asked(await self._context.question(question_id), user_id)

    async def follow_up(self, question_id: int, user_id: int, text: str, lang: Lang = "en") -> Submitted:
        """The asker's anonymous addition, reviewed like a question wherever questions are."""
        question = await self._context.question(question_id)
        if not await self._asked(question, user_id):
            raise UserError("questions.error.not_the_asker")
        if question.thread_id is None:
            raise UserError("questions.error.no_thread")
        body = check_text(text, self._policy.max_length)
        return await self._submit(
            question.guild_id, user_id, body, hold=False, relay=question.relay, lang=lang, follows=question
        )

    async def _submit(
        self,
        guild_id: int,
        user_id: int,
        text: str,
        *,
        hold: bool,
        relay: bool,
        lang: Lang,
        draft_id: int | None = None,
        follows: Question | None = None,
    ) -> Submitted:
        pseudonym = self._privacy.pseudonym(guild_id, user_id)
        now = self._clock.now()
        async with self._sessions.begin() as session:
            repo = QuestionRepository(session)
            if draft_id is not None and not await repo.delete_draft(draft_id):
                raise UserError("questions.intake.draft_gone")  # already submitted by a double click
            if await repo.is_blocked(guild_id, pseudonym):
                return Submitted(number=None, held=False)
            await self._settings.ensure_in(session, guild_id)
            alias = await repo.alias(guild_id, pseudonym)
            if alias is None:
                alias = new_alias()
                await repo.add_alias(guild_id, pseudonym, alias)
            check_rate(
                await repo.count_since(guild_id, alias, now - timedelta(hours=1)), self._policy.rate_per_hour
            )
            number = await repo.next_number(guild_id)
            wait = random_delay(*self._policy.delay)
            question_id = await repo.add(
                guild_id,
                number,
                text,
                alias,
                urgent=is_urgent(text, self._policy.urgent_words),
                hold=hold,
                lang=lang,
                now=now,
                deliver_after=now + wait,
                follows_id=follows.id if follows else None,
            )
            if relay:
                await repo.set_relay(
                    question_id, self._privacy.seal(user_id, question_id), now + self._policy.retention
                )
        return Submitted(
            number=number,
            held=hold,
            question_id=question_id,
            delayed=wait > timedelta(0),
            follow_up=bool(follows),
        )

    async def _asked(self, question: Question, user_id: int) -> bool:
        anchor = self._privacy.pseudonym(question.guild_id, user_id)
        async with self._sessions() as session:
            alias = await QuestionRepository(session).alias(question.guild_id, anchor)
        return alias == question.pseudonym

    async def _own_draft(self, draft_id: int, user_id: int) -> Draft:
        async with self._sessions() as session:
            draft = await QuestionRepository(session).draft(
                draft_id, lambda tag: self._privacy.owns(tag, user_id)
            )
        if draft is None:
            raise UserError("questions.intake.draft_gone")
        return draft

"""Anonymous questions: intake, review, publishing, answers relayed back, follow-ups, forgetting.

Identity rule: a Discord user id enters these methods as an argument and leaves only as an HMAC
pseudonym (keying blocks and the asker's random alias), a salted per-draft tag, or an AES-GCM sealed
relay target. It is never stored, logged or rendered. A question is committed before the asker is
told it was received; every later step (review card, publication, thread) waits for the question's
random delay, is recorded once done and is redone by `deliver_pending` after a crash, with
deterministic nonces so Discord drops a repeat. Public buttons behave the same for everyone: nothing
anyone else sees depends on whether the presser asked the question or is blocked.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.questions import (
    OPEN_STATUSES,
    Draft,
    Forgotten,
    Question,
    QuestionStatus,
    check_rate,
    check_text,
    is_urgent,
    random_delay,
)
from bot.domain.settings import ChannelPurpose
from bot.domain.shards import every_guild
from bot.errors import UserError
from bot.i18n import Lang
from bot.services.ports import Card, DeliveryError, QuestionDesk, Timers
from bot.services.privacy import Privacy, is_forgotten, new_alias, normalize_code, short_code
from bot.services.question_delivery import QuestionDelivery
from bot.services.question_forgetting import QuestionForgetting
from bot.services.question_text import QuestionText
from bot.services.settings import SettingsService
from db.repositories.questions import QuestionRepository, add_draft

log = logging.getLogger(__name__)
DRAFT_LIFETIME = timedelta(days=2)


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
class Submitted:
    """What the asker is told. `number` is None for a blocked asker (who gets a neutral answer)."""

    number: int | None
    held: bool
    question_id: int | None = None
    delayed: bool = False  # the random delay applies: the asker is told it is deliberate
    follow_up: bool = False


@dataclass(frozen=True)
class Stats:
    total: int
    by_status: dict[str, int]
    answers: int
    blocked: int


class QuestionService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        privacy: Privacy,
        policy: QuestionPolicy,
        settings: SettingsService,
        desk: QuestionDesk,
        text: QuestionText,
        timers: Timers | None = None,
        owns: Callable[[int], bool] = every_guild,
    ) -> None:
        self._sessions = sessions
        # This process's guilds (bot/domain/shards.py). A question submitted by DM (shard 0's process) for
        # another process's guild is left to that process, whose deliver_pending timer picks it up: one
        # process per guild delivers, so two never race to post the same card.
        self._owns = owns
        self._clock = clock
        self._privacy = privacy
        self._policy = policy
        self._settings = settings
        self._desk = desk
        self._text = text
        self._timers = timers
        self._delivery = QuestionDelivery(
            sessions, clock, privacy, settings, desk, text, policy.relay_retries
        )
        self._forgetting = QuestionForgetting(sessions, privacy, self._delivery)

    @property
    def text(self) -> QuestionText:
        """What the questions cog replies with."""
        return self._text

    # --- intake ---------------------------------------------------------------------------------
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
        draft = await add_draft(
            self._sessions, self._privacy.owner_tag(user_id), cleaned, guild, self._clock.now()
        )
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

    async def _own_draft(self, draft_id: int, user_id: int) -> Draft:
        async with self._sessions() as session:
            draft = await QuestionRepository(session).draft(
                draft_id, lambda tag: self._privacy.owns(tag, user_id)
            )
        if draft is None:
            raise UserError("questions.intake.draft_gone")
        return draft

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
        question = await self._get(question_id)
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
        question = await self._get(question_id)
        await self._decide(question, approve=True)
        return await self._get(question_id)

    async def reject(self, question_id: int, reason: str) -> Question:
        question = await self._decide(await self._get(question_id), approve=False)
        await self._delivery.relay(
            question, self._text.rejected_dm(question, reason.strip()[:1000], _lang(question))
        )
        return question

    async def block(self, question_id: int) -> tuple[Question, str | None]:
        """Blocks the asker under their stable pseudonym; the code is None when the asker used
        forget-me before review (then the question is only rejected: nothing links it to anyone)."""
        question = await self._get(question_id)
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
        question = await self._get(question_id)
        async with self._sessions.begin() as session:
            await QuestionRepository(session).update(question_id, urgent=not question.urgent)
        await self._delivery.refresh_review_card(question_id)
        return await self._get(question_id)

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
        decided = await self._get(question.id)
        if decided.status is QuestionStatus.PUBLISHED:
            await self._delivery.publish(decided)
        return await self._get(question.id)

    # --- answers ---------------------------------------------------------------------------------
    async def answer(self, question_id: int, text: str, signature: str | None) -> None:
        """Posts a signed answer in the question's thread. The same for every presser: whether they
        asked the question or are blocked changes nothing (their anonymous path is the follow-up)."""
        question = await self._get(question_id)
        answer = check_text(text, self._policy.max_length)
        if question.thread_id is None:
            raise UserError("questions.error.no_thread")
        settings = await self._settings.get(question.guild_id)
        await self._desk.post_card(
            question.thread_id, self._text.answer_post(answer, signature, settings.language)
        )
        async with self._sessions.begin() as session:
            await QuestionRepository(session).count_answer(question_id)

    async def relay_answer(self, question_id: int, text: str) -> None:
        """After the answerer was told: the answer by DM if the asker asked for it. Failures are
        retried, then dropped without a trace anyone else could see."""
        question = await self._get(question_id)
        answer = check_text(text, self._policy.max_length)
        await self._delivery.relay(question, self._text.answer_dm(question, answer, _lang(question)))

    async def is_asker(self, question_id: int, user_id: int) -> bool:
        """For a private hint to the presser only (their Answer modal); nothing public may use it."""
        return await self._asked(await self._get(question_id), user_id)

    async def _asked(self, question: Question, user_id: int) -> bool:
        anchor = self._privacy.pseudonym(question.guild_id, user_id)
        async with self._sessions() as session:
            alias = await QuestionRepository(session).alias(question.guild_id, anchor)
        return alias == question.pseudonym

    async def follow_up(self, question_id: int, user_id: int, text: str, lang: Lang = "en") -> Submitted:
        """The asker's anonymous addition, reviewed like a question wherever questions are."""
        question = await self._get(question_id)
        if not await self._asked(question, user_id):
            raise UserError("questions.error.not_the_asker")
        if question.thread_id is None:
            raise UserError("questions.error.no_thread")
        body = check_text(text, self._policy.max_length)
        return await self._submit(
            question.guild_id, user_id, body, hold=False, relay=question.relay, lang=lang, follows=question
        )

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

    # --- forgetting ------------------------------------------------------------------------------
    async def forget(self, user_id: int) -> Forgotten:
        """Forget-me for questions: see QuestionForgetting.forget. Other features' forget-me calls this."""
        return await self._forgetting.forget(user_id)

    async def purge_expired(self) -> int:
        async with self._sessions.begin() as session:
            repo = QuestionRepository(session)
            await repo.delete_drafts_before(self._clock.now() - DRAFT_LIFETIME)
            purged = await repo.purge_relays(self._clock.now())
        async with self._sessions() as session:
            await QuestionRepository(session).scrub_files()
        return purged

    @property
    def max_length(self) -> int:
        return self._policy.max_length

    def preview(self, question: Question) -> str:
        return self._text.preview(question)

    async def get(self, question_id: int) -> Question:
        return await self._get(question_id)

    async def _get(self, question_id: int) -> Question:
        async with self._sessions() as session:
            question = await QuestionRepository(session).get(question_id)
        if question is None:
            raise UserError("questions.error.unknown_question")
        return question


def _lang(question: Question) -> Lang:
    return "fr" if question.lang == "fr" else "en"

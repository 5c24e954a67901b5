"""A hand-written fake of the QuestionDesk port and a harness of the questions services on a real database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.domain.questions import Question
from bot.domain.settings import ChannelPurpose
from bot.errors import UserError
from bot.i18n import Catalog, Lang
from bot.services.ports import Card, DeliveryError
from bot.services.privacy import Privacy
from bot.services.question_context import QuestionContext, QuestionPolicy
from bot.services.question_intake import Submitted
from bot.services.question_text import QuestionText, Support
from bot.services.questions import Questions
from bot.services.settings import SettingsService

GUILD = 123456789012345678
OTHER_GUILD = 223456789012345678
QUESTIONS_CHANNEL = 311111111111111111
REVIEW_CHANNEL = 322222222222222222
OTHER_QUESTIONS_CHANNEL = 411111111111111111
OTHER_REVIEW_CHANNEL = 422222222222222222
CHANNELS = {
    GUILD: (QUESTIONS_CHANNEL, REVIEW_CHANNEL),
    OTHER_GUILD: (OTHER_QUESTIONS_CHANNEL, OTHER_REVIEW_CHANNEL),
}
ASKER = 1234567890123456789
OTHER_USER = 987654321098765432
FACILITATOR = 555555555555555555
T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
PSEUDONYM_KEY = b"p" * 48
RELAY_KEY = bytes(range(32))
SUPPORT = Support(en="Emergency: call 911.", fr="Urgence : composez le 911.")
QUESTION = "Where can I get my drugs checked near Montreal?"
ANSWER = "Most pharmacies in the area carry naloxone kits for free."


def make_privacy(pseudonym_key: bytes = PSEUDONYM_KEY, relay_key: bytes = RELAY_KEY) -> Privacy:
    return Privacy(pseudonym_key, relay_key)


@dataclass(frozen=True)
class DeskCall:
    """One call on the desk. `kind` is post, edit, thread or dm; `target` a channel or a user id."""

    kind: str
    target: int
    card: Card | None = None
    nonce: str | None = None
    message_id: int | None = None  # for post: the id returned; for edit/thread: the message
    name: str = ""
    result: int | bool | None = None  # None when the call raised DeliveryError


class FakeQuestionDesk:
    """Records every call and returns increasing ids.

    Like Discord with `enforce_nonce`, a post repeating a nonce returns the first message's id.
    `fail[kind] = n` makes the next n calls of that kind raise DeliveryError (`post_lost`: the post is
    made, then the call raises, as when the answer is lost); user ids in `closed_dms`
    do not accept DMs (send_dm returns False); `before_post` runs at the start of every post_card."""

    def __init__(self) -> None:
        self.calls: list[DeskCall] = []
        self.fail: dict[str, int] = {}
        self.closed_dms: set[int] = set()
        self.before_post: Callable[[int, Card], Awaitable[None]] | None = None
        self._next_id = 900_000_000_000_000_000
        self._by_nonce: dict[str, int] = {}

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _failing(self, kind: str) -> bool:
        if self.fail.get(kind, 0) > 0:
            self.fail[kind] -= 1
            return True
        return False

    async def find_card(self, channel_id: int, card: Card) -> int | None:
        """Like reading the channel: a post of this card that reached it (repeats included)."""
        return next(
            (c.result for c in self.calls if c.kind == "post" and c.target == channel_id and c.card == card
             and isinstance(c.result, int) and not isinstance(c.result, bool)),
            None,
        )  # fmt: skip

    async def post_card(self, channel_id: int, card: Card, nonce: str | None = None) -> int:
        if self.before_post is not None:
            await self.before_post(channel_id, card)
        if self._failing("post"):
            self.calls.append(DeskCall("post", channel_id, card, nonce))
            raise DeliveryError("DiscordServerError status=503 code=0")
        if self._failing("post_lost"):  # Discord made the message; the answer never came back
            lost = self._new_id()
            self.calls.append(DeskCall("post", channel_id, card, nonce, lost, result=lost))
            raise DeliveryError("ClientConnectionError")
        message_id = self._by_nonce.get(nonce) if nonce else None
        if message_id is None:
            message_id = self._new_id()
            if nonce:
                self._by_nonce[nonce] = message_id
        self.calls.append(DeskCall("post", channel_id, card, nonce, message_id, result=message_id))
        return message_id

    async def edit_card(self, channel_id: int, message_id: int, card: Card) -> None:
        if self._failing("edit"):
            self.calls.append(DeskCall("edit", channel_id, card, message_id=message_id))
            raise DeliveryError("DiscordServerError status=503 code=0")
        self.calls.append(DeskCall("edit", channel_id, card, message_id=message_id, result=message_id))

    async def start_thread(self, channel_id: int, message_id: int, name: str) -> int:
        if self._failing("thread"):
            self.calls.append(DeskCall("thread", channel_id, message_id=message_id, name=name))
            raise DeliveryError("DiscordServerError status=503 code=0")
        thread_id = self._new_id()
        self.calls.append(DeskCall("thread", channel_id, message_id=message_id, name=name, result=thread_id))
        return thread_id

    async def send_dm(self, user_id: int, card: Card) -> bool:
        if self._failing("dm"):
            self.calls.append(DeskCall("dm", user_id, card))
            raise DeliveryError("Forbidden status=403 code=50007")
        accepted = user_id not in self.closed_dms
        self.calls.append(DeskCall("dm", user_id, card, result=accepted))
        return accepted

    # --- what happened ---------------------------------------------------------------------------
    def of(self, kind: str, target: int | None = None) -> list[DeskCall]:
        return [c for c in self.calls if c.kind == kind and (target is None or c.target == target)]

    def posts(self, channel_id: int | None = None) -> list[DeskCall]:
        return self.of("post", channel_id)

    def threads(self) -> list[DeskCall]:
        return [c for c in self.of("thread") if c.result is not None]

    def dms(self, user_id: int | None = None) -> list[DeskCall]:
        return self.of("dm", user_id)

    def delivered_posts(self, channel_id: int | None = None) -> set[int]:
        """Distinct messages that exist (repeats with the same nonce are one message)."""
        return {c.message_id for c in self.posts(channel_id) if c.message_id is not None}


def interleave(monkeypatch: pytest.MonkeyPatch, owner: type, method: str, parties: int = 2) -> None:
    """The first `parties` calls of `owner`.`method` each wait, after reading, until all have
    read: the interleaving two clicks (or two reviewers) at the same moment produce."""
    barrier = asyncio.Barrier(parties)
    original = getattr(owner, method)
    calls = 0

    async def gated(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        result = await original(self, *args, **kwargs)
        calls += 1
        if calls <= parties:
            await asyncio.wait_for(barrier.wait(), timeout=5)
        return result

    monkeypatch.setattr(owner, method, gated)


async def user_error(awaitable: Awaitable[Any], key: str) -> UserError:
    """Awaits, expecting a UserError with this key; returns it for checking its params."""
    with pytest.raises(UserError) as raised:
        await awaitable
    assert raised.value.key == key
    return raised.value


def card_text(card: Card | None) -> str:
    if card is None:
        return ""
    parts = [card.content]
    for embed in card.embeds:
        parts += [embed.title, embed.description]
    parts += [action.label for action in card.actions]
    return "\n".join(parts)


class FakeTimers:
    """Remembers what would fire when; `fire_due(now)` runs what is due, as the scheduler would."""

    def __init__(self) -> None:
        self.jobs: dict[str, tuple[datetime, Callable[..., Awaitable[Any]], tuple[Any, ...]]] = {}

    def at(self, job_id: str, when: datetime, func: Callable[..., Awaitable[Any]], *args: Any) -> None:
        self.jobs[job_id] = (when, func, args)

    def cancel(self, job_id: str) -> None:
        self.jobs.pop(job_id, None)

    async def fire_due(self, now: datetime) -> int:
        due = [job_id for job_id, (when, _, _) in self.jobs.items() if when <= now]
        for job_id in due:
            _, func, args = self.jobs.pop(job_id)
            await func(*args)
        return len(due)


class QuestionHarness:
    """The questions services on a real database, a fixed clock, test keys and a fake desk."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], policy: QuestionPolicy | None = None
    ) -> None:
        self.sessions = sessions
        self.clock = FixedClock(T0)
        self.desk = FakeQuestionDesk()
        self.privacy = make_privacy()
        self.settings = SettingsService(sessions, self.clock, "both")
        self.timers = FakeTimers()
        self.service = self.with_policy(policy or QuestionPolicy())

    def with_policy(self, policy: QuestionPolicy) -> Questions:
        """Another service on the same database, clock and desk, with other limits."""
        text = QuestionText(Catalog.load(), SUPPORT, policy.retention.days)
        policy = replace(policy, relay_retries=tuple(0.0 for _ in policy.relay_retries))  # no real waits
        return Questions(
            QuestionContext(self.sessions, self.clock, self.privacy, policy, self.settings, self.desk, text),
            self.timers,
        )

    async def setup_guild(self, guild_id: int = GUILD) -> None:
        questions, review = CHANNELS[guild_id]
        await self.settings.bootstrap(
            guild_id,
            {ChannelPurpose.QUESTIONS: questions, ChannelPurpose.QUESTION_REVIEW: review},
            {},
            language="en",
        )

    async def ask(
        self,
        text: str = QUESTION,
        *,
        user: int = ASKER,
        guild: int = GUILD,
        relay: bool = True,
        hold: bool = False,
        lang: Lang = "en",
    ) -> Submitted:
        return await self.service.intake.submit_direct(guild, user, text, hold=hold, relay=relay, lang=lang)

    async def submitted(self, text: str = QUESTION, **kwargs: object) -> Question:
        """Asked and delivered (review card posted): the question as a reviewer sees it."""
        submitted = await self.ask(text, **kwargs)  # type: ignore[arg-type]
        assert submitted.question_id is not None
        await self.service.review.deliver(submitted.question_id)
        return await self.service.question(submitted.question_id)

    async def published(self, text: str = QUESTION, **kwargs: object) -> Question:
        """Asked, delivered and approved: published in #questions with its thread."""
        question = await self.submitted(text, **kwargs)
        return await self.service.review.approve(question.id)

    async def answer(
        self,
        question_id: int,
        text: str,
        signature: str | None = None,
        service: Questions | None = None,
    ) -> bool:
        """What the cog does: post the answer, acknowledge, then relay; True when a DM was accepted."""
        service = service or self.service
        before = sum(1 for call in self.desk.dms() if call.result is True)
        await service.answers.answer(question_id, text, signature)
        await service.answers.relay_answer(question_id, text)
        return sum(1 for call in self.desk.dms() if call.result is True) > before

    async def follow_up(self, question_id: int, text: str, user: int = ASKER) -> Submitted:
        """The asker's follow-up, submitted and delivered (to review, or to the thread without review)."""
        submitted = await self.service.intake.follow_up(question_id, user, text)
        if submitted.question_id is not None:
            await self.service.review.deliver(submitted.question_id)
        return submitted

    async def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of a table, read with raw SQL in a fresh session (so: what was committed)."""
        async with self.sessions() as session:
            result = await session.execute(text(f"SELECT * FROM {table}"))
            return [dict(row) for row in result.mappings()]

    async def question_rows(self) -> list[dict[str, Any]]:
        return sorted(await self.rows("questions"), key=lambda row: row["id"])

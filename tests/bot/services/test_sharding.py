"""Sharded (bot/domain/shards.py): each process starts and delivers the work of its own guilds only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.shards import Shards
from bot.i18n import Catalog
from bot.services.dropin import DropinService
from bot.services.dropin_reconciler import DropinReconciler
from bot.services.groups import WorkingGroups
from bot.services.question_context import QuestionContext, QuestionPolicy
from bot.services.question_text import QuestionText
from bot.services.questions import Questions
from tests.bot.services.dropin_fakes import DEFAULTS, GUILD, OTHER_GUILD, FakeTimers, Harness
from tests.bot.services.groups_fakes import GUILD as GROUPS_GUILD
from tests.bot.services.groups_fakes import OTHER_GUILD as OTHER_GROUPS_GUILD
from tests.bot.services.groups_fakes import GroupHarness
from tests.bot.services.question_fakes import GUILD as QUESTIONS_GUILD
from tests.bot.services.question_fakes import REVIEW_CHANNEL, SUPPORT, QuestionHarness

# Four shards: the fakes' GUILD is on shard 0 and OTHER_GUILD on shard 2 ((guild_id >> 22) % 4).
ON_SHARD_0, ON_SHARD_2 = Shards(4, (0,)), Shards(4, (2,))


def dropin_process(harness: Harness, shards: Shards, timers: FakeTimers) -> DropinService:
    reconciler = DropinReconciler(
        harness.sessions,
        harness.clock,
        harness.text,
        harness.settings,
        harness.announcer,
        harness.events,
        timers,
        owns=shards.owns,
    )
    return DropinService(harness.sessions, harness.clock, harness.settings, DEFAULTS, reconciler)


def question_process(harness: QuestionHarness, shards: Shards) -> Questions:
    policy = QuestionPolicy(relay_retries=())
    text = QuestionText(Catalog.load(), SUPPORT, policy.retention.days)
    return Questions(
        QuestionContext(
            harness.sessions, harness.clock, harness.privacy, policy, harness.settings, harness.desk, text
        ),
        harness.timers,
        owns=shards.owns,
    )


def shard_of(guild_id: int) -> Shards:
    return {0: ON_SHARD_0, 2: ON_SHARD_2}[(guild_id >> 22) % 4]


def other(shards: Shards) -> Shards:
    return ON_SHARD_2 if shards is ON_SHARD_0 else ON_SHARD_0


async def test_a_process_starts_the_drop_in_timers_of_its_own_guilds_only(dropin: Harness) -> None:
    assert shard_of(GUILD) is not shard_of(OTHER_GUILD)
    await dropin.configure(GUILD)
    await dropin.configure(OTHER_GUILD)
    timers = FakeTimers()

    await dropin_process(dropin, shard_of(GUILD), timers).start_all()

    assert {call.args for call in timers.calls} == {(GUILD,)}


async def test_a_question_for_another_processs_guild_is_left_to_that_process(
    questions: QuestionHarness,
) -> None:
    submitted = await questions.ask()
    assert submitted.question_id is not None

    await question_process(questions, other(shard_of(QUESTIONS_GUILD))).review.deliver(submitted.question_id)

    assert [c for c in questions.desk.calls if c.kind == "post"] == []


async def test_only_the_guilds_own_process_picks_up_its_waiting_questions(questions: QuestionHarness) -> None:
    await questions.ask()
    owner = question_process(questions, shard_of(QUESTIONS_GUILD))
    stranger = question_process(questions, other(shard_of(QUESTIONS_GUILD)))

    await stranger.review.deliver_pending()
    assert [c for c in questions.desk.calls if c.kind == "post"] == []

    await owner.review.deliver_pending()
    await owner.review.deliver_pending()
    assert [c.target for c in questions.desk.calls if c.kind == "post"] == [REVIEW_CHANNEL]


@pytest.fixture
async def wg(sessions: async_sessionmaker[AsyncSession]) -> GroupHarness:
    harness = GroupHarness(sessions)
    await harness.setup_guild()
    return harness


async def test_the_weekly_group_check_covers_the_processs_own_guilds_only(wg: GroupHarness) -> None:
    await wg.setup_guild(OTHER_GROUPS_GUILD)
    await wg.create("Peer Support")
    await wg.create("Policy", guild_id=OTHER_GROUPS_GUILD)
    wg.clock.advance(timedelta(days=100))
    owns = shard_of(GROUPS_GUILD).owns
    process = WorkingGroups(wg.context, owns=owns)

    await process.lifecycle.check_all_inactive()

    reports = (len(wg.facilitator_reports(GROUPS_GUILD)), len(wg.facilitator_reports(OTHER_GROUPS_GUILD)))
    assert reports == (1, 0)

"""db/repositories/questions.py: numbering, statuses, blocks, relays, drafts, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.questions import QuestionStatus
from db.repositories.questions import DraftInserts, QuestionRepository
from db.repositories.settings import SettingsRepository
from tests.bot.services.question_fakes import GUILD as SERVICE_GUILD
from tests.bot.services.question_fakes import QuestionHarness

GUILD = 123456789012345678
OTHER_GUILD = 223456789012345678
MAX_SNOWFLAKE = 2**63 - 1
T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
PSEUDONYM = "2619ed82aa55bb66"
OTHER_PSEUDONYM = "2619ffff00001111"  # shares a 4-character prefix
THIRD_PSEUDONYM = "f536ef8b12345678"
CONCURRENT = 50


@pytest.fixture
async def repo_sessions(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> async_sessionmaker[AsyncSession]:
    """Sessions on a database where both test guilds have their settings row (foreign keys)."""
    async with migrated_sessions.begin() as session:
        for guild_id in (GUILD, OTHER_GUILD):
            await SettingsRepository(session).ensure(guild_id, "both", T0)
    return migrated_sessions


async def add_question(
    sessions: async_sessionmaker[AsyncSession],
    *,
    guild_id: int = GUILD,
    pseudonym: str = PSEUDONYM,
    now: datetime = T0,
    **values: object,
) -> int:
    """A numbered question, with any column then set through `update`."""
    async with sessions.begin() as session:
        repo = QuestionRepository(session)
        number = await repo.next_number(guild_id)
        question_id = await repo.add(
            guild_id, number, f"question {number}", pseudonym, urgent=False, hold=False, lang="en", now=now
        )
        if values:
            await repo.update(question_id, **values)
    return question_id


async def block(sessions: async_sessionmaker[AsyncSession], pseudonym: str, guild_id: int = GUILD) -> None:
    async with sessions.begin() as session:
        await QuestionRepository(session).block(guild_id, pseudonym, pseudonym[:8], T0)


async def blocked(sessions: async_sessionmaker[AsyncSession], pseudonym: str, guild_id: int = GUILD) -> bool:
    async with sessions() as session:
        return await QuestionRepository(session).is_blocked(guild_id, pseudonym)


# --- numbering ----------------------------------------------------------------------------------------


async def test_next_number_counts_from_one(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    numbers = []
    for _ in range(3):
        async with repo_sessions.begin() as session:
            numbers.append(await QuestionRepository(session).next_number(GUILD))

    assert numbers == [1, 2, 3]


async def test_next_number_is_separate_per_guild(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    numbers = []
    for guild_id in (GUILD, OTHER_GUILD, GUILD, OTHER_GUILD, OTHER_GUILD):
        async with repo_sessions.begin() as session:
            numbers.append(await QuestionRepository(session).next_number(guild_id))

    assert numbers == [1, 1, 2, 2, 3]


async def test_a_rolled_back_transaction_does_not_use_up_a_number(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_question(repo_sessions)
    with pytest.raises(RuntimeError):
        async with repo_sessions.begin() as session:
            await QuestionRepository(session).next_number(GUILD)
            raise RuntimeError("rolled back")

    async with repo_sessions.begin() as session:
        assert await QuestionRepository(session).next_number(GUILD) == 2


async def test_next_number_is_gap_free_and_unique_under_concurrent_transactions(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    ids = await asyncio.gather(*(add_question(repo_sessions) for _ in range(CONCURRENT)))

    async with repo_sessions() as session:
        repo = QuestionRepository(session)
        numbers = sorted([(await repo.get(i)).number for i in ids])  # type: ignore[union-attr]
    assert numbers == list(range(1, CONCURRENT + 1))


async def test_50_concurrent_submissions_are_all_stored_numbered_1_to_50(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    harness = QuestionHarness(migrated_sessions)
    await harness.setup_guild(SERVICE_GUILD)

    submitted = await asyncio.gather(
        *(harness.ask(f"question from asker {user}", user=10_000 + user) for user in range(CONCURRENT))
    )

    assert sorted(s.number or 0 for s in submitted) == list(range(1, CONCURRENT + 1))
    rows = await harness.question_rows()
    assert sorted(row["number"] for row in rows) == list(range(1, CONCURRENT + 1))
    assert {row["id"] for row in rows} == {s.question_id for s in submitted}
    assert len({row["pseudonym"] for row in rows}) == CONCURRENT
    (counter,) = await harness.rows("question_counters")
    assert counter["last_number"] == CONCURRENT


# --- questions -----------------------------------------------------------------------------------------


async def test_add_then_get_returns_the_question(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    question_id = await add_question(repo_sessions)

    async with repo_sessions() as session:
        question = await QuestionRepository(session).get(question_id)

    assert question is not None
    assert (question.guild_id, question.number, question.text, question.pseudonym) == (
        GUILD,
        1,
        "question 1",
        PSEUDONYM,
    )
    assert (question.status, question.urgent, question.hold, question.relay) == (
        QuestionStatus.PENDING,
        False,
        False,
        False,
    )
    assert question.created_at == T0
    assert question.created_at.tzinfo is not None


async def test_get_of_an_unknown_id_is_none(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with repo_sessions() as session:
        assert await QuestionRepository(session).get(999) is None


async def test_message_ids_up_to_the_largest_snowflake_round_trip(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    question_id = await add_question(
        repo_sessions,
        review_message_id=MAX_SNOWFLAKE,
        published_message_id=MAX_SNOWFLAKE - 1,
        thread_id=MAX_SNOWFLAKE - 2,
    )

    async with repo_sessions() as session:
        question = await QuestionRepository(session).get(question_id)

    assert question is not None
    assert (question.review_message_id, question.published_message_id, question.thread_id) == (
        MAX_SNOWFLAKE,
        MAX_SNOWFLAKE - 1,
        MAX_SNOWFLAKE - 2,
    )


async def test_count_since_counts_one_pseudonym_in_one_guild_from_a_time(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_question(repo_sessions, now=T0 - timedelta(hours=2))
    await add_question(repo_sessions, now=T0 - timedelta(minutes=30))
    await add_question(repo_sessions, now=T0)
    await add_question(repo_sessions, pseudonym=OTHER_PSEUDONYM, now=T0)
    await add_question(repo_sessions, guild_id=OTHER_GUILD, now=T0)

    async with repo_sessions() as session:
        count = await QuestionRepository(session).count_since(GUILD, PSEUDONYM, T0 - timedelta(hours=1))

    assert count == 2


async def test_with_status_filters_and_orders_by_number(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    statuses = ["held", "published", "pending", "held", "rejected"]
    ids = [await add_question(repo_sessions, status=status) for status in statuses]
    await add_question(repo_sessions, guild_id=OTHER_GUILD, status="held")

    async with repo_sessions() as session:
        found = await QuestionRepository(session).with_status(
            GUILD, (QuestionStatus.PENDING, QuestionStatus.HELD)
        )

    assert [q.id for q in found] == [ids[0], ids[2], ids[3]]


async def test_count_answer_adds_one_each_time(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    question_id = await add_question(repo_sessions)
    for _ in range(3):
        async with repo_sessions.begin() as session:
            await QuestionRepository(session).count_answer(question_id)

    async with repo_sessions() as session:
        _, answers, _ = await QuestionRepository(session).status_counts(GUILD)
    assert answers == 3


@pytest.mark.parametrize("status", [QuestionStatus.PUBLISHED, QuestionStatus.HELD, QuestionStatus.REJECTED])
async def test_decide_moves_a_pending_question_once(
    repo_sessions: async_sessionmaker[AsyncSession], status: QuestionStatus
) -> None:
    question_id = await add_question(repo_sessions)

    outcomes = []
    for decision in (status, QuestionStatus.BLOCKED):
        async with repo_sessions.begin() as session:
            outcomes.append(await QuestionRepository(session).decide(question_id, decision, T0))

    assert outcomes == [True, False]
    async with repo_sessions() as session:
        assert (await QuestionRepository(session).get(question_id)).status is status  # type: ignore[union-attr]


async def test_delete_draft_says_whether_it_deleted(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    draft = await DraftInserts(repo_sessions).add("tag-a", "text", GUILD, T0)

    outcomes = []
    for _ in range(2):
        async with repo_sessions.begin() as session:
            outcomes.append(await QuestionRepository(session).delete_draft(draft.id))

    assert outcomes == [True, False]


# --- needing delivery -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "needed"),
    [
        ({}, True),
        ({"review_message_id": 11}, False),
        ({"status": "published"}, True),
        ({"status": "published", "published_message_id": 12}, True),
        ({"status": "published", "published_message_id": 12, "thread_id": 13}, False),
        ({"status": "held"}, False),
        ({"status": "rejected"}, False),
        ({"status": "blocked"}, False),
        ({"status": "raised"}, False),
    ],
    ids=[
        "pending",
        "pending-with-card",
        "published-unposted",
        "published-no-thread",
        "published-with-thread",
        "held",
        "rejected",
        "blocked",
        "raised",
    ],
)
async def test_needing_delivery_finds_interrupted_questions(
    repo_sessions: async_sessionmaker[AsyncSession], values: dict[str, Any], needed: bool
) -> None:
    question_id = await add_question(repo_sessions, **values)

    async with repo_sessions() as session:
        found = [q.id for q in await QuestionRepository(session).needing_delivery()]

    assert (question_id in found) is needed


async def test_needing_delivery_spans_guilds(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    ids = {await add_question(repo_sessions, guild_id=g) for g in (GUILD, OTHER_GUILD)}

    async with repo_sessions() as session:
        found = {q.id for q in await QuestionRepository(session).needing_delivery()}

    assert found == ids


# --- status counts --------------------------------------------------------------------------------------------


async def test_status_counts_counts_questions_answers_and_blocks_per_guild(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    for status, answers in [("published", 2), ("published", 1), ("pending", 0), ("rejected", 0)]:
        await add_question(repo_sessions, status=status, answers=answers)
    await add_question(repo_sessions, guild_id=OTHER_GUILD, status="published", answers=7)
    await block(repo_sessions, PSEUDONYM)
    await block(repo_sessions, OTHER_PSEUDONYM)
    await block(repo_sessions, THIRD_PSEUDONYM, guild_id=OTHER_GUILD)

    async with repo_sessions() as session:
        counts, answers, blocks = await QuestionRepository(session).status_counts(GUILD)

    assert dict(counts) == {"published": 2, "pending": 1, "rejected": 1}
    assert (answers, blocks) == (3, 2)


async def test_status_counts_of_an_empty_guild_are_zero(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions() as session:
        counts, answers, blocks = await QuestionRepository(session).status_counts(GUILD)

    assert (dict(counts), answers, blocks) == ({}, 0, 0)


# --- blocks ------------------------------------------------------------------------------------------------------


async def test_block_then_is_blocked(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    await block(repo_sessions, PSEUDONYM)

    assert await blocked(repo_sessions, PSEUDONYM)
    assert not await blocked(repo_sessions, OTHER_PSEUDONYM)
    assert not await blocked(repo_sessions, PSEUDONYM, OTHER_GUILD)


async def test_blocking_twice_is_harmless(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    await block(repo_sessions, PSEUDONYM)
    await block(repo_sessions, PSEUDONYM)

    async with repo_sessions() as session:
        _, _, blocks = await QuestionRepository(session).status_counts(GUILD)
    assert blocks == 1


@pytest.mark.parametrize(
    ("code", "removed", "left"),
    [
        (PSEUDONYM[:8], 1, {OTHER_PSEUDONYM, THIRD_PSEUDONYM}),
        (PSEUDONYM, 0, {PSEUDONYM, OTHER_PSEUDONYM, THIRD_PSEUDONYM}),  # the code, not the pseudonym
        (PSEUDONYM[:4], 0, {PSEUDONYM, OTHER_PSEUDONYM, THIRD_PSEUDONYM}),  # the whole code, not a prefix
        ("", 0, {PSEUDONYM, OTHER_PSEUDONYM, THIRD_PSEUDONYM}),
    ],
)
async def test_unblock_removes_the_blocks_placed_under_that_code(
    repo_sessions: async_sessionmaker[AsyncSession], code: str, removed: int, left: set[str]
) -> None:
    for pseudonym in (PSEUDONYM, OTHER_PSEUDONYM, THIRD_PSEUDONYM):
        await block(repo_sessions, pseudonym)

    async with repo_sessions.begin() as session:
        count = await QuestionRepository(session).unblock(GUILD, code)

    assert count == removed
    assert {
        p for p in (PSEUDONYM, OTHER_PSEUDONYM, THIRD_PSEUDONYM) if await blocked(repo_sessions, p)
    } == left


async def test_unblock_leaves_other_guilds_blocked(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    await block(repo_sessions, PSEUDONYM, OTHER_GUILD)

    async with repo_sessions.begin() as session:
        assert await QuestionRepository(session).unblock(GUILD, PSEUDONYM[:8]) == 0
    assert await blocked(repo_sessions, PSEUDONYM, OTHER_GUILD)


# --- relays ----------------------------------------------------------------------------------------------------------


async def set_relay(sessions: async_sessionmaker[AsyncSession], question_id: int, expires: datetime) -> None:
    async with sessions.begin() as session:
        await QuestionRepository(session).set_relay(question_id, b"\x01sealed\x00bytes", expires)


@pytest.mark.parametrize(
    ("now", "found"),
    [(T0, True), (T0 + timedelta(days=30) - timedelta(seconds=1), True), (T0 + timedelta(days=30), False)],
)
async def test_sealed_relay_is_returned_until_it_expires(
    repo_sessions: async_sessionmaker[AsyncSession], now: datetime, found: bool
) -> None:
    question_id = await add_question(repo_sessions)
    await set_relay(repo_sessions, question_id, T0 + timedelta(days=30))

    async with repo_sessions() as session:
        sealed = await QuestionRepository(session).sealed_relay(question_id, now)

    assert sealed == (b"\x01sealed\x00bytes" if found else None)


async def test_a_question_with_a_relay_reads_as_relay(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    question_id = await add_question(repo_sessions)
    await set_relay(repo_sessions, question_id, T0 + timedelta(days=30))

    async with repo_sessions() as session:
        question = await QuestionRepository(session).get(question_id)
    assert question is not None and question.relay


async def test_purge_relays_clears_expired_ones_and_counts_them(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    expired = await add_question(repo_sessions)
    kept = await add_question(repo_sessions)
    await set_relay(repo_sessions, expired, T0 + timedelta(days=1))
    await set_relay(repo_sessions, kept, T0 + timedelta(days=3))

    async with repo_sessions.begin() as session:
        purged = await QuestionRepository(session).purge_relays(T0 + timedelta(days=2))

    assert purged == 1
    async with repo_sessions() as session:
        repo = QuestionRepository(session)
        assert [(await repo.get(i)).relay for i in (expired, kept)] == [False, True]  # type: ignore[union-attr]


async def test_forget_alias_gives_each_question_a_new_alias_and_drops_its_relay(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    mine = [await add_question(repo_sessions) for _ in range(2)]
    other = await add_question(repo_sessions, pseudonym=OTHER_PSEUDONYM)
    elsewhere = await add_question(repo_sessions, guild_id=OTHER_GUILD)
    for question_id in (*mine, other, elsewhere):
        await set_relay(repo_sessions, question_id, T0 + timedelta(days=30))
    fresh = iter(["-aaaaaaaaaaaaaaa", "-bbbbbbbbbbbbbbb"])

    async with repo_sessions.begin() as session:
        ids, relays = await QuestionRepository(session).forget_alias(GUILD, PSEUDONYM, lambda: next(fresh))

    assert (sorted(ids), relays) == (sorted(mine), 2)
    async with repo_sessions() as session:
        repo = QuestionRepository(session)
        found = [await repo.get(i) for i in (*mine, other, elsewhere)]
    assert [q.relay for q in found if q] == [False, False, True, True]
    assert [q.pseudonym for q in found if q] == [
        "-aaaaaaaaaaaaaaa",
        "-bbbbbbbbbbbbbbb",
        OTHER_PSEUDONYM,
        PSEUDONYM,
    ]


async def test_an_alias_leads_back_to_its_pseudonym_until_deleted(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_question(repo_sessions)  # the guild exists
    async with repo_sessions.begin() as session:
        await QuestionRepository(session).add_alias(GUILD, PSEUDONYM, "0123456789abcdef")
    async with repo_sessions.begin() as session:
        repo = QuestionRepository(session)
        assert await repo.alias(GUILD, PSEUDONYM) == "0123456789abcdef"
        assert await repo.pseudonym_of(GUILD, "0123456789abcdef") == PSEUDONYM
        assert await repo.pseudonym_of(OTHER_GUILD, "0123456789abcdef") is None
        await repo.delete_alias(GUILD, PSEUDONYM)
    async with repo_sessions() as session:
        assert await QuestionRepository(session).alias(GUILD, PSEUDONYM) is None


# --- drafts ----------------------------------------------------------------------------------------------------------


async def test_a_draft_is_found_only_when_its_owner_tag_is_accepted(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    draft = await DraftInserts(repo_sessions).add("tag-a", "text", GUILD, T0)

    async with repo_sessions() as session:
        repo = QuestionRepository(session)
        assert await repo.draft(draft.id, "tag-a".__eq__) == draft
        assert await repo.draft(draft.id, "tag-b".__eq__) is None
        assert await repo.draft(draft.id + 1, "tag-a".__eq__) is None


async def test_drafts_written_together_each_get_the_id_of_their_own_row(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    inserts = DraftInserts(repo_sessions)
    drafts = await asyncio.gather(
        *(inserts.add(f"tag-{i}", f"text {i}", GUILD if i % 2 else None, T0) for i in range(CONCURRENT))
    )

    assert len({draft.id for draft in drafts}) == CONCURRENT
    async with repo_sessions() as session:
        repo = QuestionRepository(session)
        for i, draft in enumerate(drafts):
            assert await repo.draft(draft.id, f"tag-{i}".__eq__) == draft
            assert (draft.text, draft.guild_id) == (f"text {i}", GUILD if i % 2 else None)


async def test_delete_drafts_of_counts_what_it_deleted(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    for tag in ("tag-a", "tag-a", "tag-b"):
        await DraftInserts(repo_sessions).add(tag, "text", None, T0)

    async with repo_sessions.begin() as session:
        assert await QuestionRepository(session).delete_drafts_of("tag-a".__eq__) == 2


async def test_delete_drafts_before_keeps_newer_ones(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    old = await DraftInserts(repo_sessions).add("tag-a", "old", None, T0 - timedelta(days=3))
    new = await DraftInserts(repo_sessions).add("tag-a", "new", None, T0)

    async with repo_sessions.begin() as session:
        await QuestionRepository(session).delete_drafts_before(T0 - timedelta(days=2))

    async with repo_sessions() as session:
        repo = QuestionRepository(session)
        assert (await repo.draft(old.id, "tag-a".__eq__), await repo.draft(new.id, "tag-a".__eq__)) == (
            None,
            new,
        )


# --- settings -----------------------------------------------------------------------------------------------------------


async def test_review_is_required_by_default(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with repo_sessions() as session:
        repo = QuestionRepository(session)
        assert await repo.review_required(GUILD) is True
        assert await repo.review_required(999) is True  # never configured


async def test_set_review_required_is_per_guild(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with repo_sessions.begin() as session:
        await QuestionRepository(session).set_review_required(GUILD, False)

    async with repo_sessions() as session:
        repo = QuestionRepository(session)
        assert (await repo.review_required(GUILD), await repo.review_required(OTHER_GUILD)) == (False, True)


async def test_guilds_lists_every_guild_with_settings(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions() as session:
        assert sorted(await QuestionRepository(session).guilds()) == [GUILD, OTHER_GUILD]

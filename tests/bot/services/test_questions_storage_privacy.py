"""After a whole question flow with a known asker, nothing stored, posted or logged holds their id."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.ports import DeliveryError
from db.models import Base
from tests.bot.services.question_fakes import (
    ASKER,
    FACILITATOR,
    GUILD,
    OTHER_GUILD,
    QuestionHarness,
    card_text,
)

ASKER_TEXT = str(ASKER)
ASKER_NAME = "Alex Asker"  # what the asker's own signature would have shown
QUESTION_TABLES = ["question_drafts", "questions", "question_blocks", "question_counters", "question_aliases"]


@pytest.fixture
async def flowed(
    migrated_sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> QuestionHarness:
    """Every step an asker can go through, in two guilds, including failed deliveries."""
    caplog.set_level(logging.DEBUG)
    harness = QuestionHarness(migrated_sessions)
    await harness.setup_guild(GUILD)
    await harness.setup_guild(OTHER_GUILD)
    service = harness.service

    # DM → draft → submit → review card (after one failed attempt) → approve → answer → follow-up
    draft, _ = await service.intake.start_draft(ASKER, "Where can I get my drugs checked?", 0, [GUILD])
    submitted = await service.intake.submit_draft(draft.id, ASKER, hold=False, lang="en")
    assert submitted.question_id is not None
    harness.desk.fail["post"] = 1
    await service.review.deliver_pending()
    await service.review.deliver_pending()
    harness.desk.fail["thread"] = 1
    with pytest.raises(DeliveryError):
        await service.review.approve(submitted.question_id)
    await service.review.deliver_pending()
    await harness.answer(submitted.question_id, "At the pharmacy on Main.", "Sam")
    follow_up = await harness.follow_up(submitted.question_id, "Thanks, and on weekends?")
    assert follow_up.question_id is not None
    await service.review.approve(follow_up.question_id)
    harness.desk.fail["dm"] = 3  # every attempt at this one fails: it is dropped
    await harness.answer(submitted.question_id, "Also the drop-in centre.", None)
    await harness.answer(submitted.question_id, "One more from a facilitator", None)

    # /ask → rejected with a reason, relayed
    rejected = await harness.ask("Can I name my dealer here?", lang="fr")
    assert rejected.question_id is not None
    await service.review.deliver(rejected.question_id)
    await service.review.reject(rejected.question_id, "Please don't name people.")

    # another community: held, then the asker is blocked there, and tries again
    held = await harness.ask("For Thursday please", guild=OTHER_GUILD, hold=True)
    assert held.question_id is not None
    await service.review.deliver(held.question_id)
    await service.review.toggle_urgent(held.question_id)
    await service.review.block(held.question_id)
    assert (await harness.ask("again", guild=OTHER_GUILD)).number is None

    # a draft left waiting, its community chosen
    waiting, _ = await service.intake.start_draft(
        ASKER, "Still thinking about this one", 0, [GUILD, OTHER_GUILD]
    )
    await service.intake.choose_guild(waiting.id, ASKER, GUILD)
    await service.intake.toggle_relay(waiting.id, ASKER)
    await service.intake.toggle_relay(waiting.id, ASKER)
    return harness


@pytest.mark.parametrize("table", QUESTION_TABLES)
async def test_no_column_of_a_question_table_holds_the_askers_id(flowed: QuestionHarness, table: str) -> None:
    rows = await flowed.rows(table)

    assert rows, f"the flow should leave rows in {table}"
    for row in rows:
        assert ASKER_TEXT not in str(list(row.values()))
        assert ASKER not in row.values()


async def test_no_table_at_all_holds_the_askers_id(flowed: QuestionHarness) -> None:
    for table in Base.metadata.sorted_tables:
        for row in await flowed.rows(table.name):
            assert ASKER_TEXT not in str(list(row.values())), table.name


async def test_questions_carry_the_askers_alias_and_blocks_the_hmac(flowed: QuestionHarness) -> None:
    aliases = {
        (row["guild_id"], row["pseudonym"]): row["alias"] for row in await flowed.rows("question_aliases")
    }
    hmacs = {guild: flowed.privacy.pseudonym(guild, ASKER) for guild in (GUILD, OTHER_GUILD)}

    assert {row["pseudonym"] for row in await flowed.rows("questions")} == set(aliases.values())
    assert set(aliases) == {(guild, hmac) for guild, hmac in hmacs.items()}
    assert not set(aliases.values()) & set(hmacs.values())
    assert [row["pseudonym"] for row in await flowed.rows("question_blocks")] == [hmacs[OTHER_GUILD]]


async def test_the_draft_is_stored_under_a_tag_only_its_owner_matches(flowed: QuestionHarness) -> None:
    (draft,) = await flowed.rows("question_drafts")

    assert flowed.privacy.owns(draft["owner_tag"], ASKER)
    assert not flowed.privacy.owns(draft["owner_tag"], FACILITATOR)


async def test_the_sealed_relay_bytes_do_not_contain_the_askers_id(flowed: QuestionHarness) -> None:
    sealed = [row["relay_sealed"] for row in await flowed.question_rows() if row["relay_sealed"] is not None]

    assert len(sealed) == 4  # two questions, the follow-up, the held one
    for record in sealed:
        assert ASKER_TEXT.encode() not in bytes(record)
        assert ASKER.to_bytes(8, "big") not in bytes(record)
        assert ASKER.to_bytes(8, "little") not in bytes(record)


async def test_the_sealed_relay_opens_to_the_asker_only_for_its_own_question(flowed: QuestionHarness) -> None:
    rows = [row for row in await flowed.question_rows() if row["relay_sealed"] is not None]

    for row in rows:
        assert flowed.privacy.open(bytes(row["relay_sealed"]), row["id"]) == ASKER
        assert flowed.privacy.open(bytes(row["relay_sealed"]), row["id"] + 1000) is None


async def test_nothing_posted_in_a_guild_holds_the_askers_id(flowed: QuestionHarness) -> None:
    guild_calls = [c for c in flowed.desk.calls if c.kind != "dm"]

    assert len(guild_calls) >= 10
    for call in guild_calls:
        seen = card_text(call.card) + call.name + (call.nonce or "")
        assert ASKER_TEXT not in seen
        assert ASKER_NAME not in seen
        assert call.target != ASKER


async def test_direct_messages_go_to_the_asker_only(flowed: QuestionHarness) -> None:
    dms = flowed.desk.dms()

    assert len(dms) == 6  # three answers (one failing all three attempts) and a rejection
    assert {call.target for call in dms} == {ASKER}


async def test_the_log_never_holds_the_askers_id(
    flowed: QuestionHarness, caplog: pytest.LogCaptureFixture
) -> None:
    records = caplog.get_records("setup")  # the flow ran in the fixture
    assert any(r.levelno == logging.WARNING for r in records), "the failed delivery should be logged"
    for record in records:
        assert ASKER_TEXT not in record.getMessage()
        assert ASKER_TEXT not in str(record.args)


async def test_forget_leaves_no_sealed_relay_after_the_flow(flowed: QuestionHarness) -> None:
    await flowed.service.forgetting.forget(ASKER)

    assert [row["relay_sealed"] for row in await flowed.question_rows()] == [None] * 4
    assert await flowed.rows("question_drafts") == []

"""QuestionForgetting: forget-me (new aliases, codes off review cards, relays gone, blocks kept), purging."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.questions import Forgotten
from bot.services.privacy import short_code
from tests.bot.services.question_fakes import (
    ANSWER,
    ASKER,
    GUILD,
    OTHER_GUILD,
    OTHER_USER,
    QuestionHarness,
    card_text,
)

# --- forgetting ------------------------------------------------------------------------------------------


async def test_forget_says_what_it_did_in_every_guild(questions: QuestionHarness) -> None:
    await questions.setup_guild(OTHER_GUILD)
    await questions.submitted("one")
    await questions.ask("two", relay=False)
    await questions.ask("three", guild=OTHER_GUILD)
    await questions.service.intake.start_draft(ASKER, "a draft", 0, [GUILD])
    await questions.service.intake.start_draft(ASKER, "another draft", 0, [GUILD, OTHER_GUILD])

    done = await questions.service.forgetting.forget(ASKER)

    assert done == Forgotten(drafts=2, relays=2, questions=3, review_cards=1)
    assert await questions.rows("question_drafts") == []
    assert [row["relay_sealed"] for row in await questions.question_rows()] == [None, None, None]


async def test_forget_replaces_the_alias_of_every_earlier_question_with_a_distinct_one(
    questions: QuestionHarness,
) -> None:
    await questions.ask("one")
    await questions.ask("two")
    before = {row["pseudonym"] for row in await questions.question_rows()}

    await questions.service.forgetting.forget(ASKER)

    after = [row["pseudonym"] for row in await questions.question_rows()]
    assert len(before) == 1 and not before & set(after)
    assert len(set(after)) == 2 and all(alias.startswith("-") for alias in after)
    assert await questions.rows("question_aliases") == []


async def test_after_forget_the_next_question_shows_a_new_code(questions: QuestionHarness) -> None:
    first = await questions.submitted("one")
    await questions.service.forgetting.forget(ASKER)

    second = await questions.submitted("two")

    assert second.pseudonym[:8] != first.pseudonym[:8] and not second.pseudonym.startswith("-")


async def test_forget_removes_the_code_from_earlier_review_cards(questions: QuestionHarness) -> None:
    question = await questions.submitted()
    code = short_code(question.pseudonym)

    await questions.service.forgetting.forget(ASKER)

    edit = questions.desk.of("edit")[-1]
    assert edit.message_id == question.review_message_id
    assert code not in card_text(edit.card)
    assert "Asker code: removed (the asker used forget-me)." in card_text(edit.card)


async def test_a_block_holds_after_forget(questions: QuestionHarness) -> None:
    question = await questions.submitted()
    await questions.service.review.block(question.id)

    await questions.service.forgetting.forget(ASKER)

    assert (await questions.ask("I'm back")).number is None


async def test_a_question_forgotten_before_review_can_be_rejected_but_blocks_nobody(
    questions: QuestionHarness,
) -> None:
    question = await questions.submitted()
    await questions.service.forgetting.forget(ASKER)

    rejected, code = await questions.service.review.block(question.id)

    assert (rejected.status.value, code) == ("rejected", None)
    assert await questions.rows("question_blocks") == []


async def test_forget_keeps_the_questions_themselves(questions: QuestionHarness) -> None:
    question = await questions.published()

    await questions.service.forgetting.forget(ASKER)

    (row,) = await questions.question_rows()
    assert (row["id"], row["status"], row["text"]) == (question.id, "published", question.text)
    assert row["relay_expires_at"] is None


async def test_forget_leaves_other_users_alone(questions: QuestionHarness) -> None:
    await questions.ask(user=OTHER_USER)
    await questions.service.intake.start_draft(OTHER_USER, "their draft", 0, [GUILD])
    await questions.ask()
    theirs = (await questions.question_rows())[0]["pseudonym"]

    await questions.service.forgetting.forget(ASKER)

    assert len(await questions.rows("question_drafts")) == 1
    rows = await questions.question_rows()
    assert [row["relay_sealed"] is not None for row in rows] == [True, False]
    assert rows[0]["pseudonym"] == theirs


async def test_forget_of_someone_unknown_counts_nothing(questions: QuestionHarness) -> None:
    await questions.ask()

    assert await questions.service.forgetting.forget(OTHER_USER) == Forgotten(0, 0, 0, 0)


async def test_after_forget_answers_are_no_longer_relayed(questions: QuestionHarness) -> None:
    question = await questions.published()
    await questions.service.forgetting.forget(ASKER)

    relayed = await questions.answer(question.id, ANSWER, None)

    assert relayed is False
    assert questions.desk.dms() == []
    assert len(questions.desk.posts(question.thread_id)) == 1


async def test_after_forget_a_rejection_is_not_relayed(questions: QuestionHarness) -> None:
    question = await questions.submitted()
    await questions.service.forgetting.forget(ASKER)

    await questions.service.review.reject(question.id, "a reason")

    assert questions.desk.dms() == []


async def test_forget_twice_counts_nothing_the_second_time(questions: QuestionHarness) -> None:
    await questions.ask()
    await questions.service.forgetting.forget(ASKER)

    assert await questions.service.forgetting.forget(ASKER) == Forgotten(0, 0, 0, 0)


# --- purging -------------------------------------------------------------------------------------------------


async def test_purge_expired_clears_relays_past_retention(questions: QuestionHarness) -> None:
    await questions.ask("one")
    await questions.ask("two", user=OTHER_USER)
    questions.clock.advance(timedelta(days=31))

    purged = await questions.service.forgetting.purge_expired()

    assert purged == 2
    rows = await questions.question_rows()
    assert [(row["relay_sealed"], row["relay_expires_at"]) for row in rows] == [(None, None), (None, None)]
    assert [row["text"] for row in rows] == ["one", "two"]


async def test_purge_expired_keeps_relays_within_retention(questions: QuestionHarness) -> None:
    await questions.ask("old")
    questions.clock.advance(timedelta(days=20))
    await questions.ask("recent", user=OTHER_USER)
    questions.clock.advance(timedelta(days=11))

    purged = await questions.service.forgetting.purge_expired()

    assert purged == 1
    assert [row["relay_sealed"] is not None for row in await questions.question_rows()] == [False, True]


async def test_purge_expired_clears_stale_drafts(questions: QuestionHarness) -> None:
    await questions.service.intake.start_draft(ASKER, "stale", 0, [GUILD])
    questions.clock.advance(timedelta(days=1, hours=1))
    await questions.service.intake.start_draft(OTHER_USER, "fresh", 0, [GUILD])
    questions.clock.advance(timedelta(days=1, hours=23))  # stale: 3 days old; fresh: under 2

    await questions.service.forgetting.purge_expired()

    assert [row["text"] for row in await questions.rows("question_drafts")] == ["fresh"]


async def test_purge_expired_with_nothing_to_purge_changes_nothing(questions: QuestionHarness) -> None:
    await questions.ask()
    await questions.service.intake.start_draft(OTHER_USER, "fresh", 0, [GUILD])
    before = (await questions.question_rows(), await questions.rows("question_drafts"))

    assert await questions.service.forgetting.purge_expired() == 0
    assert (await questions.question_rows(), await questions.rows("question_drafts")) == before


async def test_after_purge_an_answer_is_posted_but_not_relayed(questions: QuestionHarness) -> None:
    question = await questions.published()
    questions.clock.advance(timedelta(days=31))
    await questions.service.forgetting.purge_expired()

    assert await questions.answer(question.id, ANSWER, None) is False
    assert questions.desk.dms() == []

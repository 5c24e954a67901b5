"""QuestionQueue: facilitators' views (queue, stats), unblocking by code, the drop-in hand-off."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.domain.questions import QuestionStatus
from tests.bot.services.question_fakes import (
    GUILD,
    OTHER_GUILD,
    OTHER_USER,
    QuestionHarness,
    user_error,
)

# --- unblocking ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["upper-dash", "lower-nodash", "spaces"])
async def test_unblock_by_code_in_any_form_lets_the_asker_ask_again(
    questions: QuestionHarness, typed: str
) -> None:
    _, code = await questions.service.review.block((await questions.submitted()).id)
    assert code is not None
    forms = {"upper-dash": code, "lower-nodash": code.replace("-", "").lower(), "spaces": f" {code.lower()} "}

    removed = await questions.service.queue.unblock(GUILD, forms[typed])

    assert removed == 1
    assert await questions.rows("question_blocks") == []
    assert (await questions.ask("back again")).number == 2


@pytest.mark.parametrize("code", ["0000-0000", "ZZZZ-ZZZZ", "unknown"])
async def test_unblock_with_an_unknown_code_is_refused(questions: QuestionHarness, code: str) -> None:
    await questions.service.review.block((await questions.submitted()).id)

    error = await user_error(questions.service.queue.unblock(GUILD, code), "questions.error.unknown_code")

    assert error.params == {"code": code}
    assert len(await questions.rows("question_blocks")) == 1


async def test_unblock_only_looks_in_its_own_guild(questions: QuestionHarness) -> None:
    _, code = await questions.service.review.block((await questions.submitted()).id)

    await user_error(questions.service.queue.unblock(OTHER_GUILD, code), "questions.error.unknown_code")


NOT_A_FULL_CODE: dict[str, Callable[[str, str], str]] = {
    "dash": lambda code, pseudonym: "-",
    "space": lambda code, pseudonym: " ",
    "empty": lambda code, pseudonym: "",
    "one-character": lambda code, pseudonym: code[:1],
    "half": lambda code, pseudonym: code[:4],
    "one-short": lambda code, pseudonym: code[:-1],
    "too-long": lambda code, pseudonym: code + "E7",
    "whole-pseudonym": lambda code, pseudonym: pseudonym,
}


@pytest.mark.parametrize("typed", list(NOT_A_FULL_CODE))
async def test_unblock_needs_exactly_a_full_code_and_otherwise_unblocks_nobody(
    questions: QuestionHarness, typed: str
) -> None:
    question = await questions.submitted()
    _, code = await questions.service.review.block(question.id)
    await questions.service.review.block((await questions.submitted(user=OTHER_USER)).id)
    text = NOT_A_FULL_CODE[typed](code, question.pseudonym)

    await user_error(questions.service.queue.unblock(GUILD, text), "questions.error.unknown_code")

    assert len(await questions.rows("question_blocks")) == 2


# --- facilitators' views ------------------------------------------------------------------------------------------------


async def test_queue_lists_pending_and_held_questions_by_number(questions: QuestionHarness) -> None:
    published = await questions.published("one")
    pending = await questions.submitted("two", user=OTHER_USER)
    held = await questions.service.review.approve((await questions.submitted("three", hold=True)).id)
    rejected = await questions.submitted("four", user=OTHER_USER)
    await questions.service.review.reject(rejected.id, "")

    queue = await questions.service.queue.queue(GUILD)

    assert [q.id for q in queue] == [pending.id, held.id]
    assert published.id not in [q.id for q in queue]


async def test_queue_of_another_guild_is_empty(questions: QuestionHarness) -> None:
    await questions.submitted()

    assert await questions.service.queue.queue(OTHER_GUILD) == []


async def test_stats_count_by_status_answers_and_blocks(questions: QuestionHarness) -> None:
    published = await questions.published("one")
    await questions.submitted("two", user=OTHER_USER)
    await questions.service.review.block((await questions.submitted("three")).id)
    await questions.service.answers.answer(published.id, "an answer", None)
    await questions.service.answers.answer(published.id, "another answer", "Sam")

    stats = await questions.service.queue.stats(GUILD)

    assert stats.total == 3
    assert stats.by_status == {"published": 1, "pending": 1, "blocked": 1}
    assert (stats.answers, stats.blocked) == (2, 1)


async def test_stats_of_a_guild_without_questions_are_zero(questions: QuestionHarness) -> None:
    stats = await questions.service.queue.stats(GUILD)

    assert (stats.total, stats.by_status, stats.answers, stats.blocked) == (0, {}, 0, 0)


# --- drop-in hand-off --------------------------------------------------------------------------------------------------


async def test_held_texts_lists_the_approved_held_questions_in_order(questions: QuestionHarness) -> None:
    first = await questions.service.review.approve((await questions.submitted("first held", hold=True)).id)
    second = await questions.service.review.approve((await questions.submitted("second held", hold=True)).id)
    await questions.submitted("held but not approved yet", hold=True, user=OTHER_USER)
    await questions.published("published")

    assert await questions.service.queue.held_texts(GUILD) == [
        (first.id, "first held"),
        (second.id, "second held"),
    ]


async def test_mark_raised_moves_the_listed_questions_to_raised(questions: QuestionHarness) -> None:
    held = await questions.service.review.approve((await questions.submitted("held", hold=True)).id)

    await questions.service.queue.mark_raised([held.id])

    assert await questions.service.queue.held_texts(GUILD) == []
    assert (await questions.service.question(held.id)).status is QuestionStatus.RAISED


async def test_mark_raised_leaves_held_questions_the_reminder_did_not_list(
    questions: QuestionHarness,
) -> None:
    listed = await questions.service.review.approve((await questions.submitted("listed", hold=True)).id)
    later = await questions.service.review.approve((await questions.submitted("came later", hold=True)).id)

    await questions.service.queue.mark_raised([listed.id])

    assert await questions.service.queue.held_texts(GUILD) == [(later.id, "came later")]


async def test_mark_raised_leaves_other_guilds_held(questions: QuestionHarness) -> None:
    await questions.setup_guild(OTHER_GUILD)
    mine = await questions.service.review.approve((await questions.submitted("mine", hold=True)).id)
    theirs = await questions.service.review.approve(
        (await questions.submitted("theirs", hold=True, guild=OTHER_GUILD)).id
    )

    await questions.service.queue.mark_raised([mine.id])

    assert await questions.service.queue.held_texts(OTHER_GUILD) == [(theirs.id, "theirs")]

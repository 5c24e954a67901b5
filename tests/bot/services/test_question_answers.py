"""QuestionAnswers: posted in the thread, relayed to the asker within retention, or not at all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.question_context import QuestionPolicy
from tests.bot.services.question_fakes import (
    ANSWER,
    ASKER,
    GUILD,
    QuestionHarness,
    user_error,
)

# --- answers ------------------------------------------------------------------------------------------


async def test_answer_is_posted_in_the_questions_thread(questions: QuestionHarness) -> None:
    question = await questions.published()

    await questions.answer(question.id, ANSWER, "Sam")

    (post,) = questions.desk.posts(question.thread_id)
    assert post.card is not None
    assert post.card.embeds[0].description == ANSWER


@pytest.mark.parametrize(
    ("signature", "header"), [("Sam R.", "Answer from Sam R."), (None, "Answer from a facilitator")]
)
async def test_answer_is_signed_by_the_answerer_or_as_a_facilitator(
    questions: QuestionHarness, signature: str | None, header: str
) -> None:
    question = await questions.published()

    await questions.answer(question.id, ANSWER, signature)

    (post,) = questions.desk.posts(question.thread_id)
    assert post.card is not None
    assert post.card.embeds[0].title == header


async def test_answer_is_relayed_to_the_asker_by_dm(questions: QuestionHarness) -> None:
    question = await questions.published()

    relayed = await questions.answer(question.id, ANSWER, None)

    assert relayed is True
    (dm,) = questions.desk.dms()
    assert dm.target == ASKER
    assert dm.card is not None
    assert dm.card.embeds[0].description == ANSWER
    assert ("follow-up", question.id) in [(a.kind, a.target_id) for a in dm.card.actions]


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "An answer to your question #1"), ("fr", "Une réponse à votre question no 1")]
)
async def test_the_relayed_answer_is_in_the_askers_language(
    questions: QuestionHarness, lang: str, title: str
) -> None:
    question = await questions.published(lang=lang)

    await questions.answer(question.id, ANSWER, None)

    assert questions.desk.dms()[0].card.embeds[0].title == title  # type: ignore[union-attr]


async def test_answer_is_not_relayed_when_the_asker_declined(questions: QuestionHarness) -> None:
    question = await questions.published(relay=False)

    relayed = await questions.answer(question.id, ANSWER, None)

    assert relayed is False
    assert questions.desk.dms() == []
    assert len(questions.desk.posts(question.thread_id)) == 1


@pytest.mark.parametrize(
    ("later", "relayed"),
    [
        (timedelta(days=29, hours=23), True),
        (timedelta(days=30), False),
        (timedelta(days=31), False),
    ],
)
async def test_answer_is_relayed_only_within_the_retention_window(
    questions: QuestionHarness, later: timedelta, relayed: bool
) -> None:
    question = await questions.published()
    questions.clock.advance(later)

    assert await questions.answer(question.id, ANSWER, None) is relayed
    assert len(questions.desk.dms()) == int(relayed)
    assert len(questions.desk.posts(question.thread_id)) == 1


async def test_the_retention_window_follows_the_policy(questions: QuestionHarness) -> None:
    service = questions.with_policy(QuestionPolicy(retention=timedelta(days=2)))
    submitted = await service.intake.submit_direct(
        GUILD, ASKER, "short-lived", hold=False, relay=True, lang="en"
    )
    assert submitted.question_id is not None
    await service.review.deliver(submitted.question_id)
    await service.review.approve(submitted.question_id)
    questions.clock.advance(timedelta(days=2, minutes=1))

    assert await questions.answer(submitted.question_id, ANSWER, None, service) is False


@pytest.mark.parametrize("closed", ["returns-false", "raises"])
async def test_answer_to_an_asker_with_closed_dms_is_posted_but_not_relayed(
    questions: QuestionHarness, closed: str
) -> None:
    question = await questions.published()
    if closed == "raises":
        questions.desk.fail["dm"] = 10  # every attempt fails
    else:
        questions.desk.closed_dms.add(ASKER)

    relayed = await questions.answer(question.id, ANSWER, None)

    assert relayed is False
    assert len(questions.desk.posts(question.thread_id)) == 1


async def test_every_answer_is_relayed(questions: QuestionHarness) -> None:
    question = await questions.published()

    for i in range(3):
        await questions.answer(question.id, f"answer {i}", None)

    assert [c.card.embeds[0].description for c in questions.desk.dms(ASKER)] == [  # type: ignore[union-attr]
        "answer 0",
        "answer 1",
        "answer 2",
    ]


@pytest.mark.parametrize(
    ("text", "key"), [("  ", "questions.error.empty"), ("a" * 1801, "questions.error.too_long")]
)
async def test_an_invalid_answer_posts_and_relays_nothing(
    questions: QuestionHarness, text: str, key: str
) -> None:
    question = await questions.published()
    calls = len(questions.desk.calls)

    await user_error(questions.answer(question.id, text, None), key)

    assert len(questions.desk.calls) == calls


async def test_a_pending_question_cannot_be_answered(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    await user_error(questions.answer(question.id, ANSWER, None), "questions.error.no_thread")


async def test_answering_an_unknown_question_is_a_user_error(questions: QuestionHarness) -> None:
    await user_error(questions.answer(4242, ANSWER, None), "questions.error.unknown_question")


# --- one behaviour for everyone on the public Answer button ------------------------------------------


@pytest.mark.parametrize("presser", ["asker", "someone-else", "blocked-asker"])
async def test_an_answer_is_posted_signed_whoever_presses(questions: QuestionHarness, presser: str) -> None:
    """The thread, its count and the acknowledgement cannot tell the asker (or a blocked asker) apart."""
    question = await questions.published()
    if presser == "blocked-asker":
        await questions.service.review.block(question.id)

    await questions.service.answers.answer(question.id, "Answering", "Alex")

    (post,) = questions.desk.posts(question.thread_id)
    assert post.card is not None and post.card.embeds[0].title == "Answer from Alex"
    assert (await questions.service.queue.stats(GUILD)).answers == 1


async def test_the_answer_method_takes_no_presser_so_it_cannot_depend_on_them() -> None:
    import inspect

    from bot.services.question_answers import QuestionAnswers

    assert list(inspect.signature(QuestionAnswers.answer).parameters) == [
        "self",
        "question_id",
        "text",
        "signature",
    ]


async def test_a_failed_relay_is_retried_then_dropped_quietly(questions: QuestionHarness) -> None:
    question = await questions.published()
    questions.desk.fail["dm"] = 2

    assert await questions.answer(question.id, ANSWER) is True
    assert [call.result for call in questions.desk.dms()] == [None, None, True]


async def test_a_relay_failing_every_time_is_dropped_without_error(questions: QuestionHarness) -> None:
    question = await questions.published()
    questions.desk.fail["dm"] = 10

    assert await questions.answer(question.id, ANSWER) is False
    assert len(questions.desk.dms()) == 3  # one attempt and the policy's two retries


# --- held questions -----------------------------------------------------------------------------------


async def test_a_held_question_cannot_be_answered_yet(questions: QuestionHarness) -> None:
    held = await questions.service.review.approve((await questions.submitted(hold=True)).id)

    await user_error(
        questions.service.answers.answer(held.id, "an answer", None), "questions.error.no_thread"
    )

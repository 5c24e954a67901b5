"""QuestionService answers: posted in the thread, relayed to the asker, follow-ups, forgetting, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.questions import Forgotten
from bot.services.privacy import short_code
from bot.services.question_context import QuestionPolicy
from tests.bot.services.question_fakes import (
    ASKER,
    GUILD,
    OTHER_GUILD,
    OTHER_USER,
    QuestionHarness,
    card_text,
    user_error,
)

ANSWER = "Most pharmacies in the area carry naloxone kits for free."


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


# --- follow-ups -----------------------------------------------------------------------------------------


async def test_a_follow_up_waits_for_review_where_questions_are_reviewed(questions: QuestionHarness) -> None:
    question = await questions.published()

    submitted = await questions.follow_up(question.id, "  Thanks! And on weekends?  ")

    assert submitted.follow_up and submitted.number == 2
    assert questions.desk.posts(question.thread_id) == []
    (card,) = [c for c in questions.desk.posts() if c.nonce == f"qr{submitted.question_id}"]
    text = card_text(card.card)
    assert "Follow-up from the asker of question #1." in text
    assert "Thanks! And on weekends?" in text
    assert [a.kind for a in card.card.actions] == ["approve", "reject", "block", "urgent"]  # type: ignore[union-attr]


async def test_an_approved_follow_up_is_posted_in_the_thread_as_the_asker(questions: QuestionHarness) -> None:
    question = await questions.published()
    submitted = await questions.follow_up(question.id, "Thanks! And on weekends?")
    assert submitted.question_id is not None

    await questions.service.review.approve(submitted.question_id)

    (post,) = questions.desk.posts(question.thread_id)
    assert post.card is not None
    assert post.card.embeds[0].title == "Follow-up from the asker"
    assert post.card.embeds[0].description == "Thanks! And on weekends?"
    assert questions.desk.threads()[-1].message_id != post.message_id  # no new thread for a follow-up


async def test_a_follow_up_goes_straight_to_the_thread_where_review_is_off(
    questions: QuestionHarness,
) -> None:
    question = await questions.published()
    await questions.service.queue.set_review_required(GUILD, False)

    await questions.follow_up(question.id, "a follow-up")

    (post,) = questions.desk.posts(question.thread_id)
    assert post.card is not None and post.card.embeds[0].description == "a follow-up"


async def test_a_rejected_follow_up_never_reaches_the_thread(questions: QuestionHarness) -> None:
    question = await questions.published()
    submitted = await questions.follow_up(question.id, "something off-topic")
    assert submitted.question_id is not None

    await questions.service.review.reject(submitted.question_id, "")

    assert questions.desk.posts(question.thread_id) == []


async def test_blocking_from_a_follow_up_blocks_the_asker(questions: QuestionHarness) -> None:
    question = await questions.published()
    submitted = await questions.follow_up(question.id, "abuse")
    assert submitted.question_id is not None

    await questions.service.review.block(submitted.question_id)

    assert (await questions.ask("again")).number is None


async def test_a_follow_up_from_another_user_is_refused_and_posts_nothing(questions: QuestionHarness) -> None:
    question = await questions.published()
    calls = len(questions.desk.calls)

    await user_error(
        questions.service.intake.follow_up(question.id, OTHER_USER, "hi"), "questions.error.not_the_asker"
    )

    assert len(questions.desk.calls) == calls


async def test_a_follow_up_from_the_same_user_on_a_question_of_another_guild_is_refused(
    questions: QuestionHarness,
) -> None:
    await questions.setup_guild(OTHER_GUILD)
    theirs = await questions.published(user=OTHER_USER, guild=OTHER_GUILD)

    await user_error(
        questions.service.intake.follow_up(theirs.id, ASKER, "hi"), "questions.error.not_the_asker"
    )


async def test_a_blocked_asker_gets_the_neutral_answer_and_nothing_is_posted(
    questions: QuestionHarness,
) -> None:
    question = await questions.published()
    await questions.service.review.block(question.id)
    calls = len(questions.desk.calls)

    submitted = await questions.follow_up(question.id, "still here")

    assert submitted.number is None
    assert len(questions.desk.calls) == calls


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

"""QuestionIntake follow-ups: the asker's anonymous addition to their question, reviewed like one."""

from __future__ import annotations

from tests.bot.services.question_fakes import (
    ASKER,
    GUILD,
    OTHER_GUILD,
    OTHER_USER,
    QuestionHarness,
    card_text,
    user_error,
)

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

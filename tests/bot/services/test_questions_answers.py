"""QuestionService answers: posted in the thread, relayed to the asker, follow-ups, forgetting, retention."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from bot.errors import UserError
from bot.services.questions import QuestionPolicy
from tests.bot.services.question_fakes import (
    ASKER,
    FACILITATOR,
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

    await questions.service.answer(question.id, FACILITATOR, ANSWER, "Sam")

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

    await questions.service.answer(question.id, FACILITATOR, ANSWER, signature)

    (post,) = questions.desk.posts(question.thread_id)
    assert post.card is not None
    assert post.card.embeds[0].title == header


async def test_answer_is_relayed_to_the_asker_by_dm(questions: QuestionHarness) -> None:
    question = await questions.published()

    relayed = await questions.service.answer(question.id, FACILITATOR, ANSWER, None)

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

    await questions.service.answer(question.id, FACILITATOR, ANSWER, None)

    assert questions.desk.dms()[0].card.embeds[0].title == title  # type: ignore[union-attr]


async def test_answer_is_not_relayed_when_the_asker_declined(questions: QuestionHarness) -> None:
    question = await questions.published(relay=False)

    relayed = await questions.service.answer(question.id, FACILITATOR, ANSWER, None)

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

    assert await questions.service.answer(question.id, FACILITATOR, ANSWER, None) is relayed
    assert len(questions.desk.dms()) == int(relayed)
    assert len(questions.desk.posts(question.thread_id)) == 1


async def test_the_retention_window_follows_the_policy(questions: QuestionHarness) -> None:
    service = questions.with_policy(QuestionPolicy(retention=timedelta(days=2)))
    submitted = await service.submit_direct(GUILD, ASKER, "short-lived", hold=False, relay=True, lang="en")
    assert submitted.question_id is not None
    await service.deliver(submitted.question_id)
    await service.approve(submitted.question_id)
    questions.clock.advance(timedelta(days=2, minutes=1))

    assert await service.answer(submitted.question_id, FACILITATOR, ANSWER, None) is False


@pytest.mark.parametrize("closed", ["returns-false", "raises"])
async def test_answer_to_an_asker_with_closed_dms_is_posted_but_not_relayed(
    questions: QuestionHarness, closed: str
) -> None:
    question = await questions.published()
    if closed == "raises":
        questions.desk.fail["dm"] = 1
    else:
        questions.desk.closed_dms.add(ASKER)

    relayed = await questions.service.answer(question.id, FACILITATOR, ANSWER, None)

    assert relayed is False
    assert len(questions.desk.posts(question.thread_id)) == 1


async def test_every_answer_is_relayed(questions: QuestionHarness) -> None:
    question = await questions.published()

    for i in range(3):
        await questions.service.answer(question.id, FACILITATOR, f"answer {i}", None)

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

    await user_error(questions.service.answer(question.id, FACILITATOR, text, None), key)

    assert len(questions.desk.calls) == calls


async def test_a_pending_question_cannot_be_answered(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    await user_error(
        questions.service.answer(question.id, FACILITATOR, ANSWER, None), "questions.error.no_thread"
    )


async def test_answering_an_unknown_question_is_a_user_error(questions: QuestionHarness) -> None:
    await user_error(
        questions.service.answer(4242, FACILITATOR, ANSWER, None), "questions.error.unknown_question"
    )


# --- the asker answering their own question -------------------------------------------------------------


async def test_the_asker_answering_their_own_question_posts_an_anonymous_follow_up(
    questions: QuestionHarness,
) -> None:
    question = await questions.published()

    relayed = await questions.service.answer(question.id, ASKER, "Answering myself", "My Real Name")

    assert relayed is False
    (post,) = questions.desk.posts(question.thread_id)
    assert post.card is not None
    assert post.card.embeds[0].title == "Follow-up from the asker"
    assert post.card.embeds[0].description == "Answering myself"
    assert "My Real Name" not in card_text(post.card)


async def test_the_asker_answering_their_own_question_is_not_dmed_nor_counted(
    questions: QuestionHarness,
) -> None:
    question = await questions.published()

    await questions.service.answer(question.id, ASKER, "Answering myself", None)

    assert questions.desk.dms() == []
    assert (await questions.service.stats(GUILD)).answers == 0


async def test_the_same_user_answering_a_question_asked_by_someone_else_signs_normally(
    questions: QuestionHarness,
) -> None:
    question = await questions.published(user=OTHER_USER)

    await questions.service.answer(question.id, ASKER, ANSWER, "Sam")

    (post,) = questions.desk.posts(question.thread_id)
    assert post.card is not None
    assert post.card.embeds[0].title == "Answer from Sam"


# --- follow-ups -----------------------------------------------------------------------------------------


async def test_a_follow_up_from_the_asker_is_posted_in_the_thread_as_the_asker(
    questions: QuestionHarness,
) -> None:
    question = await questions.published()

    await questions.service.follow_up(question.id, ASKER, "  Thanks! And on weekends?  ")

    (post,) = questions.desk.posts(question.thread_id)
    assert post.card is not None
    assert post.card.embeds[0].title == "Follow-up from the asker"
    assert post.card.embeds[0].description == "Thanks! And on weekends?"


async def test_a_follow_up_from_another_user_is_refused_and_posts_nothing(questions: QuestionHarness) -> None:
    question = await questions.published()
    calls = len(questions.desk.calls)

    await user_error(
        questions.service.follow_up(question.id, OTHER_USER, "hi"), "questions.error.not_the_asker"
    )

    assert len(questions.desk.calls) == calls


async def test_a_follow_up_from_the_same_user_on_a_question_of_another_guild_is_refused(
    questions: QuestionHarness,
) -> None:
    await questions.setup_guild(OTHER_GUILD)
    theirs = await questions.published(user=OTHER_USER, guild=OTHER_GUILD)

    await user_error(questions.service.follow_up(theirs.id, ASKER, "hi"), "questions.error.not_the_asker")


async def test_a_follow_up_works_after_the_relay_record_is_gone(questions: QuestionHarness) -> None:
    question = await questions.published()
    await questions.service.forget(ASKER)

    await questions.service.follow_up(question.id, ASKER, "still me")

    assert len(questions.desk.posts(question.thread_id)) == 1


async def test_a_follow_up_is_not_relayed_to_anyone(questions: QuestionHarness) -> None:
    question = await questions.published()

    await questions.service.follow_up(question.id, ASKER, "a follow-up")

    assert questions.desk.dms() == []


@pytest.mark.parametrize("path", ["follow-up", "answer-own-question"])
async def test_a_blocked_asker_cannot_post_follow_ups(questions: QuestionHarness, path: str) -> None:
    question = await questions.published()
    await questions.service.block(question.id)
    posts = len(questions.desk.posts(question.thread_id))

    with contextlib.suppress(UserError):
        if path == "follow-up":
            await questions.service.follow_up(question.id, ASKER, "still here")
        else:
            await questions.service.answer(question.id, ASKER, "still here", None)

    assert len(questions.desk.posts(question.thread_id)) == posts


# --- forgetting ------------------------------------------------------------------------------------------


async def test_forget_deletes_drafts_and_relays_in_every_guild_and_counts_them(
    questions: QuestionHarness,
) -> None:
    await questions.setup_guild(OTHER_GUILD)
    await questions.ask("one")
    await questions.ask("two", relay=False)
    await questions.ask("three", guild=OTHER_GUILD)
    await questions.service.start_draft(ASKER, "a draft", 0, [GUILD])
    await questions.service.start_draft(ASKER, "another draft", 0, [GUILD, OTHER_GUILD])

    counts = await questions.service.forget(ASKER)

    assert counts == (2, 2)
    assert await questions.rows("question_drafts") == []
    assert [row["relay_sealed"] for row in await questions.question_rows()] == [None, None, None]


async def test_forget_keeps_the_questions_themselves(questions: QuestionHarness) -> None:
    question = await questions.published()

    await questions.service.forget(ASKER)

    (row,) = await questions.question_rows()
    assert (row["id"], row["status"], row["text"]) == (question.id, "published", question.text)
    assert row["relay_expires_at"] is None


async def test_forget_leaves_other_users_alone(questions: QuestionHarness) -> None:
    await questions.ask(user=OTHER_USER)
    await questions.service.start_draft(OTHER_USER, "their draft", 0, [GUILD])
    await questions.ask()

    await questions.service.forget(ASKER)

    assert len(await questions.rows("question_drafts")) == 1
    assert [row["relay_sealed"] is not None for row in await questions.question_rows()] == [True, False]


async def test_forget_of_someone_unknown_counts_nothing(questions: QuestionHarness) -> None:
    await questions.ask()

    assert await questions.service.forget(OTHER_USER) == (0, 0)


async def test_after_forget_answers_are_no_longer_relayed(questions: QuestionHarness) -> None:
    question = await questions.published()
    await questions.service.forget(ASKER)

    relayed = await questions.service.answer(question.id, FACILITATOR, ANSWER, None)

    assert relayed is False
    assert questions.desk.dms() == []
    assert len(questions.desk.posts(question.thread_id)) == 1


async def test_after_forget_a_rejection_is_not_relayed(questions: QuestionHarness) -> None:
    question = await questions.submitted()
    await questions.service.forget(ASKER)

    await questions.service.reject(question.id, "a reason")

    assert questions.desk.dms() == []


async def test_forget_twice_counts_nothing_the_second_time(questions: QuestionHarness) -> None:
    await questions.ask()
    await questions.service.forget(ASKER)

    assert await questions.service.forget(ASKER) == (0, 0)


# --- purging -------------------------------------------------------------------------------------------------


async def test_purge_expired_clears_relays_past_retention(questions: QuestionHarness) -> None:
    await questions.ask("one")
    await questions.ask("two", user=OTHER_USER)
    questions.clock.advance(timedelta(days=31))

    purged = await questions.service.purge_expired()

    assert purged == 2
    rows = await questions.question_rows()
    assert [(row["relay_sealed"], row["relay_expires_at"]) for row in rows] == [(None, None), (None, None)]
    assert [row["text"] for row in rows] == ["one", "two"]


async def test_purge_expired_keeps_relays_within_retention(questions: QuestionHarness) -> None:
    await questions.ask("old")
    questions.clock.advance(timedelta(days=20))
    await questions.ask("recent", user=OTHER_USER)
    questions.clock.advance(timedelta(days=11))

    purged = await questions.service.purge_expired()

    assert purged == 1
    assert [row["relay_sealed"] is not None for row in await questions.question_rows()] == [False, True]


async def test_purge_expired_clears_stale_drafts(questions: QuestionHarness) -> None:
    await questions.service.start_draft(ASKER, "stale", 0, [GUILD])
    questions.clock.advance(timedelta(days=1, hours=1))
    await questions.service.start_draft(OTHER_USER, "fresh", 0, [GUILD])
    questions.clock.advance(timedelta(days=1, hours=23))  # stale: 3 days old; fresh: under 2

    await questions.service.purge_expired()

    assert [row["text"] for row in await questions.rows("question_drafts")] == ["fresh"]


async def test_purge_expired_with_nothing_to_purge_changes_nothing(questions: QuestionHarness) -> None:
    await questions.ask()
    await questions.service.start_draft(OTHER_USER, "fresh", 0, [GUILD])
    before = (await questions.question_rows(), await questions.rows("question_drafts"))

    assert await questions.service.purge_expired() == 0
    assert (await questions.question_rows(), await questions.rows("question_drafts")) == before


async def test_after_purge_an_answer_is_posted_but_not_relayed(questions: QuestionHarness) -> None:
    question = await questions.published()
    questions.clock.advance(timedelta(days=31))
    await questions.service.purge_expired()

    assert await questions.service.answer(question.id, FACILITATOR, ANSWER, None) is False
    assert questions.desk.dms() == []

"""QuestionReview: review cards, publishing, decisions, and resuming after a crash."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.questions import QuestionStatus
from bot.errors import UserError
from bot.services.ports import Card, DeliveryError
from bot.services.privacy import short_code
from bot.services.question_context import QuestionContext
from tests.bot.services.question_fakes import (
    ASKER,
    GUILD,
    OTHER_GUILD,
    OTHER_QUESTIONS_CHANNEL,
    OTHER_REVIEW_CHANNEL,
    OTHER_USER,
    QUESTION,
    QUESTIONS_CHANNEL,
    REVIEW_CHANNEL,
    QuestionHarness,
    card_text,
    interleave,
    user_error,
)

URGENT_TEXT = "My friend is not breathing after using, what do I do?"


async def asked_id(questions: QuestionHarness, text: str = QUESTION, **kwargs: object) -> int:
    submitted = await questions.ask(text, **kwargs)  # type: ignore[arg-type]
    assert submitted.question_id is not None
    return submitted.question_id


# --- the review card --------------------------------------------------------------------------------


async def test_deliver_posts_one_review_card_in_the_review_channel(questions: QuestionHarness) -> None:
    question_id = await asked_id(questions)

    await questions.service.review.deliver(question_id)

    (post,) = questions.desk.calls
    assert (post.kind, post.target, post.nonce) == ("post", REVIEW_CHANNEL, f"qr{question_id}")


async def test_deliver_records_the_review_card(questions: QuestionHarness) -> None:
    question_id = await asked_id(questions)

    await questions.service.review.deliver(question_id)

    (post,) = questions.desk.posts()
    assert (await questions.service.question(question_id)).review_message_id == post.message_id


async def test_the_review_card_shows_number_code_and_the_reviewers_buttons(
    questions: QuestionHarness,
) -> None:
    question_id = await asked_id(questions)

    await questions.service.review.deliver(question_id)

    (post,) = questions.desk.posts()
    assert post.card is not None
    text = card_text(post.card)
    assert "Question #1" in text
    assert QUESTION in text
    question = await questions.service.question(question_id)
    assert short_code(question.pseudonym) in text
    assert questions.privacy.pseudonym(GUILD, ASKER)[:8] not in text.lower()  # the alias, not the HMAC
    assert [(a.kind, a.target_id) for a in post.card.actions] == [
        (kind, question_id) for kind in ("approve", "reject", "block", "urgent")
    ]


@pytest.mark.parametrize(("text", "urgent"), [(URGENT_TEXT, True), (QUESTION, False)])
async def test_the_review_card_flags_urgent_questions(
    questions: QuestionHarness, text: str, urgent: bool
) -> None:
    await questions.service.review.deliver(await asked_id(questions, text))

    assert ("Marked urgent" in card_text(questions.desk.posts()[0].card)) is urgent


async def test_the_review_card_says_when_the_asker_asked_to_hold(questions: QuestionHarness) -> None:
    await questions.service.review.deliver(await asked_id(questions, hold=True))

    assert "hold it for the drop-in" in card_text(questions.desk.posts()[0].card)


@pytest.mark.parametrize("again", ["deliver", "deliver_pending"])
async def test_delivering_again_posts_nothing_new(questions: QuestionHarness, again: str) -> None:
    question_id = await asked_id(questions)
    await questions.service.review.deliver(question_id)
    calls = list(questions.desk.calls)

    if again == "deliver":
        await questions.service.review.deliver(question_id)
    else:
        await questions.service.review.deliver_pending()

    assert questions.desk.calls == calls


async def test_deliver_pending_posts_a_review_card_for_every_undelivered_question(
    questions: QuestionHarness,
) -> None:
    await questions.setup_guild(OTHER_GUILD)
    ids = [await asked_id(questions, user=u) for u in (ASKER, OTHER_USER)]
    ids.append(await asked_id(questions, guild=OTHER_GUILD))

    await questions.service.review.deliver_pending()

    posted = sorted((c.nonce or "", c.target) for c in questions.desk.posts())
    expected = [(f"qr{ids[0]}", REVIEW_CHANNEL), (f"qr{ids[1]}", REVIEW_CHANNEL)]
    assert posted == sorted([*expected, (f"qr{ids[2]}", OTHER_REVIEW_CHANNEL)])


async def test_deliver_of_an_unknown_question_is_a_user_error(questions: QuestionHarness) -> None:
    await user_error(questions.service.review.deliver(999), "questions.error.unknown_question")


# --- review switched off -----------------------------------------------------------------------------


async def test_with_review_off_a_question_is_published_directly_with_a_thread(
    questions: QuestionHarness,
) -> None:
    await questions.service.queue.set_review_required(GUILD, False)
    question_id = await asked_id(questions)

    await questions.service.review.deliver(question_id)

    (post,) = questions.desk.posts()
    (thread,) = questions.desk.threads()
    assert (post.target, post.nonce) == (QUESTIONS_CHANNEL, f"qp{question_id}")
    assert (thread.target, thread.message_id, thread.name) == (
        QUESTIONS_CHANNEL,
        post.message_id,
        "Question #1",
    )
    question = await questions.service.question(question_id)
    assert question.status is QuestionStatus.PUBLISHED
    assert (question.published_message_id, question.thread_id) == (post.message_id, thread.result)


async def test_with_review_off_the_decision_is_committed_before_the_question_is_posted(
    questions: QuestionHarness,
) -> None:
    await questions.service.queue.set_review_required(GUILD, False)
    question_id = await asked_id(questions)
    seen: list[str] = []

    async def record_status(channel_id: int, card: Card) -> None:
        seen.extend(row["status"] for row in await questions.question_rows())

    questions.desk.before_post = record_status

    await questions.service.review.deliver(question_id)

    assert seen == ["published"]


async def test_with_review_off_an_urgent_question_also_gets_a_review_card(questions: QuestionHarness) -> None:
    await questions.service.queue.set_review_required(GUILD, False)
    question_id = await asked_id(questions, URGENT_TEXT)

    await questions.service.review.deliver(question_id)

    assert [c.target for c in questions.desk.posts()] == [REVIEW_CHANNEL, QUESTIONS_CHANNEL]
    assert len(questions.desk.threads()) == 1
    assert (await questions.service.question(question_id)).status is QuestionStatus.PUBLISHED


async def test_with_review_off_a_held_question_is_held_without_any_post(questions: QuestionHarness) -> None:
    await questions.service.queue.set_review_required(GUILD, False)
    question_id = await asked_id(questions, hold=True)

    await questions.service.review.deliver(question_id)

    assert questions.desk.calls == []
    assert (await questions.service.question(question_id)).status is QuestionStatus.HELD


async def test_review_off_in_one_guild_leaves_the_other_reviewed(questions: QuestionHarness) -> None:
    await questions.setup_guild(OTHER_GUILD)
    await questions.service.queue.set_review_required(GUILD, False)

    await questions.service.review.deliver(await asked_id(questions, guild=OTHER_GUILD))

    assert [c.target for c in questions.desk.posts()] == [OTHER_REVIEW_CHANNEL]


async def test_switching_review_back_on_sends_questions_to_review_again(questions: QuestionHarness) -> None:
    await questions.service.queue.set_review_required(GUILD, False)
    await questions.service.queue.set_review_required(GUILD, True)

    await questions.service.review.deliver(await asked_id(questions))

    assert [c.target for c in questions.desk.posts()] == [REVIEW_CHANNEL]
    assert questions.desk.threads() == []


# --- approve ------------------------------------------------------------------------------------------


async def test_approve_publishes_the_question_with_a_thread(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    approved = await questions.service.review.approve(question.id)

    (published,) = questions.desk.posts(QUESTIONS_CHANNEL)
    (thread,) = questions.desk.threads()
    assert approved.status is QuestionStatus.PUBLISHED
    assert (approved.published_message_id, approved.thread_id) == (published.message_id, thread.result)
    assert thread.message_id == published.message_id


async def test_the_published_post_is_anonymous_with_answer_buttons(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    await questions.service.review.approve(question.id)

    (published,) = questions.desk.posts(QUESTIONS_CHANNEL)
    assert published.card is not None
    assert published.card.embeds[0].title == "Anonymous question #1"
    assert published.card.embeds[0].description == QUESTION
    assert [(a.kind, a.target_id) for a in published.card.actions] == [
        ("answer", question.id),
        ("answer-facilitator", question.id),
    ]
    assert short_code(question.pseudonym) not in card_text(published.card)


async def test_approve_updates_the_review_card_and_removes_its_buttons(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    await questions.service.review.approve(question.id)

    (edit,) = questions.desk.of("edit")
    assert (edit.target, edit.message_id) == (REVIEW_CHANNEL, question.review_message_id)
    assert edit.card is not None
    assert "Approved and published." in card_text(edit.card)
    assert edit.card.actions == ()


async def test_approving_a_held_question_holds_it_without_posting(questions: QuestionHarness) -> None:
    question = await questions.submitted(hold=True)

    approved = await questions.service.review.approve(question.id)

    assert approved.status is QuestionStatus.HELD
    assert questions.desk.posts(QUESTIONS_CHANNEL) == []
    assert questions.desk.threads() == []


@pytest.mark.parametrize("first", ["approve", "reject", "block"])
@pytest.mark.parametrize("second", ["approve", "reject"])
async def test_a_decided_question_cannot_be_decided_again(
    questions: QuestionHarness, first: str, second: str
) -> None:
    question = await questions.submitted()
    decisions = {
        "approve": lambda: questions.service.review.approve(question.id),
        "reject": lambda: questions.service.review.reject(question.id, ""),
        "block": lambda: questions.service.review.block(question.id),
    }
    await decisions[first]()
    calls = len(questions.desk.calls)

    error = await user_error(decisions[second](), "questions.already_decided")

    assert error.params == {"number": 1}
    assert len(questions.desk.calls) == calls


@pytest.mark.parametrize(
    ("first", "second"),
    [("approve", "approve"), ("approve", "reject"), ("reject", "approve"), ("reject", "reject")],
)
async def test_two_reviewers_deciding_at_once_make_one_decision(
    questions: QuestionHarness, monkeypatch: pytest.MonkeyPatch, first: str, second: str
) -> None:
    question = await questions.submitted()
    decisions = {
        "approve": lambda: questions.service.review.approve(question.id),
        "reject": lambda: questions.service.review.reject(question.id, "a reason"),
    }
    interleave(monkeypatch, QuestionContext, "question")  # both reviewers see the question pending

    results = await asyncio.gather(decisions[first](), decisions[second](), return_exceptions=True)

    refused = [r for r in results if isinstance(r, UserError)]
    assert [r.key for r in refused] == ["questions.already_decided"]
    status = (await questions.service.question(question.id)).status
    published, dms = len(questions.desk.posts(QUESTIONS_CHANNEL)), len(questions.desk.dms())
    assert (published, dms) == ((1, 0) if status is QuestionStatus.PUBLISHED else (0, 1))
    assert len(questions.desk.threads()) == published


async def test_approving_an_unknown_question_is_a_user_error(questions: QuestionHarness) -> None:
    await user_error(questions.service.review.approve(12345), "questions.error.unknown_question")


# --- reject -------------------------------------------------------------------------------------------------


async def test_reject_sets_the_status_and_updates_the_review_card(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    rejected = await questions.service.review.reject(question.id, "")

    assert rejected.status is QuestionStatus.REJECTED
    (edit,) = questions.desk.of("edit")
    assert "Rejected." in card_text(edit.card)
    assert questions.desk.posts(QUESTIONS_CHANNEL) == []


async def test_reject_with_a_reason_tells_the_asker_the_reason_by_dm(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    await questions.service.review.reject(question.id, "  Please don't name the clinic.  ")

    (dm,) = questions.desk.dms()
    assert dm.target == ASKER
    assert "Their note: Please don't name the clinic." in card_text(dm.card)
    assert "About your question #1" in card_text(dm.card)


async def test_reject_without_a_reason_sends_no_note(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    await questions.service.review.reject(question.id, "   ")

    (dm,) = questions.desk.dms(ASKER)
    assert "Their note" not in card_text(dm.card)


async def test_reject_of_an_asker_who_declined_answers_sends_no_dm(questions: QuestionHarness) -> None:
    question = await questions.submitted(relay=False)

    await questions.service.review.reject(question.id, "a reason")

    assert questions.desk.dms() == []


async def test_reject_cuts_a_long_reason_to_1000_characters(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    await questions.service.review.reject(question.id, "r" * 1500)

    (dm,) = questions.desk.dms()
    assert "r" * 1000 in card_text(dm.card)
    assert "r" * 1001 not in card_text(dm.card)


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_the_rejection_dm_is_in_the_askers_language(questions: QuestionHarness, lang: str) -> None:
    question = await questions.submitted(lang=lang)

    await questions.service.review.reject(question.id, "")

    titles = {"en": "About your question #1", "fr": "Au sujet de votre question no 1"}
    assert titles[lang] in card_text(questions.desk.dms()[0].card)


@pytest.mark.parametrize("closed", ["returns-false", "raises"])
async def test_reject_succeeds_when_the_asker_does_not_accept_dms(
    questions: QuestionHarness, closed: str
) -> None:
    question = await questions.submitted()
    if closed == "raises":
        questions.desk.fail["dm"] = 1
    else:
        questions.desk.closed_dms.add(ASKER)

    rejected = await questions.service.review.reject(question.id, "a reason")

    assert rejected.status is QuestionStatus.REJECTED


# --- block -----------------------------------------------------------------------------------------------------


async def test_block_rejects_the_pending_question_and_returns_the_askers_code(
    questions: QuestionHarness,
) -> None:
    question = await questions.submitted()

    blocked, code = await questions.service.review.block(question.id)

    assert blocked.status is QuestionStatus.BLOCKED
    assert code == short_code(question.pseudonym)
    assert "asker blocked" in card_text(questions.desk.of("edit")[-1].card)


async def test_block_sends_the_asker_nothing(questions: QuestionHarness) -> None:
    await questions.service.review.block((await questions.submitted()).id)

    assert questions.desk.dms() == []


async def test_blocking_after_publishing_keeps_the_question_published(questions: QuestionHarness) -> None:
    question = await questions.published()

    blocked, _ = await questions.service.review.block(question.id)

    assert blocked.status is QuestionStatus.PUBLISHED
    assert len(await questions.rows("question_blocks")) == 1


async def test_blocking_the_same_asker_twice_keeps_one_block(questions: QuestionHarness) -> None:
    first = await questions.submitted()
    second = await questions.submitted("another")
    await questions.service.review.block(first.id)

    await questions.service.review.block(second.id)

    assert len(await questions.rows("question_blocks")) == 1
    assert (await questions.service.question(second.id)).status is QuestionStatus.BLOCKED


# --- urgent -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("toggles", "urgent"), [(1, True), (2, False)])
async def test_toggle_urgent_flips_the_flag(questions: QuestionHarness, toggles: int, urgent: bool) -> None:
    question = await questions.submitted()
    for _ in range(toggles):
        toggled = await questions.service.review.toggle_urgent(question.id)

    assert toggled.urgent is urgent
    assert (await questions.service.question(question.id)).urgent is urgent


async def test_toggle_urgent_updates_the_review_card(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    await questions.service.review.toggle_urgent(question.id)

    (edit,) = questions.desk.of("edit")
    assert edit.message_id == question.review_message_id
    assert "Marked urgent" in card_text(edit.card)
    assert "Unmark urgent" in card_text(edit.card)


# --- resuming after a crash ----------------------------------------------------------------------------------------


async def test_a_failed_review_post_leaves_the_question_pending_without_a_card(
    questions: QuestionHarness,
) -> None:
    question_id = await asked_id(questions)
    questions.desk.fail["post"] = 1

    with pytest.raises(DeliveryError):
        await questions.service.review.deliver(question_id)

    question = await questions.service.question(question_id)
    assert (question.status, question.review_message_id) == (QuestionStatus.PENDING, None)


async def test_deliver_pending_posts_the_review_card_that_failed_before(questions: QuestionHarness) -> None:
    question_id = await asked_id(questions)
    questions.desk.fail["post"] = 1
    with pytest.raises(DeliveryError):
        await questions.service.review.deliver(question_id)

    await questions.service.review.deliver_pending()

    assert len(questions.desk.delivered_posts(REVIEW_CHANNEL)) == 1
    assert (await questions.service.question(question_id)).review_message_id is not None


async def test_a_review_card_that_reached_discord_before_a_crash_is_not_posted_again(
    questions: QuestionHarness,
) -> None:
    # The answer was lost and the nonce window is long gone: the channel, not the nonce, tells.
    question_id = await asked_id(questions)
    questions.desk.fail["post_lost"] = 1
    with pytest.raises(DeliveryError):
        await questions.service.review.deliver(question_id)

    await questions.service.review.deliver_pending()

    (only,) = questions.desk.delivered_posts(REVIEW_CHANNEL)
    assert (await questions.service.question(question_id)).review_message_id == only


async def test_a_published_question_that_reached_discord_before_a_crash_is_not_posted_again(
    questions: QuestionHarness,
) -> None:
    question = await questions.submitted()
    questions.desk.fail["post_lost"] = 1
    with pytest.raises(DeliveryError):
        await questions.service.review.approve(question.id)

    await questions.service.review.deliver_pending()

    (only,) = questions.desk.delivered_posts(QUESTIONS_CHANNEL)
    assert (await questions.service.question(question.id)).published_message_id == only


async def test_deliver_pending_goes_on_after_one_question_fails(questions: QuestionHarness) -> None:
    first = await asked_id(questions)
    second = await asked_id(questions, user=OTHER_USER)
    questions.desk.fail["post"] = 1

    await questions.service.review.deliver_pending()

    delivered = [(await questions.service.question(i)).review_message_id is not None for i in (first, second)]
    assert sorted(delivered) == [False, True]


async def test_a_crash_between_post_and_thread_is_resumed_without_posting_twice(
    questions: QuestionHarness,
) -> None:
    question = await questions.submitted()
    questions.desk.fail["thread"] = 1
    with pytest.raises(DeliveryError):
        await questions.service.review.approve(question.id)
    interrupted = await questions.service.question(question.id)

    await questions.service.review.deliver_pending()

    resumed = await questions.service.question(question.id)
    assert interrupted.status is QuestionStatus.PUBLISHED
    assert interrupted.published_message_id is not None
    assert interrupted.thread_id is None
    assert len(questions.desk.posts(QUESTIONS_CHANNEL)) == 1
    (thread,) = questions.desk.threads()
    assert thread.message_id == interrupted.published_message_id
    assert resumed.thread_id == thread.result


async def test_a_failed_publication_is_posted_by_deliver_pending(questions: QuestionHarness) -> None:
    question = await questions.submitted()
    questions.desk.fail["post"] = 1
    with pytest.raises(DeliveryError):
        await questions.service.review.approve(question.id)

    await questions.service.review.deliver_pending()

    assert len(questions.desk.delivered_posts(QUESTIONS_CHANNEL)) == 1
    assert len(questions.desk.threads()) == 1
    assert (await questions.service.question(question.id)).thread_id is not None


async def test_a_published_question_with_its_thread_is_not_delivered_again(
    questions: QuestionHarness,
) -> None:
    question = await questions.published()
    calls = list(questions.desk.calls)

    await questions.service.review.deliver(question.id)
    await questions.service.review.deliver_pending()

    assert questions.desk.calls == calls


async def test_deliver_pending_publishes_in_each_guilds_own_channel(questions: QuestionHarness) -> None:
    await questions.setup_guild(OTHER_GUILD)
    for guild in (GUILD, OTHER_GUILD):
        await questions.service.queue.set_review_required(guild, False)
        await asked_id(questions, guild=guild)

    await questions.service.review.deliver_pending()

    assert sorted(c.target for c in questions.desk.posts()) == sorted(
        [QUESTIONS_CHANNEL, OTHER_QUESTIONS_CHANNEL]
    )


# --- racing deliveries --------------------------------------------------------------------------------


async def test_the_delivery_timer_racing_a_delivery_in_flight_publishes_once_and_raises_nothing(
    questions: QuestionHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await questions.service.queue.set_review_required(GUILD, False)
    question_id = await asked_id(questions)
    # both deliveries read the question pending and undecided
    interleave(monkeypatch, QuestionContext, "question")

    await asyncio.gather(
        questions.service.review.deliver(question_id), questions.service.review.deliver_pending()
    )

    assert [post.target for post in questions.desk.posts()] == [QUESTIONS_CHANNEL]
    assert (await questions.service.question(question_id)).status is QuestionStatus.PUBLISHED

"""QuestionIntake: drafts, submitting, numbering, blocked askers and the rate limit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from bot.domain.questions import QuestionStatus
from bot.domain.settings import ChannelPurpose
from bot.errors import UserError
from bot.services.question_context import QuestionPolicy
from bot.services.question_intake import QuestionIntake, Submitted
from bot.services.questions import Questions
from tests.bot.services.question_fakes import (
    ASKER,
    GUILD,
    OTHER_GUILD,
    OTHER_USER,
    QUESTION,
    QUESTIONS_CHANNEL,
    QuestionHarness,
    card_text,
    interleave,
    user_error,
)

THIRD_GUILD = 323456789012345678


# --- which communities take questions ---------------------------------------------------------------


async def test_accepting_guilds_keeps_only_guilds_with_both_question_channels(
    questions: QuestionHarness,
) -> None:
    no_review_channel = {ChannelPurpose.QUESTIONS: QUESTIONS_CHANNEL}
    await questions.settings.bootstrap(THIRD_GUILD, no_review_channel, {})

    found = await questions.service.intake.accepting_guilds([GUILD, OTHER_GUILD, THIRD_GUILD])

    assert found == [GUILD]


async def test_accepting_guilds_lists_every_configured_guild_in_order(questions: QuestionHarness) -> None:
    await questions.setup_guild(OTHER_GUILD)

    assert await questions.service.intake.accepting_guilds([OTHER_GUILD, GUILD]) == [OTHER_GUILD, GUILD]


# --- drafts --------------------------------------------------------------------------------------------


async def test_start_draft_in_one_community_picks_it_and_answers_by_dm_by_default(
    questions: QuestionHarness,
) -> None:
    draft, card = await questions.service.intake.start_draft(ASKER, f"  {QUESTION}  ", 0, [GUILD])

    assert (draft.guild_id, draft.text, draft.relay) == (GUILD, QUESTION, True)
    assert QUESTION in card_text(card)


async def test_start_draft_in_several_communities_asks_to_choose(questions: QuestionHarness) -> None:
    draft, card = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD, OTHER_GUILD])

    assert draft.guild_id is None
    assert "choose where to ask" in card_text(card)


async def test_start_draft_without_a_community_is_refused(questions: QuestionHarness) -> None:
    await user_error(
        questions.service.intake.start_draft(ASKER, QUESTION, 0, []), "questions.intake.no_community"
    )


@pytest.mark.parametrize("attachments", [1, 3])
async def test_start_draft_with_attachments_is_refused_and_keeps_nothing(
    questions: QuestionHarness, attachments: int
) -> None:
    await user_error(
        questions.service.intake.start_draft(ASKER, QUESTION, attachments, [GUILD]),
        "questions.error.attachment",
    )

    assert await questions.rows("question_drafts") == []


@pytest.mark.parametrize("attachments", [1, 2])
async def test_an_attachment_alone_is_refused_as_an_attachment_not_as_empty_text(
    questions: QuestionHarness, attachments: int
) -> None:
    await user_error(
        questions.service.intake.start_draft(ASKER, "", attachments, [GUILD]), "questions.error.attachment"
    )


@pytest.mark.parametrize(
    ("text", "key"), [("   ", "questions.error.empty"), ("x" * 1801, "questions.error.too_long")]
)
async def test_start_draft_checks_the_text(questions: QuestionHarness, text: str, key: str) -> None:
    await user_error(questions.service.intake.start_draft(ASKER, text, 0, [GUILD]), key)


async def test_submitting_a_draft_in_several_communities_needs_a_choice_first(
    questions: QuestionHarness,
) -> None:
    draft, _ = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD, OTHER_GUILD])

    await user_error(
        questions.service.intake.submit_draft(draft.id, ASKER, hold=False, lang="en"),
        "questions.intake.choose_guild",
    )


async def test_choose_guild_then_submit_asks_in_the_chosen_community(questions: QuestionHarness) -> None:
    await questions.setup_guild(OTHER_GUILD)
    draft, _ = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD, OTHER_GUILD])

    chosen = await questions.service.intake.choose_guild(draft.id, ASKER, OTHER_GUILD)
    submitted = await questions.service.intake.submit_draft(draft.id, ASKER, hold=False, lang="en")

    assert chosen.guild_id == OTHER_GUILD
    (row,) = await questions.question_rows()
    assert (row["guild_id"], row["id"]) == (OTHER_GUILD, submitted.question_id)


async def test_submitting_a_draft_deletes_it(questions: QuestionHarness) -> None:
    draft, _ = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD])

    await questions.service.intake.submit_draft(draft.id, ASKER, hold=False, lang="en")

    assert await questions.rows("question_drafts") == []
    await user_error(
        questions.service.intake.submit_draft(draft.id, ASKER, hold=False, lang="en"),
        "questions.intake.draft_gone",
    )


@pytest.mark.parametrize(("toggles", "relay"), [(0, True), (1, False), (2, True)])
async def test_toggle_relay_decides_whether_the_question_keeps_a_relay_target(
    questions: QuestionHarness, toggles: int, relay: bool
) -> None:
    draft, _ = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD])
    for _ in range(toggles):
        draft = await questions.service.intake.toggle_relay(draft.id, ASKER)

    submitted = await questions.service.intake.submit_draft(draft.id, ASKER, hold=False, lang="en")

    assert draft.relay is relay
    (row,) = await questions.question_rows()
    assert (row["relay_sealed"] is not None) is relay
    assert (await questions.service.question(submitted.question_id or 0)).relay is relay


async def test_cancel_draft_deletes_it(questions: QuestionHarness) -> None:
    draft, _ = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD])

    await questions.service.intake.cancel_draft(draft.id, ASKER)

    assert await questions.rows("question_drafts") == []
    assert await questions.question_rows() == []


DRAFT_ACTIONS: dict[str, Callable[[Questions, int, int], Awaitable[object]]] = {
    "submit": lambda s, d, u: s.intake.submit_draft(d, u, hold=False, lang="en"),
    "hold": lambda s, d, u: s.intake.submit_draft(d, u, hold=True, lang="en"),
    "choose_guild": lambda s, d, u: s.intake.choose_guild(d, u, OTHER_GUILD),
    "toggle_relay": lambda s, d, u: s.intake.toggle_relay(d, u),
    "cancel": lambda s, d, u: s.intake.cancel_draft(d, u),
}


@pytest.mark.parametrize("action", list(DRAFT_ACTIONS))
async def test_draft_buttons_pressed_by_another_user_find_no_draft(
    questions: QuestionHarness, action: str
) -> None:
    draft, _ = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD])

    await user_error(
        DRAFT_ACTIONS[action](questions.service, draft.id, OTHER_USER), "questions.intake.draft_gone"
    )


@pytest.mark.parametrize("action", list(DRAFT_ACTIONS))
async def test_draft_buttons_pressed_by_another_user_leave_the_draft_unchanged(
    questions: QuestionHarness, action: str
) -> None:
    draft, _ = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD])

    with pytest.raises(UserError):
        await DRAFT_ACTIONS[action](questions.service, draft.id, OTHER_USER)

    (row,) = await questions.rows("question_drafts")
    assert (row["guild_id"], row["relay"], row["text"]) == (GUILD, True, QUESTION)
    assert await questions.question_rows() == []


@pytest.mark.parametrize("action", list(DRAFT_ACTIONS))
async def test_draft_buttons_on_a_cancelled_draft_find_no_draft(
    questions: QuestionHarness, action: str
) -> None:
    draft, _ = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD])
    await questions.service.intake.cancel_draft(draft.id, ASKER)

    await user_error(DRAFT_ACTIONS[action](questions.service, draft.id, ASKER), "questions.intake.draft_gone")


async def test_a_double_click_on_submit_stores_one_question(
    questions: QuestionHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft, _ = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD])
    interleave(monkeypatch, QuestionIntake, "_own_draft")  # both clicks find the draft before either submits

    results = await asyncio.gather(
        questions.service.intake.submit_draft(draft.id, ASKER, hold=False, lang="en"),
        questions.service.intake.submit_draft(draft.id, ASKER, hold=True, lang="en"),
        return_exceptions=True,
    )

    assert len(await questions.question_rows()) == 1
    submitted = [r for r in results if isinstance(r, Submitted)]
    refused = [r.key for r in results if isinstance(r, UserError)]
    assert ([s.number for s in submitted], refused) == ([1], ["questions.intake.draft_gone"])


async def test_drafts_older_than_two_days_go_in_the_hourly_purge_not_in_a_dm(
    questions: QuestionHarness,
) -> None:
    old, _ = await questions.service.intake.start_draft(OTHER_USER, "an old draft", 0, [GUILD])
    questions.clock.advance(timedelta(days=2, minutes=1))
    draft, _ = await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD])
    before_purge = [row["id"] for row in await questions.rows("question_drafts")]

    await questions.service.forgetting.purge_expired()

    assert before_purge == [old.id, draft.id]
    assert [row["id"] for row in await questions.rows("question_drafts")] == [draft.id]


async def test_start_draft_keeps_recent_drafts_of_others(questions: QuestionHarness) -> None:
    await questions.service.intake.start_draft(OTHER_USER, "a recent draft", 0, [GUILD])
    questions.clock.advance(timedelta(days=1))

    await questions.service.intake.start_draft(ASKER, QUESTION, 0, [GUILD])

    assert len(await questions.rows("question_drafts")) == 2


# --- submitting -------------------------------------------------------------------------------------------


async def test_submit_commits_the_question_before_anything_is_delivered(questions: QuestionHarness) -> None:
    submitted = await questions.ask()

    (row,) = await questions.question_rows()  # read in a fresh session: committed
    assert row["id"] == submitted.question_id
    assert (row["status"], row["text"], row["number"]) == ("pending", QUESTION, 1)
    assert questions.desk.calls == []


async def test_submitted_tells_the_number_and_whether_held(questions: QuestionHarness) -> None:
    first = await questions.ask()
    second = await questions.ask(hold=True)

    assert (first.number, first.held) == (1, False)
    assert (second.number, second.held) == (2, True)


async def test_numbers_count_up_per_guild_separately(questions: QuestionHarness) -> None:
    await questions.setup_guild(OTHER_GUILD)
    order = [GUILD, OTHER_GUILD, GUILD, GUILD, OTHER_GUILD]

    numbers = [(guild, (await questions.ask(guild=guild, user=i)).number) for i, guild in enumerate(order)]

    assert numbers == [(GUILD, 1), (OTHER_GUILD, 1), (GUILD, 2), (GUILD, 3), (OTHER_GUILD, 2)]


async def test_submit_direct_to_a_guild_without_question_channels_is_refused(
    questions: QuestionHarness,
) -> None:
    await user_error(questions.ask(guild=OTHER_GUILD), "questions.error.no_review_channel")

    assert await questions.question_rows() == []


@pytest.mark.parametrize(
    ("text", "key"), [("", "questions.error.empty"), ("é" * 1801, "questions.error.too_long")]
)
async def test_submit_direct_checks_the_text(questions: QuestionHarness, text: str, key: str) -> None:
    await user_error(questions.ask(text), key)

    assert await questions.question_rows() == []


async def test_submit_direct_stores_the_stripped_text(questions: QuestionHarness) -> None:
    await questions.ask(f"\n  {QUESTION}  \n")

    (row,) = await questions.question_rows()
    assert row["text"] == QUESTION


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_submit_keeps_the_language_to_answer_in(questions: QuestionHarness, lang: str) -> None:
    submitted = await questions.ask(lang=lang)  # type: ignore[arg-type]

    assert (await questions.service.question(submitted.question_id or 0)).lang == lang


@pytest.mark.parametrize(
    ("text", "urgent"),
    [("My friend is overdosing, what do I do?", True), ("Où trouver de la naloxone?", False)],
)
async def test_submit_flags_urgent_questions(questions: QuestionHarness, text: str, urgent: bool) -> None:
    submitted = await questions.ask(text)

    assert (await questions.service.question(submitted.question_id or 0)).urgent is urgent


async def test_submit_flags_the_configured_extra_urgent_words(questions: QuestionHarness) -> None:
    service = questions.with_policy(QuestionPolicy(urgent_words=("falling out",)))

    submitted = await service.intake.submit_direct(
        GUILD, ASKER, "he's falling out", hold=False, relay=False, lang="en"
    )

    assert (await service.question(submitted.question_id or 0)).urgent


# --- blocks ------------------------------------------------------------------------------------------------


async def test_a_blocked_asker_gets_a_neutral_answer_and_nothing_is_stored(
    questions: QuestionHarness,
) -> None:
    question = await questions.submitted()
    await questions.service.review.block(question.id)
    before = await questions.question_rows()

    submitted = await questions.ask("another one")

    assert submitted == Submitted(number=None, held=False)
    assert await questions.question_rows() == before


async def test_a_blocked_asker_submitting_a_draft_gets_a_neutral_answer_and_the_draft_is_gone(
    questions: QuestionHarness,
) -> None:
    await questions.service.review.block((await questions.submitted()).id)
    draft, _ = await questions.service.intake.start_draft(ASKER, "again", 0, [GUILD])

    submitted = await questions.service.intake.submit_draft(draft.id, ASKER, hold=True, lang="en")

    assert submitted.number is None
    assert len(await questions.question_rows()) == 1
    assert await questions.rows("question_drafts") == []


async def test_block_stores_the_pseudonym_not_the_user(questions: QuestionHarness) -> None:
    question = await questions.submitted()

    _, code = await questions.service.review.block(question.id)

    (row,) = await questions.rows("question_blocks")
    assert (row["guild_id"], row["pseudonym"]) == (GUILD, questions.privacy.pseudonym(GUILD, ASKER))
    assert code is not None and code.replace("-", "").lower() == row["code"] == question.pseudonym[:8]


async def test_a_block_does_not_affect_other_askers(questions: QuestionHarness) -> None:
    await questions.service.review.block((await questions.submitted()).id)

    submitted = await questions.ask(user=OTHER_USER)

    assert submitted.number == 2


async def test_a_block_in_one_guild_does_not_block_in_another(questions: QuestionHarness) -> None:
    await questions.setup_guild(OTHER_GUILD)
    await questions.service.review.block((await questions.submitted()).id)

    submitted = await questions.ask(guild=OTHER_GUILD)

    assert submitted.number == 1


# --- rate limit --------------------------------------------------------------------------------------------


async def test_the_sixth_question_within_an_hour_is_refused_politely(questions: QuestionHarness) -> None:
    for i in range(5):
        await questions.ask(f"question {i}")
        questions.clock.advance(timedelta(minutes=10))

    error = await user_error(questions.ask("one too many"), "questions.error.rate_limited")

    assert error.params == {"limit": 5}
    assert len(await questions.question_rows()) == 5


@pytest.mark.parametrize(
    ("later", "accepted"), [(timedelta(minutes=59), False), (timedelta(hours=1, seconds=1), True)]
)
async def test_an_hour_after_the_first_question_the_asker_may_ask_again(
    questions: QuestionHarness, later: timedelta, accepted: bool
) -> None:
    start = questions.clock.now()
    for i in range(5):
        await questions.ask(f"question {i}")
    questions.clock.set(start + later)

    if accepted:
        assert (await questions.ask("the next hour")).number == 6
    else:
        await user_error(questions.ask("still too soon"), "questions.error.rate_limited")


async def test_the_rate_limit_is_per_asker(questions: QuestionHarness) -> None:
    for i in range(5):
        await questions.ask(f"question {i}")

    assert (await questions.ask(user=OTHER_USER)).number == 6


async def test_the_rate_limit_is_per_guild(questions: QuestionHarness) -> None:
    await questions.setup_guild(OTHER_GUILD)
    for i in range(5):
        await questions.ask(f"question {i}")

    assert (await questions.ask(guild=OTHER_GUILD)).number == 1


@pytest.mark.parametrize("limit", [1, 2])
async def test_the_rate_limit_follows_the_policy(questions: QuestionHarness, limit: int) -> None:
    service = questions.with_policy(QuestionPolicy(rate_per_hour=limit))
    for i in range(limit):
        await service.intake.submit_direct(GUILD, ASKER, f"q{i}", hold=False, relay=False, lang="en")

    error = await user_error(
        service.intake.submit_direct(GUILD, ASKER, "over", hold=False, relay=False, lang="en"),
        "questions.error.rate_limited",
    )
    assert error.params == {"limit": limit}


async def test_a_rate_limited_draft_is_kept_to_submit_later(questions: QuestionHarness) -> None:
    for i in range(5):
        await questions.ask(f"question {i}")
    draft, _ = await questions.service.intake.start_draft(ASKER, "the sixth", 0, [GUILD])
    await user_error(
        questions.service.intake.submit_draft(draft.id, ASKER, hold=False, lang="en"),
        "questions.error.rate_limited",
    )
    questions.clock.advance(timedelta(hours=1, minutes=1))

    submitted = await questions.service.intake.submit_draft(draft.id, ASKER, hold=False, lang="en")

    assert submitted.number == 6


async def test_rejected_and_blocked_questions_do_not_change_numbering(questions: QuestionHarness) -> None:
    first = await questions.submitted()
    await questions.service.review.reject(first.id, "")

    assert (await questions.ask(user=OTHER_USER)).number == 2
    assert [row["status"] for row in await questions.question_rows()] == [
        QuestionStatus.REJECTED.value,
        QuestionStatus.PENDING.value,
    ]

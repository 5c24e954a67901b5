"""Issue 9 through the sandbox: nothing anyone else sees depends on whether the presser asked the
question, is blocked, or accepts DMs; follow-ups wait for review; the random delay holds across a restart."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.clock import SystemClock
from bot.i18n import default_catalog
from sandbox import Sandbox, SandboxClient
from tests.e2e.conftest import Live, bot_per_test, running_bot
from tests.e2e.question_steps import (
    answer_latest,
    approve_latest,
    button,
    dm_containing,
    last_message,
    reply_text,
    submit_and_review,
    submit_by_dm,
    text_of,
)

CATALOG = default_catalog()


live = pytest.fixture(bot_per_test, name="live")  # a fresh bot and sandbox for every test


async def _thread_posts(client: SandboxClient) -> list[dict[str, Any]]:
    post = await last_message(client, "questions")
    return await client.channel_messages(post["thread_id"])


def _shape(message: dict[str, Any]) -> list[tuple[str, str]]:
    """What a thread post shows, with the signer's name taken out."""
    return [
        ((e.get("title") or "").replace("Alex", "NAME").replace("Sam", "NAME"), e.get("description") or "")
        for e in message.get("embeds") or []
    ]


async def test_the_asker_and_a_member_pressing_answer_get_the_same_public_result(live: Live) -> None:
    client = live.client
    await submit_and_review(client, "alex", "Is it safe to mix these two?")
    await approve_latest(client)

    by_asker = await answer_latest(client, "alex", "Same words")
    by_member = await answer_latest(client, "sam", "Same words")

    first, second = (await _thread_posts(client))[-2:]
    assert _shape(first) == _shape(second) == [("Answer from NAME · Réponse de NAME", "Same words")]
    assert "Alex" in text_of(first) and "Sam" in text_of(second)  # each signed like anyone's
    assert reply_text(by_asker) == reply_text(by_member)
    assert reply_text(by_asker).strip() == CATALOG.t("en", "questions.answered")
    assert await client.violations() == []


async def test_a_blocked_askers_signed_answer_is_posted_like_anyones(live: Live) -> None:
    client = live.client
    await submit_and_review(client, "alex", "A question that gets published")
    await approve_latest(client)
    card = await submit_and_review(client, "alex", "A question that gets the asker blocked")
    await client.component("fiona", card["id"], button(card, "block"))

    answered = await answer_latest(client, "alex", "Answering while blocked")

    last = (await _thread_posts(client))[-1]
    assert _shape(last) == [("Answer from NAME · Réponse de NAME", "Answering while blocked")]
    assert reply_text(answered).strip() == CATALOG.t("en", "questions.answered")
    unblocked = await client.command("fiona", "questions unblock", {"code": _code_of(card)})
    assert unblocked["response"]["type"] == 4


def _code_of(card: dict[str, Any]) -> str:
    text = text_of(card)
    start = text.index("**") + 2
    return text[start : text.index("**", start)]


async def test_the_answerers_acknowledgement_is_the_same_with_dms_open_or_closed(live: Live) -> None:
    client = live.client
    await submit_and_review(client, "alex", "Where is the closest drop-in?")
    await approve_latest(client)

    with_dms = await answer_latest(client, "sam", "Try the one on Main.")
    await dm_containing(client, "alex", "Try the one on Main.")
    await client.set_dms_open("alex", False)
    try:
        without_dms = await answer_latest(client, "sam", "Or the one on King.")
    finally:
        await client.set_dms_open("alex", True)

    assert reply_text(with_dms) == reply_text(without_dms)
    assert reply_text(with_dms).strip() == CATALOG.t("en", "questions.answered")
    assert await client.violations() == []


async def test_a_follow_up_waits_for_review_before_reaching_the_thread(live: Live) -> None:
    client = live.client
    await submit_and_review(client, "alex", "How do I store naloxone?")
    await approve_latest(client)
    await answer_latest(client, "sam", "Room temperature, away from light.")
    relayed = await dm_containing(client, "alex", "Room temperature, away from light.")
    before = len(await client.channel_messages("question-review"))

    opened = await client.component("alex", relayed["id"], button(relayed, "follow-up"))
    sent = await client.modal("alex", opened["interaction_id"], {"text": "And in a car in winter?"})

    card = await last_message(client, "question-review", before + 1)
    assert "And in a car in winter?" in text_of(card)
    assert "And in a car in winter?" not in str(await _thread_posts(client))
    assert "#" in reply_text(sent) and "alex" not in text_of(card).lower()
    await client.component("fiona", card["id"], button(card, "approve"))
    assert "And in a car in winter?" in text_of((await _thread_posts(client))[-1])


async def test_the_random_delay_holds_back_the_review_card_and_survives_a_restart(tmp_path: Path) -> None:
    sandbox = Sandbox(seed=True)
    await sandbox.start(port=0)
    try:
        async with running_bot(tmp_path, SystemClock(), sandbox, question_delay=(3, 3)) as live:
            submitted = await submit_by_dm(live.client, "alex", "Asked just before a restart")
            assert CATALOG.t("en", "questions.privacy.delay_note") in reply_text(submitted)
            assert await live.client.channel_messages("question-review") == []
        async with running_bot(
            tmp_path, SystemClock(), sandbox, bootstrap=False, question_delay=(3, 3)
        ) as live:
            assert await live.client.channel_messages("question-review") == []  # not early after a restart
            card = await last_message(live.client, "question-review", within=10)
            assert "Asked just before a restart" in text_of(card)
    finally:
        await sandbox.stop()


async def test_without_a_delay_the_asker_is_not_told_about_one(live: Live) -> None:
    submitted = await submit_by_dm(live.client, "alex", "No delay in tests")
    await asyncio.sleep(0)
    assert CATALOG.t("en", "questions.privacy.delay_note") not in reply_text(submitted)


async def test_the_client_pings_nobody_unless_a_call_says_so(live: Live) -> None:
    mentions = live.app.bot.allowed_mentions
    assert mentions is not None
    assert mentions.to_dict() == {"parse": []}


async def test_only_the_asker_is_told_privately_that_their_answer_carries_their_name(live: Live) -> None:
    client = live.client
    await submit_and_review(client, "alex", "Who can prescribe safer supply?")
    await approve_latest(client)
    post = await last_message(client, "questions")

    for_asker = await client.component("alex", post["id"], button(post, "answer"))
    for_member = await client.component("sam", post["id"], button(post, "answer"))

    hint = CATALOG.t("en", "questions.privacy.answer_named")
    assert hint in str(for_asker["response"]) and hint not in str(for_member["response"])
    assert (
        for_asker["response"]["type"] == for_member["response"]["type"] == 9
    )  # a modal, seen by the presser only

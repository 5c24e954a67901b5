"""Anonymous questions through the sandbox with the real discord.py client: DM → review → publish →
answer → relayed DM → follow-up, /ask, reject, block, rate limit, attachments, mentions, French."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.i18n import default_catalog
from sandbox import Sandbox
from tests.e2e.conftest import Live, bot_per_test, running_bot
from tests.e2e.question_steps import (
    answer_latest,
    approve_latest,
    bot_dms,
    button,
    custom_ids,
    dm_and_wait,
    dm_containing,
    last_message,
    reply_text,
    submit_by_dm,
    text_of,
)

CATALOG = default_catalog()


live = pytest.fixture(bot_per_test, name="live")  # a fresh bot and sandbox for every test


# --- the whole path --------------------------------------------------------------------------------
async def test_dm_question_reaches_review_with_only_a_code(live: Live) -> None:
    result = await submit_by_dm(live.client, "alex", "Where can I get naloxone kits?")
    assert "#1" in reply_text(result)
    card = await last_message(live.client, "question-review")
    assert "Where can I get naloxone kits?" in text_of(card)
    assert "alex" not in text_of(card).lower()
    assert str(live.sandbox.seed.users["alex"]) not in str(card)
    assert {cid.split(":")[1] for cid in custom_ids(card)} == {"approve", "reject", "block", "urgent"}
    assert await live.client.violations() == []


async def test_approve_publish_answer_relay_and_follow_up(live: Live) -> None:
    client = live.client
    await submit_by_dm(client, "alex", "Is fentanyl test strip use legal in Ontario?")
    approved = await approve_latest(client)
    assert "#1" in reply_text(approved)
    post = await last_message(client, "questions")
    assert CATALOG.t("en", "questions.public.title", number=1) in text_of(post)
    assert post["thread_id"], "a discussion thread is opened on the published question"

    answered = await answer_latest(client, "sam", "Yes, possessing test strips is legal.")
    assert CATALOG.t("en", "questions.answered") in reply_text(answered)
    thread = await client.channel_messages(post["thread_id"])
    assert "Yes, possessing test strips is legal." in text_of(thread[-1])
    assert "Sam" in text_of(thread[-1])

    relayed = await dm_containing(client, "alex", "Yes, possessing test strips is legal.")
    assert "Yes, possessing test strips is legal." in text_of(relayed)
    opened = await client.component("alex", relayed["id"], button(relayed, "follow-up"))
    reviews = len(await client.channel_messages("question-review"))
    await client.modal("alex", opened["interaction_id"], {"text": "Thanks! And in Quebec?"})
    card = await last_message(client, "question-review", reviews + 1)
    assert "Thanks! And in Quebec?" in text_of(card)
    assert "Thanks! And in Quebec?" not in text_of((await client.channel_messages(post["thread_id"]))[-1])
    await client.component("fiona", card["id"], button(card, "approve"))
    thread = await client.channel_messages(post["thread_id"])
    assert "Thanks! And in Quebec?" in text_of(thread[-1])
    assert CATALOG.t("en", "questions.public.follow_up_header") in text_of(thread[-1])
    assert "alex" not in text_of(thread[-1]).lower()
    assert await client.violations() == []


async def test_a_facilitator_can_answer_unsigned(live: Live) -> None:
    await submit_by_dm(live.client, "alex", "Who runs the Thursday drop-in?")
    await approve_latest(live.client)
    await answer_latest(live.client, "farah", "The facilitators, together.", kind="answer-facilitator")
    post = await last_message(live.client, "questions")
    last = (await live.client.channel_messages(post["thread_id"]))[-1]
    assert CATALOG.t("en", "questions.public.a_facilitator") in text_of(last)
    assert "Farah" not in text_of(last)


async def test_ask_command_opens_a_modal_and_leaves_no_trace(live: Live) -> None:
    client = live.client
    before = {c: len(await client.channel_messages(c)) for c in ("general", "questions")}
    opened = await client.command("riley", "ask", channel="general")
    assert opened["response"]["type"] == 9
    submitted = await client.modal(
        "riley", opened["interaction_id"], {"text": "Comment obtenir de la naloxone?"}
    )
    assert CATALOG.t("fr", "questions.intake.received", number=1) in reply_text(submitted)
    assert {c: len(await client.channel_messages(c)) for c in ("general", "questions")} == before
    assert "Comment obtenir de la naloxone?" in text_of(await last_message(client, "question-review"))


async def test_reject_with_a_reason_is_relayed_to_the_asker(live: Live) -> None:
    client = live.client
    await submit_by_dm(client, "alex", "Test question to reject")
    card = await last_message(client, "question-review")
    opened = await client.component("fiona", card["id"], button(card, "reject"))
    await client.modal("fiona", opened["interaction_id"], {"text": "Please ask this in #general instead."})
    notice = (await bot_dms(client, "alex"))[-1]
    assert "Please ask this in #general instead." in text_of(notice)
    assert await client.channel_messages("questions") == []


async def test_a_blocked_asker_gets_a_neutral_answer_and_nothing_is_posted(live: Live) -> None:
    client = live.client
    await submit_by_dm(client, "sam", "first")
    card = await last_message(client, "question-review")
    blocked = await client.component("fiona", card["id"], button(card, "block"))
    assert "blocked" in reply_text(blocked).lower()
    reviews_before = len(await client.channel_messages("question-review"))
    result = await submit_by_dm(client, "sam", "second try")
    assert CATALOG.t("en", "questions.intake.received_neutral") in reply_text(result)
    with pytest.raises(TimeoutError):  # watch a while: no review card appears
        await last_message(client, "question-review", reviews_before + 1, within=1.5)


async def test_members_cannot_use_review_buttons(live: Live) -> None:
    await submit_by_dm(live.client, "alex", "a question")
    result = await approve_latest(live.client, facilitator="sam")
    assert CATALOG.t("en", "error.not_facilitator") in reply_text(result)
    assert await live.client.channel_messages("questions") == []


async def test_the_sixth_question_in_an_hour_is_politely_refused(live: Live) -> None:
    for i in range(5):
        result = await submit_by_dm(live.client, "alex", f"question {i}")
        assert f"#{i + 1}" in reply_text(result)
    refused = await submit_by_dm(live.client, "alex", "one too many")
    assert CATALOG.t("en", "questions.error.rate_limited", limit=5) in reply_text(refused)


async def test_attachments_are_refused_with_an_explanation(live: Live) -> None:
    reply = await dm_and_wait(
        live.client,
        "alex",
        "see picture",
        attachments=[{"filename": "a.png", "content_type": "image/png", "size": 10}],
    )
    assert CATALOG.t("en", "questions.error.attachment") in reply["content"]
    assert CATALOG.t("fr", "questions.error.attachment") in reply["content"]
    assert custom_ids(reply) == []


async def test_too_long_gives_the_count(live: Live) -> None:
    reply = await dm_and_wait(live.client, "alex", "x" * 1801)
    assert CATALOG.t("en", "questions.error.too_long", count=1801, limit=1800) in reply["content"]


async def test_everyone_in_a_question_pings_nobody(live: Live) -> None:
    await submit_by_dm(live.client, "alex", "@everyone @here <@&1> look")
    await approve_latest(live.client)
    posts = [
        r for r in await live.client.requests() if r["method"] == "POST" and r["path"].endswith("/messages")
    ]
    assert posts
    for request in posts:
        body = request.get("body") or {}
        assert body.get("allowed_mentions", {}).get("parse") == [], request["path"]
    published = await last_message(live.client, "questions")
    assert not published.get("mention_everyone") and not published.get("mention_roles")


async def test_french_asker_gets_french_buttons_after_the_first_click(live: Live) -> None:
    client = live.client
    draft = await dm_and_wait(client, "riley", "Une question")
    toggled = await client.component("riley", draft["id"], button(draft, "draft-relay"))  # riley: locale fr
    assert CATALOG.t("fr", "questions.intake.relay_off") in reply_text(toggled)


async def test_urgent_words_are_flagged_for_reviewers(live: Live) -> None:
    await submit_by_dm(live.client, "alex", "My friend is not breathing after using, what do I do")
    card = await last_message(live.client, "question-review")
    assert CATALOG.t("en", "questions.review.urgent") in text_of(card)


async def test_forget_me_in_dm_stops_the_relay(live: Live) -> None:
    client = live.client
    await submit_by_dm(client, "alex", "Forget test")
    await approve_latest(client)
    reply = await dm_and_wait(client, "alex", "forget me")
    assert CATALOG.t("en", "members.forget.item.relays", count=1) in reply["content"]  # one forget-me for all
    dms_before = len(await bot_dms(client, "alex"))
    answered = await answer_latest(client, "sam", "An answer nobody relays")
    assert CATALOG.t("en", "questions.answered") in reply_text(answered)
    assert len(await bot_dms(client, "alex")) == dms_before


async def test_review_buttons_keep_working_after_a_restart(tmp_path: Path) -> None:
    sandbox = Sandbox(seed=True)
    await sandbox.start(port=0)
    try:
        async with running_bot(tmp_path, SystemClock(), sandbox) as live:
            await submit_by_dm(live.client, "alex", "Asked before the restart")
            card = await last_message(live.client, "question-review")
        async with running_bot(tmp_path, SystemClock(), sandbox, bootstrap=False) as live:
            approved = await live.client.component("fiona", card["id"], button(card, "approve"))
            assert "#1" in reply_text(approved)
            post = await last_message(live.client, "questions")
            assert "Asked before the restart" in text_of(post)
            assert await live.client.violations() == []
    finally:
        await sandbox.stop()

"""`sandbox-say` against the real bot: readable answers, the question round trip, `?brief=1`."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import pytest

from sandbox.say import run
from tests.e2e.conftest import Live

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def say(live: Live, *words: str) -> str:
    return await asyncio.to_thread(run, list(words), live.sandbox.http_base)


async def shown_within(live: Live, channel: str, wanted: str, within: float = 10.0) -> str:
    """The channel as `show` prints it, once it holds `wanted` (the bot posts review cards after acking)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    text = await say(live, "show", channel)
    while wanted not in text and loop.time() < deadline:
        await asyncio.sleep(0.1)
        text = await say(live, "show", channel)
    return text


async def test_a_command_answer_is_text_with_the_embed_not_json(live: Live) -> None:
    text = await say(live, "fiona", "/dropin next")

    assert text.startswith("interaction ")
    assert "== Weekly drop-in:" in text
    assert "https://zoom.us/j/85012345678" in text
    assert '"embeds"' not in text


async def test_the_question_round_trip_by_cli_shows_only_a_code_to_reviewers(live: Live) -> None:
    preview = await say(live, "sam", "Where can I get drug checking?")
    (message_id,) = re.findall(r"^message (\d+) from nsscop-bot", preview, re.MULTILINE)
    assert "[Submit now" in preview

    await say(live, "click", "sam", message_id, "Submit")
    review = await shown_within(live, "question-review", "Where can I get drug checking?")

    assert "Where can I get drug checking?" in review
    assert "[Approve" in review
    assert "sam" not in review.lower().replace("same", "")


async def test_brief_on_a_route_answers_text_for_curl_users(live: Live) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            live.sandbox.http_base + "/_sandbox/interactions/command?brief=1",
            json={"user": "riley", "command": "about"},
        ) as response,
    ):
        text = await response.text()

    assert response.status == 200
    assert response.content_type == "text/plain"
    assert text.startswith("interaction ")
    assert "{" not in text.splitlines()[0]

"""Discord answering 429 (with retry_after) and 5xx while the bot posts review cards and publishes
questions: each post appears exactly once. 429, 500 and 502 are retried by discord.py itself; a 503 is
not, so the bot's own delivery timer (`questions:deliver`) finishes the work."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.clock import SystemClock
from sandbox.hub import Fault
from tests.e2e.conftest import Live, running_bot
from tests.e2e.question_steps import bot_posts, button, submit_by_dm, text_of

ASKERS = {
    "alex": "How do I renew a prescription?",
    "sam": "Which pharmacies deliver?",
    "riley": "Où trouver de la naloxone?",
}
FAULTS = {  # (status, how many times in a row, retry_after)
    "429 with retry_after": [(429, 3, 0.3)],
    "500 then 502": [(500, 1, 0.0), (502, 1, 0.0)],
    "503": [(503, 1, 0.0)],
}


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    async with running_bot(tmp_path, SystemClock()) as started:
        yield started


def inject(live: Live, channel: str, kind: str) -> list[Fault]:
    path = re.compile(rf"/channels/{live.sandbox.seed.channels[channel]}/messages$")
    faults = [Fault("POST", path, status, count, retry_after) for status, count, retry_after in FAULTS[kind]]
    live.sandbox.hub.faults.extend(faults)
    return faults


async def consumed(live: Live, faults: list[Fault]) -> None:
    async def done() -> bool:
        return all(f.remaining == 0 for f in faults)

    await live.client.wait_for(done, timeout=15)


async def exactly_once_each(live: Live, channel: str) -> list[dict[str, Any]]:
    """Bounded wait until every question shows in `channel`; then no question shows twice."""

    async def all_there() -> list[dict[str, Any]]:
        posts = await bot_posts(live.client, channel)
        return posts if all(any(t in text_of(p) for p in posts) for t in ASKERS.values()) else []

    posts = await live.client.wait_for(all_there, timeout=20, interval=0.1)
    for question in ASKERS.values():
        assert sum(question in text_of(p) for p in posts) == 1, question
    return posts


async def retry_timer_if_needed(live: Live, kind: str) -> None:
    """A 503 is not retried by discord.py: the bot's timer does it (run now rather than wait a minute)."""
    assert "questions:deliver" in live.app.scheduler.job_ids()
    if kind == "503":
        await live.app.services.questions.review.deliver_pending()


@pytest.mark.parametrize("kind", list(FAULTS))
async def test_faults_while_posting_review_cards_and_publications_post_each_once(
    live: Live, kind: str
) -> None:
    faults = inject(live, "question-review", kind)
    for asker, question in ASKERS.items():
        await submit_by_dm(live.client, asker, question)
    await consumed(live, faults)
    await retry_timer_if_needed(live, kind)
    cards = await exactly_once_each(live, "question-review")
    assert len(cards) == len(ASKERS)

    faults = inject(live, "questions", kind)
    for card in cards:
        await live.client.component("fiona", card["id"], button(card, "approve"))
    await consumed(live, faults)
    await retry_timer_if_needed(live, kind)
    published = await exactly_once_each(live, "questions")
    assert len(published) == len(ASKERS)
    assert await live.client.violations() == []

"""The leak test: run every question path with a known asker, then search everything the system
produced for the asker's id (as text and as the integer SQLite stores), username and display name."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.logs import configure_logging
from tests.e2e.conftest import running_bot
from tests.e2e.question_steps import (
    answer_latest,
    approve_latest,
    bot_dms,
    button,
    dm_and_wait,
    last_message,
    submit_and_review,
    submit_by_dm,
)

ASKER = "alex"
DISPLAY_NAME = "Alex"


async def test_nothing_the_system_produced_names_the_asker(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    async with running_bot(tmp_path, SystemClock()) as live:
        client = live.client
        asker_id = live.sandbox.seed.users[ASKER]
        # DM path: submit, approve, answer relayed, follow-up.
        await submit_and_review(client, ASKER, "How do I talk to my prescriber about safer supply?")
        await approve_latest(client)
        await answer_latest(client, "sam", "Bring a list of what you use and when.")
        relayed = (await bot_dms(client, ASKER))[-1]
        opened = await client.component(ASKER, relayed["id"], button(relayed, "follow-up"))
        await client.modal(ASKER, opened["interaction_id"], {"text": "Thank you, that helps."})
        # /ask path, held for the drop-in, marked urgent, then rejected with a note.
        opened = await client.command(ASKER, "ask", {"hold": True}, channel="general")
        await client.modal(ASKER, opened["interaction_id"], {"text": "Can we talk about overdose response?"})
        card = await last_message(client, "question-review", 2)
        await client.component("fiona", card["id"], button(card, "urgent"))
        await submit_and_review(client, ASKER, "One to reject")
        card = await last_message(client, "question-review", 3)
        rejected = await client.component("fiona", card["id"], button(card, "reject"))
        await client.modal("fiona", rejected["interaction_id"], {"text": "Duplicate"})
        # A draft cancelled, a relay toggled, and one blocked.
        draft = await dm_and_wait(client, ASKER, "never mind")
        await client.component(ASKER, draft["id"], button(draft, "draft-relay"))
        await client.component(ASKER, draft["id"], button(draft, "draft-cancel"))
        await submit_by_dm(client, ASKER, "last one")
        card = await last_message(client, "question-review", 4)
        await client.component("farah", card["id"], button(card, "block"))
        assert await client.violations() == []

        guild = await client.guild()
        channel_ids = [c["id"] for c in guild["channels"]] + [t["id"] for t in guild.get("threads", [])]
        posted = [await client.channel_messages(cid) for cid in channel_ids if cid]
        requests = await client.requests()
    rest_outside_dm = [r for r in requests if r.get("dm_user_id") != str(asker_id)]
    bot_logs = "\n".join(
        record.getMessage() + (record.exc_text or "")
        for record in caplog.records
        if record.name.split(".")[0]
        in ("bot", "cogs", "db", "scheduler", "discord", "sqlalchemy", "apscheduler")
    )
    database = b"".join(path.read_bytes() for path in sorted(tmp_path.glob("nsscop.db*")))  # noqa: ASYNC240

    needles_text = [str(asker_id), ASKER, DISPLAY_NAME]
    assert len(posted) >= 10 and sum(len(m) for m in posted) >= 5, "the flow produced posts to search"
    for needle in needles_text:
        assert needle not in repr(posted), f"{needle!r} found in a guild message"
        assert needle not in repr(rest_outside_dm), f"{needle!r} found in the REST log"
        assert needle not in bot_logs, f"{needle!r} found in the bot's logs"
        assert needle.encode() not in database, f"{needle!r} found in the database files"
    assert asker_id.to_bytes(8, "big") not in database, "the asker's id found as a stored integer"
    assert bot_logs, "the bot logged during the flow"
    assert database, "the database files were read"

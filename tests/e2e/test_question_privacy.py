"""The leak test: run every question path with a known asker, with the root logger and every library
logger at DEBUG, then search everything the system produced: guild posts and the REST log for the
asker's id and names; the logs for those and for every text written (questions, answers, the
follow-up, the rejection note, cancelled drafts), aliases, pseudonyms, codes, owner tags and sealed
blobs; and, after forget-me, the SQLite file and its WAL for the forgotten aliases, tags and blobs."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.clock import SystemClock
from bot.i18n import default_catalog
from bot.logs import configure_logging
from sandbox import SandboxClient
from tests.e2e.conftest import running_bot
from tests.e2e.question_steps import (
    answer_latest,
    approve_latest,
    button,
    dm_and_wait,
    dm_containing,
    last_message,
    submit_and_review,
    submit_by_dm,
    text_of,
)

CATALOG = default_catalog()
FORGET_TITLE = CATALOG.t("en", "members.forget.title")  # the one forget-me's reply (issue 11), in English
ASKER = "alex"
DISPLAY_NAME = "Alex"
TEXTS = {
    "question": "How do I talk to my prescriber about safer supply?",
    "answer": "Bring a list of what you use and when.",
    "follow_up": "Thank you, that helps; and for benzos?",
    "own_answer": "Speaking from my own experience here.",
    "held": "Can we talk about overdose response?",
    "rejected": "One to reject about the west end",
    "note": "Duplicate of an earlier one",
    "cancelled": "never mind, forget this whole thing",
    "waiting": "a draft left waiting until forget-me",
    "blocked": "last one before the block",
    "blocked_answer": "Answering although blocked",
    "closed_dm_answer": "An answer the asker cannot receive",
}
LIBRARY_LOGGERS = (
    "sqlalchemy",
    "sqlalchemy.engine",
    "aiosqlite",
    "asyncpg",
    "discord",
    "apscheduler",
    "asyncio",
)


@contextmanager
def everything_at_debug() -> Iterator[None]:
    """The root logger and every logger that exists (or that the libraries use) at DEBUG."""
    names = set(logging.root.manager.loggerDict) | set(LIBRARY_LOGGERS)
    loggers = [logging.getLogger(name) for name in names] + [logging.getLogger()]
    saved = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)


def database_files(directory: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(directory.glob("nsscop.db*")))


def secrets_of_the_asker(database: Path) -> dict[str, list[Any]]:
    """What the database holds that belongs to the asker right now (the bot is the only asker-writer)."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT pseudonym, alias FROM question_aliases").fetchall()
        sealed = connection.execute(
            "SELECT relay_sealed FROM questions WHERE relay_sealed IS NOT NULL"
        ).fetchall()
        tags = connection.execute("SELECT owner_tag FROM question_drafts").fetchall()
    return {
        "pseudonyms": [pseudonym for pseudonym, _ in rows],
        "aliases": [alias for _, alias in rows],
        "sealed": [bytes(blob) for (blob,) in sealed],
        "tags": [tag for (tag,) in tags],
    }


async def run_every_path(client: SandboxClient, database: Path) -> dict[str, list[Any]]:
    """Every question path the asker can take; returns the tokens seen in the database on the way."""
    seen: dict[str, list[Any]] = {"pseudonyms": [], "aliases": [], "sealed": [], "tags": []}

    def note() -> None:
        for key, values in secrets_of_the_asker(database).items():
            seen[key] += [v for v in values if v not in seen[key]]

    # DM path: submit, approve, a signed answer relayed, a follow-up reviewed and approved.
    await submit_and_review(client, ASKER, TEXTS["question"])
    await approve_latest(client)
    await answer_latest(client, "sam", TEXTS["answer"])
    relayed = await dm_containing(client, ASKER, TEXTS["answer"])
    opened = await client.component(ASKER, relayed["id"], button(relayed, "follow-up"))
    await client.modal(ASKER, opened["interaction_id"], {"text": TEXTS["follow_up"]})
    await last_message(client, "question-review", 2)
    await approve_latest(client)
    # The asker presses Answer on their own question.
    await answer_latest(client, ASKER, TEXTS["own_answer"])
    note()
    # /ask path, held for the drop-in, marked urgent; then one rejected with a note.
    opened = await client.command(ASKER, "ask", {"hold": True}, channel="general")
    await client.modal(ASKER, opened["interaction_id"], {"text": TEXTS["held"]})
    card = await last_message(client, "question-review", 3)
    await client.component("fiona", card["id"], button(card, "urgent"))
    await submit_and_review(client, ASKER, TEXTS["rejected"])
    card = await last_message(client, "question-review", 4)
    rejected = await client.component("fiona", card["id"], button(card, "reject"))
    await client.modal("fiona", rejected["interaction_id"], {"text": TEXTS["note"]})
    # A draft whose relay is toggled, then cancelled; another left waiting.
    draft = await dm_and_wait(client, ASKER, TEXTS["cancelled"])
    note()
    await client.component(ASKER, draft["id"], button(draft, "draft-relay"))
    await client.component(ASKER, draft["id"], button(draft, "draft-cancel"))
    await dm_and_wait(client, ASKER, TEXTS["waiting"])
    note()
    # Blocked; then answers while blocked; then an answer while their DMs are closed.
    await submit_by_dm(client, ASKER, TEXTS["blocked"])
    card = await last_message(client, "question-review", 5)
    note()
    await client.component("farah", card["id"], button(card, "block"))
    await answer_latest(client, ASKER, TEXTS["blocked_answer"])
    await client.set_dms_open(ASKER, False)
    await answer_latest(client, "sam", TEXTS["closed_dm_answer"])
    await client.set_dms_open(ASKER, True)
    note()
    return seen


def codes_on_review_cards(cards: list[dict[str, Any]]) -> list[str]:
    return sorted(
        {code for card in cards for code in re.findall(r"\*\*([0-9A-F]{4}-[0-9A-F]{4})\*\*", text_of(card))}
    )


async def test_nothing_the_system_produced_names_or_links_the_asker(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    database = tmp_path / "nsscop.db"
    async with running_bot(tmp_path, SystemClock()) as live:
        client = live.client
        asker_id = live.sandbox.seed.users[ASKER]
        with everything_at_debug():
            seen = await run_every_path(client, database)
            codes = codes_on_review_cards(await client.channel_messages("question-review"))
            await client.send_message(ASKER, "dm", "forget me")
            forgotten = await dm_containing(client, ASKER, FORGET_TITLE)
            after_forget = database_files(tmp_path)
            cards_after = await client.channel_messages("question-review")
            # A second asker, never blocked: after forget-me not even their pseudonym is left.
            before = secrets_of_the_asker(database)
            await submit_and_review(client, "sam", "A question from someone never blocked")
            second = {
                key: [v for v in values if v not in before[key]]
                for key, values in secrets_of_the_asker(database).items()
            }
            await client.send_message("sam", "dm", "forget me")
            await dm_containing(client, "sam", FORGET_TITLE)
            after_second = database_files(tmp_path)
        assert await client.violations() == []
        guild = await client.guild()
        channel_ids = [c["id"] for c in guild["channels"]] + [t["id"] for t in guild.get("threads", [])]
        posted = [await client.channel_messages(cid) for cid in channel_ids if cid]
        requests = await client.requests()

    # The flow did what it should, so the searches below mean something.
    assert len(seen["aliases"]) == 1 and len(seen["pseudonyms"]) == 1
    assert len(seen["sealed"]) >= 3 and len(seen["tags"]) == 2 and len(codes) == 1
    assert CATALOG.t("en", "members.forget.item.drafts", count=1) in text_of(forgotten)
    assert CATALOG.t("en", "members.forget.item.questions", count=5) in text_of(forgotten)
    assert sum(len(m) for m in posted) >= 10 and caplog.records and after_forget

    # Guild posts and the REST log outside the asker's DMs: no id, no name.
    rest_outside_dm = [
        r for r in requests if r.get("dm_user_id") != str(asker_id) and "Answer from Alex" not in repr(r)
    ]
    for needle in (str(asker_id), ASKER, DISPLAY_NAME):
        unsigned = [m for channel in posted for m in channel if not _signed_by_the_asker(m)]
        assert needle not in repr(unsigned), f"{needle!r} found in a guild message"
        assert needle not in repr(rest_outside_dm), f"{needle!r} found in the REST log"

    # The logs, every logger at DEBUG: nothing written, nothing that links.
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    logs = "\n".join(
        formatter.format(record) for record in caplog.records if not record.name.startswith("sandbox")
    )
    needles = [
        str(asker_id),
        ASKER,
        DISPLAY_NAME,
        *TEXTS.values(),
        *codes,
        *(c.replace("-", "").lower() for c in codes),
    ]
    needles += seen["aliases"] + seen["pseudonyms"] + seen["tags"]
    needles += [blob.hex() for blob in seen["sealed"]] + [repr(blob)[2:40] for blob in seen["sealed"]]
    for needle in needles:
        assert needle not in logs, f"{needle!r} found in the logs"
    assert "sqlalchemy" in logs and "discord" in logs, "library loggers did log at DEBUG"

    # After forget-me: the database file and its WAL hold none of the asker's links.
    assert asker_id.to_bytes(8, "big") not in after_forget and str(asker_id).encode() not in after_forget
    for needle in seen["aliases"] + seen["tags"] + [TEXTS["cancelled"], TEXTS["waiting"]]:
        assert needle.encode() not in after_forget, f"{needle!r} left in the database files"
    for blob in seen["sealed"]:
        assert blob not in after_forget, "a sealed relay target left in the database files"
    for code in codes:
        assert code not in repr(cards_after), f"{code} still shown on a review card"
    assert len(second["pseudonyms"]) == len(second["aliases"]) == len(second["sealed"]) == 1
    for needle in second["pseudonyms"] + second["aliases"]:
        assert needle.encode() not in after_second, f"{needle!r} left in the database files"
    assert second["sealed"][0] not in after_second


def _signed_by_the_asker(message: dict[str, Any]) -> bool:
    """The asker's own signed answers carry their display name, as anyone's do: that is the point."""
    return any("Answer from Alex" in (e.get("title") or "") for e in message.get("embeds") or [])

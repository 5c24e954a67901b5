"""What the foundation promises across the whole process: quiet logs, and settings that survive a restart."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.clock import SystemClock
from bot.domain.settings import ChannelPurpose
from bot.logs import configure_logging
from db.models import QuestionRow
from sandbox import Sandbox
from tests.e2e.conftest import running_bot
from tests.e2e.question_steps import submit_and_review


async def test_logs_name_no_member_while_commands_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging("DEBUG")  # the most talkative setting an operator can choose
    caplog.set_level(logging.DEBUG)
    async with running_bot(tmp_path, SystemClock()) as live:
        for user in ("alex", "riley", "fiona"):
            await live.client.command(user, "settings show")
            await live.client.command(user, "about")
        await live.client.send_message("sam", "dm", "a private message to the bot")
        seed = live.sandbox.seed
    # The sandbox and aiohttp's access log are test infrastructure; the promise is about the bot's process.
    logged = "\n".join(
        record.getMessage() + (record.exc_text or "")
        for record in caplog.records
        if record.name.split(".")[0]
        in ("bot", "cogs", "db", "scheduler", "discord", "sqlalchemy", "apscheduler")
    )
    assert logged, "expected the bot to log something while it ran"
    for user in ("alex", "riley", "fiona", "sam"):
        assert str(seed.users[user]) not in logged, [
            line for line in logged.splitlines() if str(seed.users[user]) in line
        ]
        assert user not in logged.lower()
    assert "a private message to the bot" not in logged


async def test_settings_survive_a_restart_of_the_bot(tmp_path: Path) -> None:
    sandbox = Sandbox(seed=True)
    await sandbox.start(port=0)
    try:
        async with running_bot(tmp_path, SystemClock(), sandbox) as live:
            await live.client.command(
                "fiona", "settings channel", {"purpose": "announcements", "channel": "general"}
            )
        async with running_bot(tmp_path, SystemClock(), sandbox, bootstrap=False) as live:
            stored = await live.app.services.settings.get(sandbox.seed.guild_id)
            result = await live.client.command("fiona", "settings show")
        assert stored.channel(ChannelPurpose.ANNOUNCEMENTS) == sandbox.seed.channels["general"]
        assert result["response"]["type"] == 4
    finally:
        await sandbox.stop()


async def test_a_review_card_sent_before_a_crash_is_not_sent_again_after_a_restart(tmp_path: Path) -> None:
    """The process died between Discord's answer and recording it: the next start reads the channel (the
    nonce no longer deduplicates after "the past few minutes") and records the card instead of reposting."""
    later = timedelta(0)
    sandbox = Sandbox(seed=True, clock=lambda: datetime.now(UTC) + later)
    await sandbox.start(port=0)
    try:
        async with running_bot(tmp_path, SystemClock(), sandbox) as live:
            await submit_and_review(live.client, "alex", "How do I order naloxone kits?")
            async with live.app.engine.begin() as connection:  # as if the confirmation never happened
                await connection.execute(update(QuestionRow).values(review_message_id=None))
        later = timedelta(minutes=10)  # Discord-time moves past the nonce window before the restart
        async with running_bot(tmp_path, SystemClock(), sandbox, bootstrap=False) as live:
            cards = [
                m for m in await live.client.channel_messages("question-review") if m["author"].get("bot")
            ]
            assert len(cards) == 1
            async with live.app.engine.connect() as connection:
                recorded = (await connection.execute(select(QuestionRow.review_message_id))).scalar_one()
            assert str(recorded) == cards[0]["id"]
            assert await live.client.violations() == []
    finally:
        await sandbox.stop()

"""What the foundation promises across the whole process: quiet logs, and settings that survive a restart."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.domain.settings import ChannelPurpose
from bot.logs import configure_logging
from sandbox import Sandbox
from tests.e2e.conftest import running_bot


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

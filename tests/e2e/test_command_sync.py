"""bot/adapters/command_sync.py through the sandbox: a guild's commands are replaced only when needed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from bot.app import SYNCED_COMMANDS
from bot.clock import SystemClock
from sandbox import Sandbox
from tests.e2e.conftest import Live, running_bot


@pytest_asyncio.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    started = Sandbox(seed=True, clock=SystemClock().now)
    await started.start(port=0)
    yield started
    await started.stop()


async def _command_puts(live: Live) -> int:
    return sum(
        1
        for r in await live.client.requests()
        if r["method"] == "PUT" and r["path"].endswith(f"/guilds/{live.sandbox.seed.guild_id}/commands")
    )


async def _start(data_dir: Path, sandbox: Sandbox) -> int:
    """Starts the bot once and returns how many times the sandbox has had the guild's commands replaced."""
    async with running_bot(data_dir, SystemClock(), sandbox) as live:
        return await _command_puts(live)


async def test_the_first_start_sends_the_commands(tmp_path: Path, sandbox: Sandbox) -> None:
    assert await _start(tmp_path, sandbox) == 1


async def test_a_restart_with_the_same_commands_sends_nothing(tmp_path: Path, sandbox: Sandbox) -> None:
    await _start(tmp_path, sandbox)

    assert await _start(tmp_path, sandbox) == 1


async def test_a_command_deleted_on_discord_is_sent_again(tmp_path: Path, sandbox: Sandbox) -> None:
    await _start(tmp_path, sandbox)
    world = sandbox.hub.world
    world.guild_commands = world.guild_commands[1:]  # as if someone removed one by hand

    assert await _start(tmp_path, sandbox) == 2


async def test_changed_commands_are_sent_again(tmp_path: Path, sandbox: Sandbox) -> None:
    await _start(tmp_path, sandbox)
    record = tmp_path / SYNCED_COMMANDS
    record.write_text(json.dumps(dict.fromkeys(json.loads(record.read_text()), "an older set of commands")))

    assert await _start(tmp_path, sandbox) == 2

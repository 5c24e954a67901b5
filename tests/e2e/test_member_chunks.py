"""Request Guild Members through the sandbox: the full list comes by op 8, and a quick re-identify is
answered with RATE_LIMITED, which the bot handles without waiting for chunks (bot/adapters/member_chunks)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.clock import SystemClock
from tests.e2e.conftest import running_bot


async def test_members_arrive_by_request_after_connecting(tmp_path: Path) -> None:
    async with running_bot(tmp_path, SystemClock()) as live:
        guild = live.app.bot.get_guild(live.sandbox.seed.guild_id)
        assert guild is not None and guild.chunked
        assert len(guild.members) == len(live.sandbox.hub.world.guild.members)


async def test_a_quick_reidentify_is_rate_limited_and_the_bot_does_not_wait_for_chunks(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="discord.state")
    async with running_bot(tmp_path, SystemClock()) as live:
        ready = asyncio.Event()

        async def on_ready() -> None:
            ready.set()

        live.app.bot.add_listener(on_ready, "on_ready")
        await live.client.gateway_invalidate()
        await asyncio.wait_for(ready.wait(), timeout=15)
        assert live.sandbox.hub.gateway.rate_limited_count == 1
        assert not [r for r in caplog.records if "waiting for chunks" in r.getMessage()]
        assert await live.client.violations() == []

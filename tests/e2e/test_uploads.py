"""The upload guard against the sandbox's Discord limits (10 MiB a file, 25 MiB a request: 413 40005)."""

from __future__ import annotations

import io
from pathlib import Path

import discord
import pytest

from bot.adapters.uploads import send_in_batches
from bot.clock import SystemClock
from bot.domain.uploads import FILE_LIMIT, Upload
from tests.e2e.conftest import running_bot

ROW = b"2026-12-03,Peer Support,member,1\n"


async def test_a_csv_over_10_mib_arrives_in_parts_that_discord_accepts(tmp_path: Path) -> None:
    data = ROW * (FILE_LIMIT // len(ROW) + 1000)
    async with running_bot(tmp_path, SystemClock()) as live:
        channel = live.app.bot.get_partial_messageable(live.sandbox.hub.world.find_channel("facilitators").id)
        await send_in_batches(channel.send, "Export", [Upload("honoraria.csv", data)])
        uploads = [f for r in live.sandbox.requests for f in r.get("files", [])]
        assert [f["filename"] for f in uploads] == ["honoraria-1.csv", "honoraria-2.csv"]
        assert sum(f["size"] for f in uploads) == len(data)
        assert await live.client.violations() == []


async def test_without_the_guard_discord_refuses_the_same_file(tmp_path: Path) -> None:
    """The rule the guard follows: proof that the sandbox refuses what Discord refuses."""
    data = ROW * (FILE_LIMIT // len(ROW) + 1000)
    async with running_bot(tmp_path, SystemClock()) as live:
        channel = live.app.bot.get_partial_messageable(live.sandbox.hub.world.find_channel("facilitators").id)
        with pytest.raises(discord.HTTPException) as info:
            await channel.send("Export", file=discord.File(io.BytesIO(data), filename="big.csv"))
        assert (info.value.status, info.value.code) == (413, 40005)

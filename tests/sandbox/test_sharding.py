"""The sandbox's gateway shards as Discord does: IDENTIFY carries `shard`, a guild's events go to its
shard only, DMs to shard 0 only, and an invalid shard is refused with 4010 (see sandbox/gateway.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest

from sandbox import Sandbox, SandboxClient

INTENTS = (1 << 0) | (1 << 9) | (1 << 12)  # guilds, guild messages, direct messages
WAIT = 5.0


class Shard:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.events: list[tuple[str, Any]] = []

    async def until(self, event: str, count: int = 1) -> list[Any]:
        async with asyncio.timeout(WAIT):
            while len(found := [d for t, d in self.events if t == event]) < count:
                message = await self.ws.receive()
                if message.type is not aiohttp.WSMsgType.TEXT:
                    raise AssertionError(f"connection ended: {message.type} {self.ws.close_code}")
                frame = json.loads(message.data)
                if frame.get("op") == 0:
                    self.events.append((frame["t"], frame["d"]))
        return found

    async def quiet_for(self, seconds: float) -> None:
        """Reads whatever arrives for `seconds` (to show that something did NOT arrive)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.until("NEVER"), seconds)


@asynccontextmanager
async def connected(sandbox: Sandbox, shard: Any) -> AsyncIterator[Shard]:
    async with aiohttp.ClientSession() as http, http.ws_connect(sandbox.gateway_url) as ws:
        await ws.receive()  # HELLO
        payload: dict[str, Any] = {"token": sandbox.bot_token, "intents": INTENTS, "properties": {}}
        if shard is not None:
            payload["shard"] = shard
        await ws.send_str(json.dumps({"op": 2, "d": payload}))
        yield Shard(ws)


@pytest.fixture
async def two_guilds() -> AsyncIterator[Sandbox]:
    async with Sandbox(guilds=2, spec_path=None) as sandbox:
        yield sandbox


def _shard_of(guild_id: int) -> int:
    return (guild_id >> 22) % 2


def test_the_two_guilds_fall_on_different_shards() -> None:
    seed = Sandbox(guilds=2, spec_path=None).seed
    assert {_shard_of(seed.guild_id), _shard_of(seed.other().guild_id)} == {0, 1}


async def test_each_shard_is_sent_only_its_own_guild(two_guilds: Sandbox) -> None:
    seed = two_guilds.seed
    async with connected(two_guilds, [0, 2]) as zero, connected(two_guilds, [1, 2]) as one:
        for shard, number in ((zero, 0), (one, 1)):
            (ready,) = await shard.until("READY")
            (created,) = await shard.until("GUILD_CREATE")
            ours = next(g for g in (seed.guild_id, seed.other().guild_id) if _shard_of(g) == number)
            assert [g["id"] for g in ready["guilds"]] == [str(ours)] and created["id"] == str(ours)


async def test_a_guild_message_reaches_only_the_guilds_shard(two_guilds: Sandbox) -> None:
    second = two_guilds.seed.other()
    client = SandboxClient(two_guilds.http_base, guild=second.guild_id)
    async with client, connected(two_guilds, [0, 2]) as zero, connected(two_guilds, [1, 2]) as one:
        await zero.until("GUILD_CREATE")
        await one.until("GUILD_CREATE")
        await client.send_message("alex", "general", "hello west")
        owner, other = (zero, one) if _shard_of(second.guild_id) == 0 else (one, zero)
        (message,) = await owner.until("MESSAGE_CREATE")
        assert message["guild_id"] == str(second.guild_id)
        await other.quiet_for(0.5)
        assert not [t for t, _ in other.events if t == "MESSAGE_CREATE"]


async def test_a_direct_message_reaches_only_shard_0(two_guilds: Sandbox) -> None:
    async with (
        SandboxClient(two_guilds.http_base) as client,
        connected(two_guilds, [0, 2]) as zero,
        connected(two_guilds, [1, 2]) as one,
    ):
        await zero.until("GUILD_CREATE")
        await one.until("GUILD_CREATE")
        await client.send_message("riley", "dm", "bonjour")
        (message,) = await zero.until("MESSAGE_CREATE")
        assert "guild_id" not in message and message["content"] == "bonjour"
        await one.quiet_for(0.5)
        assert not [t for t, _ in one.events if t == "MESSAGE_CREATE"]


@pytest.mark.parametrize("shard", [[2, 2], [-1, 2], [0, 0], [0], "0,2", [True, 2], [0, 2.0]])
async def test_an_invalid_shard_is_refused_with_4010(two_guilds: Sandbox, shard: Any) -> None:
    async with connected(two_guilds, shard) as refused:
        async with asyncio.timeout(WAIT):
            message = await refused.ws.receive()
        assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert refused.ws.close_code == 4010


async def test_without_a_shard_one_session_receives_every_guild(two_guilds: Sandbox) -> None:
    async with connected(two_guilds, None) as whole:
        created = await whole.until("GUILD_CREATE", 2)
    assert {g["id"] for g in created} == {
        str(two_guilds.seed.guild_id),
        str(two_guilds.seed.other().guild_id),
    }

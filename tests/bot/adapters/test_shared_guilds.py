"""bot/adapters/shared_guilds.py: a DM's sender is found in other processes' guilds through REST."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import discord
from aiolimiter import AsyncLimiter

from bot.adapters.shared_guilds import SharedGuilds
from bot.domain.shards import SINGLE_PROCESS, Shards

OURS = 0 << 22 | 1  # shard 0 of 2
THEIRS = 1 << 22 | 1  # shard 1 of 2
SENDER = 555


@dataclass
class _Response:
    status: int
    reason: str = "Not Found"


@dataclass
class FakeHttp:
    members: set[tuple[int, int]]
    calls: list[str] = field(default_factory=list)

    async def get_member(self, guild_id: int, user_id: int) -> dict[str, Any]:
        self.calls.append(f"member {guild_id}")
        if (guild_id, user_id) not in self.members:
            raise discord.NotFound(_Response(404), {"code": 10007, "message": "Unknown Member"})
        return {}

    async def get_guild(self, guild_id: int) -> dict[str, Any]:
        self.calls.append(f"guild {guild_id}")
        return {"id": str(guild_id), "name": "West"}


@dataclass
class FakeClient:
    http: FakeHttp
    guilds: list[Any] = field(default_factory=list)


def directory(client: FakeClient, shards: Shards, configured: list[int]) -> SharedGuilds:
    async def known() -> list[int]:
        return configured

    return SharedGuilds(client, shards, known, AsyncLimiter(100, 1))  # type: ignore[arg-type]


async def test_a_member_of_another_processs_guild_is_found_with_its_name() -> None:
    client = FakeClient(FakeHttp({(THEIRS, SENDER)}))
    found = await directory(client, Shards(2, (0,)), [OURS, THEIRS]).of(SENDER)
    assert found == {THEIRS: "West"}


async def test_a_stranger_to_another_processs_guild_is_not_found() -> None:
    client = FakeClient(FakeHttp(set()))
    assert await directory(client, Shards(2, (0,)), [OURS, THEIRS]).of(SENDER) == {}


async def test_this_processs_guilds_are_never_asked_about() -> None:
    client = FakeClient(FakeHttp(set()))
    await directory(client, Shards(2, (0,)), [OURS, THEIRS]).of(SENDER)
    assert client.http.calls == [f"member {THEIRS}"]


async def test_unsharded_nothing_is_asked() -> None:
    client = FakeClient(FakeHttp({(THEIRS, SENDER)}))
    assert await directory(client, SINGLE_PROCESS, [OURS, THEIRS]).of(SENDER) == {}
    assert client.http.calls == []

"""MemberChunkRetry: RATE_LIMITED for Request Guild Members ends the wait and asks again later."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.adapters.member_chunks import MemberChunkRetry

GUILD = 123


class FakeState:
    def __init__(self) -> None:
        self.parsers: dict[str, Any] = {}
        self.completed: list[tuple[int, str | None]] = []

    def process_chunk_requests(
        self, guild_id: int, nonce: str | None, members: list[Any], complete: bool
    ) -> None:
        assert members == [] and complete
        self.completed.append((guild_id, nonce))


class FakeGuild:
    chunked = False

    def __init__(self) -> None:
        self.asked = 0

    async def chunk(self, *, cache: bool = True) -> list[Any]:
        self.asked += 1
        return []


class FakeClient:
    def __init__(self) -> None:
        self._connection = FakeState()
        self.guild = FakeGuild()

    def get_guild(self, guild_id: int) -> FakeGuild | None:
        return self.guild if guild_id == GUILD else None

    def is_closed(self) -> bool:
        return False


def _event(retry_after: float) -> dict[str, Any]:
    return {"opcode": 8, "retry_after": retry_after, "meta": {"guild_id": str(GUILD), "nonce": "n1"}}


async def test_rate_limited_ends_the_pending_request_and_asks_again_after_retry_after() -> None:
    client = FakeClient()
    retry = MemberChunkRetry(client)  # type: ignore[arg-type]
    retry.install()

    client._connection.parsers["RATE_LIMITED"](_event(0.01))

    assert client._connection.completed == [(GUILD, "n1")]
    for _ in range(50):
        if client.guild.asked:
            break
        await asyncio.sleep(0.01)
    assert client.guild.asked == 1


async def test_another_opcode_is_ignored() -> None:
    client = FakeClient()
    retry = MemberChunkRetry(client)  # type: ignore[arg-type]

    retry.on_rate_limited({"opcode": 99, "retry_after": 0.0, "meta": {"guild_id": str(GUILD)}})

    assert client._connection.completed == []
    retry.cancel()

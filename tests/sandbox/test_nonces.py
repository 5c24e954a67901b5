"""Enforced nonces: a re-sent message with the same nonce returns the existing message (Discord's
idempotent create), within 5 minutes of the sandbox clock, per author and channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import discord
import pytest

from sandbox import Sandbox, SandboxClient
from tests.sandbox.clocks import MovableClock
from tests.sandbox.conftest import SandboxTestBot, wait_until

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.sandbox_clock(START)


async def _post(
    http: aiohttp.ClientSession, sandbox: Sandbox, channel: str, nonce: str | None, enforce: bool = True
) -> tuple[int, Any]:
    body: dict[str, Any] = {"content": f"hello {nonce}"}
    if nonce is not None:
        body.update(nonce=nonce, enforce_nonce=enforce)
    url = f"/api/v10/channels/{sandbox.seed.channels[channel]}/messages"
    async with http.post(url, json=body) as response:
        return response.status, await response.json()


def _stored(sandbox: Sandbox, channel: str) -> list[int]:
    return [m.id for m in sandbox.hub.world.visible_messages(sandbox.seed.channels[channel])]


async def test_the_same_nonce_twice_returns_the_existing_message(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    first = await _post(http, sandbox, "general", "claim-1")
    second = await _post(http, sandbox, "general", "claim-1")
    assert first[0] == second[0] == 200
    assert second[1]["id"] == first[1]["id"] and second[1]["nonce"] == "claim-1"
    assert _stored(sandbox, "general") == [int(first[1]["id"])]
    assert sandbox.violations == []


async def test_a_different_nonce_creates_a_second_message(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    first = await _post(http, sandbox, "general", "claim-1")
    second = await _post(http, sandbox, "general", "claim-2")
    assert first[1]["id"] != second[1]["id"]
    assert len(_stored(sandbox, "general")) == 2


async def test_without_enforce_nonce_the_same_nonce_creates_a_second_message(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    first = await _post(http, sandbox, "general", "claim-1", enforce=False)
    second = await _post(http, sandbox, "general", "claim-1", enforce=False)
    assert first[1]["id"] != second[1]["id"]


async def test_the_window_is_five_minutes_of_the_sandbox_clock(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: MovableClock
) -> None:
    first = await _post(http, sandbox, "general", "claim-1")
    clock.advance(timedelta(minutes=4, seconds=59))
    assert (await _post(http, sandbox, "general", "claim-1"))[1]["id"] == first[1]["id"]
    clock.advance(timedelta(seconds=1))
    later = await _post(http, sandbox, "general", "claim-1")
    assert later[0] == 200 and later[1]["id"] != first[1]["id"]
    assert len(_stored(sandbox, "general")) == 2
    # The window now runs from the newer message.
    assert (await _post(http, sandbox, "general", "claim-1"))[1]["id"] == later[1]["id"]


async def test_the_same_nonce_in_another_channel_creates_a_message_there(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    first = await _post(http, sandbox, "general", "claim-1")
    other = await _post(http, sandbox, "questions", "claim-1")
    assert first[1]["id"] != other[1]["id"]
    assert len(_stored(sandbox, "general")) == len(_stored(sandbox, "questions")) == 1


async def test_the_same_nonce_from_another_author_is_not_a_duplicate(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    channel = sandbox.hub.world.channel(sandbox.seed.channels["general"])
    assert channel is not None
    sandbox.hub.world.nonces.remember(channel.id, sandbox.seed.users["alex"], "claim-1", 1, START)
    status, message = await _post(http, sandbox, "general", "claim-1")
    assert status == 200 and message["author"]["id"] == str(sandbox.seed.bot_user_id)
    assert _stored(sandbox, "general") == [int(message["id"])]


async def test_the_nonce_of_a_deleted_message_answers_unknown_message(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    _, message = await _post(http, sandbox, "general", "claim-1")
    async with http.delete(f"/api/v10/channels/{message['channel_id']}/messages/{message['id']}") as response:
        assert response.status == 204
    status, body = await _post(http, sandbox, "general", "claim-1")
    assert (status, body["code"]) == (404, 10008)
    assert _stored(sandbox, "general") == [] and sandbox.violations == []


async def test_discord_py_resending_with_the_same_nonce_gets_the_same_message(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    channel = bot.get_channel(sandbox.seed.channels["general"])
    assert isinstance(channel, discord.TextChannel)
    seen: list[discord.Message] = []

    async def on_message(message: discord.Message) -> None:
        if message.channel.id == channel.id:
            seen.append(message)

    bot.add_listener(on_message)
    first = await channel.send("the drop-in starts in 15 minutes", nonce="abc")
    again = await channel.send("the drop-in starts in 15 minutes", nonce="abc")
    other = await channel.send("something else")  # a fresh random nonce
    assert again.id == first.id and other.id != first.id
    await wait_until(lambda: any(m.id == other.id for m in seen))
    assert [m.id for m in seen] == [first.id, other.id]  # no second MESSAGE_CREATE for the duplicate
    assert [m["id"] for m in await client.channel_messages("general")] == [str(first.id), str(other.id)]
    assert await client.violations() == []

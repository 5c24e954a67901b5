"""The sandbox clock: Discord-time (ids, timestamps, the past-event rule) follows an injected "now",
while interaction deadlines stay on real time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import aiohttp
import discord
import pytest

from sandbox import Sandbox, SandboxClient
from sandbox.snowflakes import SnowflakeGenerator, snowflake_time
from tests.sandbox.bodies import event as event_body
from tests.sandbox.clocks import MovableClock
from tests.sandbox.conftest import SandboxTestBot, post_event

NOW_2027 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.sandbox_clock(NOW_2027)


async def _post_message(http: aiohttp.ClientSession, sandbox: Sandbox, content: str) -> Any:
    async with http.post(
        f"/api/v10/channels/{sandbox.seed.channels['general']}/messages", json={"content": content}
    ) as response:
        assert response.status == 200
        return await response.json()


async def test_an_event_after_the_clocks_now_is_accepted(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    status, event = await post_event(http, sandbox, event_body(NOW_2027 + timedelta(hours=1)))
    assert status == 200 and event["status"] == 1


async def test_an_event_before_the_clocks_now_is_refused_even_if_after_real_time(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    start = NOW_2027 - timedelta(hours=1)
    assert start > datetime.now(UTC)
    status, body = await post_event(http, sandbox, event_body(start))
    assert status == 400 and body["code"] == 50035
    assert (
        body["errors"]["scheduled_start_time"]["_errors"][0]["code"] == "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST"
    )


async def test_moving_an_event_start_is_checked_against_the_clock(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: MovableClock
) -> None:
    _, event = await post_event(http, sandbox, event_body(NOW_2027 + timedelta(days=2)))
    url = f"/api/v10/guilds/{sandbox.seed.guild_id}/scheduled-events/{event['id']}"
    clock.advance(timedelta(days=1))
    moved = {
        "scheduled_start_time": (NOW_2027 + timedelta(hours=12)).isoformat(),
        "scheduled_end_time": (NOW_2027 + timedelta(hours=13)).isoformat(),
    }
    async with http.patch(url, json=moved) as response:
        assert response.status == 400


async def test_message_timestamps_and_ids_follow_the_clock(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: MovableClock
) -> None:
    message = await _post_message(http, sandbox, "hello from 2027")
    assert datetime.fromisoformat(message["timestamp"]) == NOW_2027
    assert snowflake_time(int(message["id"])) == NOW_2027
    clock.advance(timedelta(minutes=3))
    url = f"/api/v10/channels/{message['channel_id']}/messages/{message['id']}"
    async with http.patch(url, json={"content": "edited"}) as response:
        edited = await response.json()
    assert datetime.fromisoformat(edited["edited_timestamp"]) == NOW_2027 + timedelta(minutes=3)
    assert edited["timestamp"] == message["timestamp"]
    async with http.put(f"/api/v10/channels/{message['channel_id']}/pins/{message['id']}") as response:
        assert response.status == 204
    async with http.get(f"/api/v10/channels/{message['channel_id']}/messages/pins") as response:
        pinned = await response.json()
    assert datetime.fromisoformat(pinned["items"][0]["pinned_at"]) == NOW_2027 + timedelta(minutes=3)


async def test_seeded_world_is_stamped_with_the_clock(sandbox: Sandbox) -> None:
    world = sandbox.hub.world
    assert snowflake_time(sandbox.seed.guild_id) == NOW_2027
    assert {m.joined_at for m in world.guild.members.values()} == {NOW_2027.isoformat()}
    assert {c.created_at for c in world.guild.channels.values()} == {NOW_2027.isoformat()}


async def test_ids_keep_increasing_when_the_clock_goes_backwards(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: MovableClock
) -> None:
    first = await _post_message(http, sandbox, "first")
    clock.advance(timedelta(days=-400))
    second = await _post_message(http, sandbox, "second")
    assert int(second["id"]) > int(first["id"])
    assert datetime.fromisoformat(second["timestamp"]) == NOW_2027 - timedelta(days=400)
    async with http.get(f"/api/v10/channels/{first['channel_id']}/messages") as response:
        assert [m["id"] for m in await response.json()] == [second["id"], first["id"]]


@pytest.mark.parametrize(
    "moves",
    [
        pytest.param([timedelta(0)] * 5000, id="standing still past 4096 ids in one ms"),
        pytest.param([timedelta(days=-1), timedelta(days=-3650), timedelta(seconds=1)], id="backwards"),
        pytest.param([timedelta(days=365 * 20), timedelta(days=-365 * 20)], id="jumps"),
    ],
)
def test_snowflakes_are_unique_increasing_and_17_to_20_digits(moves: list[timedelta]) -> None:
    clock = MovableClock(NOW_2027)
    ids = SnowflakeGenerator(clock=clock)
    made = [ids.next()]
    for move in moves:
        clock.advance(move)
        made.append(ids.next())
    assert all(a < b for a, b in pairwise(made))
    assert all(17 <= len(str(i)) <= 20 for i in made)


def test_a_clock_near_the_discord_epoch_still_gives_17_digit_ids() -> None:
    ids = SnowflakeGenerator(clock=MovableClock(datetime(2015, 1, 1, 0, 0, 1, tzinfo=UTC)))
    first, second = ids.next(), ids.next()
    assert len(str(first)) == 17 and second > first


def test_a_naive_clock_is_taken_as_utc() -> None:
    ids = SnowflakeGenerator(clock=MovableClock(NOW_2027.replace(tzinfo=None)))
    assert snowflake_time(ids.next()) == NOW_2027


@pytest.mark.parametrize("offset", [timedelta(days=365), timedelta(days=-365 * 3)], ids=["future", "past"])
async def test_interactions_run_on_real_time_whatever_the_clock(
    offset: timedelta, clock: MovableClock, bot: SandboxTestBot, client: SandboxClient
) -> None:
    clock.at = datetime.now(UTC) + offset
    result = await client.command("alex", "ping")
    assert result["response"]["data"]["content"] == "pong"
    (message,) = await client.channel_messages("general")
    assert datetime.fromisoformat(message["timestamp"]) == clock.at
    assert await client.violations() == []


async def test_discord_py_sees_the_clocks_time(
    bot: SandboxTestBot, sandbox: Sandbox, clock: MovableClock
) -> None:
    channel = bot.get_channel(sandbox.seed.channels["general"])
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("hello")
    assert message.created_at == NOW_2027

"""Gateway behaviour seen by the real discord.py client."""

from __future__ import annotations

import asyncio

import discord
import pytest

from sandbox import Sandbox, SandboxClient, discord_endpoints
from sandbox import gateway as sandbox_gateway
from tests.sandbox.conftest import SandboxTestBot, wait_until


async def test_login_ready_caches_guild_with_members(bot: SandboxTestBot, sandbox: Sandbox) -> None:
    guild = bot.get_guild(sandbox.seed.guild_id)
    assert guild is not None and guild.name == "NSS-CoP Sandbox"
    assert guild.me is not None and guild.me.id == sandbox.seed.bot_user_id
    names = {m.name for m in guild.members}
    assert {"fiona", "farah", "alex", "sam", "riley", "nsscop-bot"} <= names
    assert {c.name for c in guild.text_channels} >= {"general", "question-review", "facilitators"}
    assert bot.ready_count == 1


async def test_forced_reconnect_resumes_and_events_keep_flowing(
    bot: SandboxTestBot, client: SandboxClient
) -> None:
    assert (await client.gateway_reconnect())["sent"] == 1
    await wait_until(lambda: bot.resumed_count == 1)
    await client.send_message("alex", "dm", "after resume")
    await wait_until(lambda: any(m.content == "after resume" for m in bot.received))


async def test_events_sent_while_disconnected_are_replayed_on_resume(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    session = sandbox.hub.gateway.session
    assert session is not None
    await client.gateway_reconnect()
    await client.add_member("during_resume")  # may land before or after the reconnect: either way it arrives
    await wait_until(lambda: bot.resumed_count == 1)
    await wait_until(lambda: any(m.name == "during_resume" for m in bot.member_joins))


async def test_invalid_session_makes_the_client_identify_again(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    assert sandbox.hub.gateway.identify_count == 1
    await client.gateway_invalidate()
    await wait_until(lambda: sandbox.hub.gateway.identify_count == 2 and sandbox.hub.gateway.connected)
    await client.send_message("sam", "dm", "after identify")
    await wait_until(lambda: any(m.content == "after identify" for m in bot.received))


async def test_guild_message_content_is_empty_without_message_content_intent(
    bot: SandboxTestBot, client: SandboxClient
) -> None:
    await client.send_message("alex", "general", "secret words")
    await wait_until(lambda: len(bot.received) == 1)
    message = bot.received[0]
    assert message.guild is not None and message.content == ""


async def test_guild_message_mentioning_the_bot_keeps_its_content(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    text = f"<@{sandbox.seed.bot_user_id}> hello"
    await client.send_message("alex", "general", text)
    await wait_until(lambda: len(bot.received) == 1)
    assert bot.received[0].content == text


async def test_dm_content_arrives(bot: SandboxTestBot, client: SandboxClient) -> None:
    await client.send_message("riley", "dm", "bonjour")
    await wait_until(lambda: len(bot.received) == 1)
    assert bot.received[0].guild is None and bot.received[0].content == "bonjour"


async def test_new_member_dispatches_member_join(bot: SandboxTestBot, client: SandboxClient) -> None:
    member = await client.add_member("newcomer", locale="fr", roles=["Member"])
    await wait_until(lambda: len(bot.member_joins) == 1)
    assert str(bot.member_joins[0].id) == member["user"]["id"]
    assert [r.name for r in bot.member_joins[0].roles] == ["@everyone", "Member"]


async def test_message_content_intent_is_refused_with_4014(sandbox: Sandbox) -> None:
    intents = discord.Intents.default()
    intents.message_content = True
    with discord_endpoints(sandbox):
        client = discord.Client(intents=intents)
        with pytest.raises(discord.PrivilegedIntentsRequired):
            await asyncio.wait_for(client.start(sandbox.bot_token), 10)
        await client.close()


async def test_wrong_token_fails_login(sandbox: Sandbox) -> None:
    with discord_endpoints(sandbox):
        client = discord.Client(intents=discord.Intents.default())
        with pytest.raises(discord.LoginFailure):
            await client.login("not-the-token")
        await client.close()


async def test_heartbeat_latency_is_the_round_trip_not_the_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    # An idle sandbox logged "Can't keep up, shard ID None websocket is 41.3s behind" now and then:
    # an ACK answered in the same instant overtook discord.py's record of the heartbeat's send, so
    # the latency spanned a whole interval. A busy event loop (as with the bot in it) makes it likely.
    monkeypatch.setattr(sandbox_gateway, "HEARTBEAT_INTERVAL_MS", 200)
    seen: list[float] = []

    async def busy_loop() -> None:
        while True:
            sum(range(20_000))
            await asyncio.sleep(0)

    async with Sandbox() as sb:
        with discord_endpoints(sb):
            client = discord.Client(intents=discord.Intents.default())
            task = asyncio.create_task(client.start(sb.bot_token))
            busy = asyncio.create_task(busy_loop())
            try:
                await wait_until(client.is_ready, within=10)
                for _ in range(30):  # 3 s: about 15 beats
                    await asyncio.sleep(0.1)
                    seen.append(client.latency)
            finally:
                busy.cancel()
                await client.close()
                await asyncio.wait_for(task, 10)

    assert max(seen) < 0.17, seen


@pytest.mark.parametrize(
    ("intents", "chunks", "violations"),
    [(sandbox_gateway.GUILD_MEMBERS, 1, 0), (0, 0, 1)],
    ids=["with-guild-members", "without-guild-members"],
)
def test_a_request_for_every_member_needs_the_guild_members_intent(
    intents: int, chunks: int, violations: int
) -> None:
    """gateway-events.mdx:187: "GUILD_MEMBERS intent is required to request the entire member list"."""
    sandbox = Sandbox(seed=True)
    session = sandbox_gateway.GatewaySession(session_id="s", intents=intents)

    sandbox.hub.gateway._chunk(session, {"guild_id": str(sandbox.seed.guild_id), "query": "", "limit": 0})

    assert sum('"GUILD_MEMBERS_CHUNK"' in frame for _, frame in session.history) == chunks
    assert len(sandbox.violations) == violations

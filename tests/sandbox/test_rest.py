"""REST fidelity: permissions, limits, faults, rate limits, ids, files, events."""

from __future__ import annotations

import datetime as dt
import io

import aiohttp
import discord
import pytest

from sandbox import BOT_INVITE_PERMISSIONS, Sandbox, SandboxClient
from tests.sandbox.conftest import SandboxTestBot, wait_until


def _channel(bot: SandboxTestBot, sandbox: Sandbox, name: str) -> discord.TextChannel:
    channel = bot.get_channel(sandbox.seed.channels[name])
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_bot_invite_permissions_match_the_documented_bits() -> None:
    names = {
        "view_channel",
        "send_messages",
        "send_messages_in_threads",
        "create_public_threads",
        "manage_threads",
        "embed_links",
        "attach_files",
        "read_message_history",
        "add_reactions",
        "manage_messages",
        "pin_messages",
        "manage_channels",
        "manage_roles",
        "manage_events",
        "create_events",
        "use_application_commands",
    }
    assert discord.Permissions(**dict.fromkeys(names, True)).value == BOT_INVITE_PERMISSIONS


async def test_dm_reply_is_visible_in_the_dm_log(bot: SandboxTestBot, client: SandboxClient) -> None:
    await client.send_message("alex", "dm", "hello bot")
    dms = await client.wait_for(lambda: _dms_with_reply(client), timeout=5)
    assert [(m["author"]["bot"], m["content"]) for m in dms] == [
        (False, "hello bot"),
        (True, "got: hello bot"),
    ]


async def _dms_with_reply(client: SandboxClient) -> list[dict[str, object]] | None:
    dms = await client.dms("alex")
    return dms if len(dms) == 2 else None


async def test_denied_send_permission_answers_403_50013(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    await client.set_overwrite("general", "NSS-CoP Bot", deny=["send_messages"])
    channel = _channel(bot, sandbox, "general")
    await wait_until(lambda: not channel.permissions_for(channel.guild.me).send_messages)
    with pytest.raises(discord.Forbidden) as caught:
        await channel.send("hello")
    assert caught.value.code == 50013
    assert [v["code"] for v in await client.violations()] == [50013]


async def test_read_only_channel_refuses_members_but_not_the_bot(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    await _channel(bot, sandbox, "announcements").send("news")
    status, body = await client.call(
        "POST", "/_sandbox/messages", {"user": "alex", "channel": "announcements", "content": "hi"}
    )
    assert status == 403 and "announcements" in body["error"]


async def test_message_over_2000_chars_is_400_50035_and_recorded(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    with pytest.raises(discord.HTTPException) as caught:
        await _channel(bot, sandbox, "general").send("x" * 2001)
    assert caught.value.status == 400 and caught.value.code == 50035
    violations = await client.violations()
    assert len(violations) == 1 and violations[0]["code"] == 50035 and "content" in violations[0]["errors"]


async def test_rate_limited_429_with_via_is_retried(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    await client.fault("POST", r"/channels/\d+/messages$", 429, count=1, retry_after=0.05)
    message = await _channel(bot, sandbox, "general").send("eventually")
    assert message.content == "eventually"
    statuses = [
        r["status"]
        for r in await client.requests()
        if r["method"] == "POST" and r["path"].endswith("/messages")
    ]
    assert statuses == [429, 200]


async def test_injected_503_surfaces_as_discord_server_error(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    await client.fault("POST", r"/channels/\d+/messages$", 503)
    with pytest.raises(discord.DiscordServerError):
        await _channel(bot, sandbox, "general").send("boom")


async def test_unknown_route_answers_discord_404(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{sandbox.http_base}/api/v10/no/such/route") as r:
        assert r.status == 404 and r.headers["Content-Type"] == "application/json"
        assert await r.json() == {"message": "404: Not Found", "code": 0}


async def test_missing_authorization_answers_401(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{sandbox.http_base}/api/v10/users/@me") as r:
        assert r.status == 401


async def test_snowflakes_are_17_to_20_digits_and_increase(bot: SandboxTestBot, sandbox: Sandbox) -> None:
    channel = _channel(bot, sandbox, "general")
    ids = [(await channel.send(f"m{i}")).id for i in range(3)]
    assert all(17 <= len(str(i)) <= 20 for i in [*ids, sandbox.seed.guild_id, *sandbox.seed.users.values()])
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert ids[0] > max(sandbox.seed.channels.values())


async def test_responses_carry_rate_limit_headers(bot: SandboxTestBot, sandbox: Sandbox) -> None:
    url = f"{sandbox.http_base}/api/v10/channels/{sandbox.seed.channels['general']}/messages"
    headers = {"Authorization": f"Bot {sandbox.bot_token}"}
    async with aiohttp.ClientSession() as http, http.post(url, json={"content": "hi"}, headers=headers) as r:
        assert r.status == 200
        assert r.headers["X-RateLimit-Limit"] == "5" and r.headers["X-RateLimit-Remaining"] == "4"
        assert r.headers["X-RateLimit-Bucket"]


async def test_file_upload_is_stored_and_served(bot: SandboxTestBot, sandbox: Sandbox) -> None:
    message = await _channel(bot, sandbox, "general").send(
        "see file", file=discord.File(io.BytesIO(b"hello"), "notes.txt")
    )
    attachment = message.attachments[0]
    assert attachment.filename == "notes.txt" and attachment.size == 5
    assert attachment.url.startswith(sandbox.http_base)
    assert await attachment.read() == b"hello"


async def test_dm_to_user_with_closed_dms_is_403_50007(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    await client.set_dms_open("sam", False)
    user = await bot.fetch_user(sandbox.seed.users["sam"])
    with pytest.raises(discord.Forbidden) as caught:
        await user.send("hi")
    assert caught.value.code == 50007


async def test_allowed_mentions_none_pings_nobody(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    alex = sandbox.seed.users["alex"]
    await _channel(bot, sandbox, "general").send(f"@everyone <@{alex}>")
    [stored] = await client.channel_messages("general")
    assert stored["mentions"] == [] and stored["mention_everyone"] is False


async def test_thread_from_message_shares_the_message_id(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    message = await _channel(bot, sandbox, "working-groups").send("group A")
    thread = await message.create_thread(name="Group A")
    await thread.send("inside")
    assert thread.id == message.id
    assert [m["content"] for m in await client.channel_messages(thread.id)] == ["inside"]
    assert (await client.channel_messages("working-groups"))[0]["thread_id"] == str(thread.id)


async def test_external_event_is_created_and_dispatched(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    guild = bot.get_guild(sandbox.seed.guild_id)
    assert guild is not None
    start = discord.utils.utcnow() + dt.timedelta(days=1)
    event = await guild.create_scheduled_event(
        name="Drop-in",
        start_time=start,
        end_time=start + dt.timedelta(hours=1),
        location="https://zoom.example/j/1",
        entity_type=discord.EntityType.external,
        privacy_level=discord.PrivacyLevel.guild_only,
    )
    await wait_until(lambda: guild.get_scheduled_event(event.id) is not None)
    assert [e["name"] for e in (await client.guild())["scheduled_events"]] == ["Drop-in"]
    assert await client.violations() == []


async def test_event_without_entity_type_is_refused(bot: SandboxTestBot, sandbox: Sandbox) -> None:
    guild = bot.get_guild(sandbox.seed.guild_id)
    assert guild is not None
    start = discord.utils.utcnow() + dt.timedelta(days=1)
    with pytest.raises(discord.HTTPException) as caught:
        await bot.http.create_guild_scheduled_event(
            guild.id,
            name="x",
            scheduled_start_time=start.isoformat(),
            scheduled_end_time=(start + dt.timedelta(hours=1)).isoformat(),
            entity_metadata={"location": "zoom"},
        )
    assert caught.value.status == 400


async def test_role_above_the_bot_cannot_be_granted(bot: SandboxTestBot, sandbox: Sandbox) -> None:
    guild = bot.get_guild(sandbox.seed.guild_id)
    assert guild is not None
    member = guild.get_member(sandbox.seed.users["riley"])
    bot_role = guild.get_role(sandbox.seed.roles["NSS-CoP Bot"])
    facilitator = guild.get_role(sandbox.seed.roles["Facilitator"])
    assert member is not None and bot_role is not None and facilitator is not None
    await member.add_roles(facilitator)
    await wait_until(lambda: facilitator in member.roles)
    with pytest.raises(discord.Forbidden):
        await member.add_roles(bot_role)


async def test_request_log_flags_dm_traffic_with_the_user(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    await client.send_message("riley", "dm", "psst")
    await client.wait_for(lambda: _bot_replied(client, "riley"), timeout=5)
    posts = [r for r in await client.requests() if r["method"] == "POST" and r["path"].endswith("/messages")]
    assert [(r["dm"], r["dm_user_id"]) for r in posts] == [(True, str(sandbox.seed.users["riley"]))]


async def _bot_replied(client: SandboxClient, user: str) -> bool:
    return any(m["author"]["bot"] for m in await client.dms(user))

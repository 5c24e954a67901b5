"""Forum channels refuse what Discord refuses (discord-api-docs, docs/resources/channel.mdx, "Start
Thread in Forum or Media Channel"): no direct messages, a post needs a first message, tags must be the
forum's own, a REQUIRE_TAG forum needs one, and SEND_MESSAGES is what creating a post takes."""

from __future__ import annotations

import discord
import pytest

from sandbox import Sandbox, SandboxClient
from sandbox.seed import MINUTES_FORUM
from tests.sandbox.conftest import SandboxTestBot, wait_until


def _forum(bot: SandboxTestBot, sandbox: Sandbox) -> discord.ForumChannel:
    channel = bot.get_channel(sandbox.seed.channels[MINUTES_FORUM])
    assert isinstance(channel, discord.ForumChannel)
    return channel


async def test_a_post_starts_with_a_message_that_has_the_posts_id(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    forum = _forum(bot, sandbox)

    created = await forum.create_thread(
        name="Minutes", content="# Notes", applied_tags=forum.available_tags[:2]
    )

    assert created.message.id == created.thread.id
    assert sorted(t.id for t in created.thread.applied_tags) == sorted(t.id for t in forum.available_tags[:2])
    assert await client.violations() == []


async def test_a_require_tag_forum_refuses_a_post_without_tags(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    with pytest.raises(discord.HTTPException) as caught:
        await _forum(bot, sandbox).create_thread(name="Minutes", content="# Notes")

    assert (caught.value.status, caught.value.code) == (400, 40067)


async def test_more_than_five_tags_are_refused(bot: SandboxTestBot, sandbox: Sandbox) -> None:
    forum = _forum(bot, sandbox)
    tag = forum.available_tags[0]

    with pytest.raises(discord.HTTPException) as caught:
        await forum.create_thread(name="Minutes", content="x", applied_tags=[tag] * 6)

    assert (caught.value.status, caught.value.code) == (400, 50035)


async def test_a_tag_of_another_channel_is_refused(bot: SandboxTestBot, sandbox: Sandbox) -> None:
    forum = _forum(bot, sandbox)
    foreign = discord.ForumTag(name="Elsewhere")
    foreign.id = 42

    with pytest.raises(discord.HTTPException) as caught:
        await forum.create_thread(name="Minutes", content="x", applied_tags=[foreign])

    assert (caught.value.status, caught.value.code) == (400, 50035)


async def test_messages_cannot_be_sent_in_the_forum_itself(bot: SandboxTestBot, sandbox: Sandbox) -> None:
    forum = _forum(bot, sandbox)
    messageable = bot.get_partial_messageable(forum.id)

    with pytest.raises(discord.HTTPException) as caught:
        await messageable.send("hello")

    assert (caught.value.status, caught.value.code) == (400, 50008)


async def test_creating_a_post_takes_send_messages(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    forum = _forum(bot, sandbox)
    await client.set_overwrite(MINUTES_FORUM, "NSS-CoP Bot", deny=["send_messages"])
    await wait_until(lambda: not forum.permissions_for(forum.guild.me).send_messages)

    with pytest.raises(discord.Forbidden) as caught:
        await forum.create_thread(name="Minutes", content="x", applied_tags=forum.available_tags[:1])

    assert caught.value.code == 50013

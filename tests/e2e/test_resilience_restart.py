"""The bot SIGKILLed in the middle of work and restarted on the same database: nothing is lost or
doubled. The bot runs as a real subprocess (tests/e2e/bot_subprocess.py); the kill lands while it
waits out a 429 on the very request that does the work, so the work is provably unfinished."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import ShiftedClock
from sandbox import Sandbox, SandboxClient
from tests.e2e.bot_subprocess import BotProcess
from tests.e2e.question_steps import (
    bot_posts,
    button,
    last_message,
    submit_by_dm,
    text_of,
    wait_for_bot_posts,
)
from tests.e2e.resilience_steps import sandbox_and_client, stall, stalled

AFTER_DROPIN = datetime.fromisoformat("2026-12-03T18:40:00+00:00")  # minutes can be taken
REMINDER_15 = datetime.fromisoformat("2026-12-03T16:45:00+00:00")  # 15 minutes before the drop-in


@dataclass
class Rig:
    sandbox: Sandbox
    client: SandboxClient
    bot: BotProcess

    def channel(self, name: str) -> int:
        return self.sandbox.seed.channels[name]

    def messages_of(self, channel: str) -> str:
        return rf"/channels/{self.channel(channel)}/messages$"

    async def kill_mid_post(self, path: str, action: Coroutine[Any, Any, Any] | None = None) -> None:
        """SIGKILLs the bot while it waits out a 429 on its next POST to `path`: the work is provably
        unfinished. `action` is the control call that makes it post there (none: a timer will); its
        answer may never come (the bot dies), so it is cancelled."""
        fault = stall(self.sandbox, "POST", path)
        task = asyncio.create_task(action) if action is not None else None
        try:
            await stalled(fault)
            await self.bot.kill()
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task


@contextlib.asynccontextmanager
async def rig(data_dir: Path, start_at: datetime | None = None) -> AsyncIterator[Rig]:
    sandbox = Sandbox(seed=True, clock=ShiftedClock(start_at).now if start_at else None)
    async with sandbox_and_client(sandbox) as client:
        bot = BotProcess(sandbox, data_dir, start_at=start_at)
        try:
            await bot.start(bootstrap=True)
            yield Rig(sandbox, client, bot)
        finally:
            await bot.close()


async def test_a_question_submitted_before_a_kill_reaches_review_once_after_restart(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        asking = submit_by_dm(r.client, "sam", "Where can I find naloxone training?")
        await r.kill_mid_post(r.messages_of("question-review"), asking)
        assert await bot_posts(r.client, "question-review") == []  # the card really was not posted
        await r.bot.start()
        card = await last_message(r.client, "question-review", within=15)
        assert "naloxone training" in text_of(card)
        await r.bot.close()  # anything still in flight lands before we count
        assert len(await bot_posts(r.client, "question-review")) == 1
        assert await r.client.violations() == []


async def test_a_question_approved_before_a_kill_is_published_once_with_one_thread(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        await submit_by_dm(r.client, "alex", "Is there a peer line open at night?")
        card = await last_message(r.client, "question-review")
        approving = r.client.component("fiona", card["id"], button(card, "approve"))
        await r.kill_mid_post(r.messages_of("questions"), approving)
        assert await bot_posts(r.client, "questions") == []
        await r.bot.start()

        async def threaded() -> list[dict[str, Any]]:
            posts = await bot_posts(r.client, "questions")
            return posts if posts and posts[-1].get("thread_id") else []

        await r.client.wait_for(threaded, timeout=15)
        await r.bot.close()
        (post,) = await bot_posts(r.client, "questions")
        assert "peer line open at night" in text_of(post)
        threads = [
            t
            for t in (await r.client.guild())["threads"]
            if t.get("parent_id") == str(r.channel("questions"))
        ]
        assert [t["id"] for t in threads] == [post["thread_id"]]
        assert await r.client.violations() == []


async def _minutes_in_review(client: SandboxClient) -> dict[str, Any]:
    started = await client.command("fiona", "minutes start")
    panel = started["followups"][0]
    opened = await client.component("fiona", panel["id"], button(panel, "min-page2"))
    values = {"topics": "Pharmacy access", "resources": "", "decisions": "Write a guide", "actions": ""}
    await client.modal("fiona", opened["interaction_id"], values)
    await client.command("fiona", "minutes submit")
    return await last_message(client, "minutes-review")


async def test_minutes_approved_as_the_bot_dies_are_published_once(tmp_path: Path) -> None:
    async with rig(tmp_path, AFTER_DROPIN) as r:
        card = await _minutes_in_review(r.client)
        approving = r.client.component("farah", card["id"], button(card, "min-approve"))
        await r.kill_mid_post(r.messages_of("minutes"), approving)
        assert await bot_posts(r.client, "minutes") == []
        await r.bot.start()
        # The approval that was cut short is back in review: approving again finishes it, once.
        card = await last_message(r.client, "minutes-review")
        await r.client.component("farah", card["id"], button(card, "min-approve"))
        posts = await bot_posts(r.client, "minutes")
        await r.bot.close()
        assert [m["id"] for m in await bot_posts(r.client, "minutes")] == [m["id"] for m in posts]
        assert len(posts) == 1 and "Write a guide" in posts[0]["content"]
        assert await r.client.violations() == []


async def test_a_working_group_created_as_the_bot_dies_has_one_role_and_one_channel(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        guild_id = r.sandbox.seed.guild_id
        options = {"name": "Peer Support", "description": "Peers", "visibility": "open", "lead": "sam"}
        await r.kill_mid_post(
            rf"/guilds/{guild_id}/channels$", r.client.command("fiona", "wg create", options)
        )
        await r.bot.start()

        async def built() -> dict[str, Any] | None:
            guild = await r.client.guild()
            channel = [c for c in guild["channels"] if c["name"] == "wg-peer-support"]
            return guild if channel and (await r.client.channel_messages(channel[0]["id"])) else None

        await r.client.wait_for(built, timeout=15)
        await r.bot.close()
        guild = await r.client.guild()
        assert [role["name"] for role in guild["roles"]].count("WG · Peer Support") == 1
        assert [c["name"] for c in guild["channels"]].count("wg-peer-support") == 1
        assert [c["name"] for c in guild["channels"] if c["type"] == 4].count("Working groups") == 1
        assert len(await bot_posts(r.client, "wg-peer-support")) == 1  # the charter, once
        assert await r.client.violations() == []


async def test_a_dropin_reminder_cut_short_by_a_kill_is_posted_once(tmp_path: Path) -> None:
    async with rig(tmp_path, REMINDER_15 - timedelta(seconds=3)) as r:
        await r.kill_mid_post(r.messages_of("drop-in"))  # the reminder timer posts there in 3 s
        assert await bot_posts(r.client, "drop-in") == []
        await r.bot.start()
        (post,) = await wait_for_bot_posts(r.client, "drop-in", within=15)
        await r.bot.close()
        assert [m["id"] for m in await bot_posts(r.client, "drop-in")] == [post["id"]]
        assert "Weekly drop-in: Thursday, December 3, 2026" in text_of(post)
        assert await r.client.violations() == []

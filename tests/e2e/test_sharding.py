"""Two bot processes on two shards, serving two guilds, on one PostgreSQL (docs/scaling.md).

Real subprocesses (tests/e2e/bot_subprocess.py), the sandbox routing each guild's events to its shard and
DMs to shard 0 as Discord does. Shown: each guild's events reach exactly one process, which answers
them; the drop-in reminder due in each guild is posted once; a DM (on shard 0) from a member of the
other process's guild is answered once, and its question reaches that guild's review channel once.
Skipped without PostgreSQL binaries unless NSSCOP_TEST_REQUIRE_POSTGRES=1 (then it fails)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import ShiftedClock
from bot.domain.dropin import post_nonce
from sandbox import Sandbox, SandboxClient, SeedInfo
from tests.e2e.bot_subprocess import START_TIMEOUT, BotProcess
from tests.e2e.question_steps import bot_dms, bot_posts, button, dm_and_wait, text_of, wait_for_bot_posts
from tests.e2e.throwaway_postgres import throwaway_postgres

REMINDER_15 = datetime.fromisoformat("2026-12-03T16:45:00+00:00")  # 15 minutes before Thursday's drop-in
START_AT = REMINDER_15 - timedelta(seconds=4)


@dataclass
class Deployment:
    sandbox: Sandbox
    guilds: dict[int, SeedInfo]  # by shard

    def client(self, shard: int) -> SandboxClient:
        """Control calls about the guild on `shard`."""
        return SandboxClient(self.sandbox.http_base, guild=self.guilds[shard].guild_id)

    def shards_that_received(self, needle: str) -> list[int]:
        """The shard of every gateway session sent a dispatch frame holding `needle`."""
        found = []
        for session in self.sandbox.hub.gateway.sessions.values():
            assert session.shard is not None
            found += [session.shard[0] for _, frame in session.history if needle in frame]
        return found


@contextlib.asynccontextmanager
async def deployment(tmp_path: Path) -> AsyncIterator[Deployment]:
    async with throwaway_postgres() as postgres:
        sandbox = Sandbox(seed=True, clock=ShiftedClock(START_AT).now, guilds=2)
        await sandbox.start(port=0)
        seeds = [sandbox.seed, sandbox.seed.other()]
        guilds = {(s.guild_id >> 22) % 2: s for s in seeds}
        processes = [
            BotProcess(
                sandbox,
                tmp_path / f"shard{n}",
                start_at=START_AT,
                database_url=postgres.url,
                shard_count=2,
                shard_ids=[n],
                handoff_seconds=1.0,
            )
            for n in (0, 1)
        ]
        try:
            for process in processes:  # started together, as a deployment would (they share migrations)
                await process.launch(bootstrap=True)
            deadline = asyncio.get_running_loop().time() + START_TIMEOUT
            for process in processes:
                await process.wait_ready(deadline)
            yield Deployment(sandbox, guilds)
        finally:
            for process in processes:
                await process.close()
            await sandbox.stop()


def footer(embed: dict[str, Any]) -> str:
    return str((embed.get("footer") or {}).get("text") or "")


async def test_two_processes_on_two_shards_share_the_work_without_doubling_it(tmp_path: Path) -> None:
    async with deployment(tmp_path) as d:
        clients = {shard: d.client(shard) for shard in (0, 1)}
        try:
            # Each guild's events reach exactly one process, the one on its shard, which answers.
            for shard, client in clients.items():
                result = await client.command("alex", "dropin next", channel="general")
                assert "data" in (result.get("response") or {}), result
                assert d.shards_that_received(f'"id": "{result["interaction_id"]}"') == [shard]

            # The 15-minute reminder is due in both guilds: each is posted once, by its own process.
            async def reminders(shard: int) -> list[str]:
                wanted = post_nonce(d.guilds[shard].guild_id, REMINDER_15.date(), "reminder-15")
                posts = await bot_posts(clients[shard], "drop-in")
                return [m for p in posts for e in p.get("embeds") or [] if (m := footer(e)) == wanted]

            for shard in clients:
                await clients[shard].wait_for(lambda s=shard: reminders(s), timeout=15)
            await asyncio.sleep(2)  # a second post, if any process were to double it, would land by now
            for shard in clients:
                assert len(await reminders(shard)) == 1
                assert len(await bot_posts(clients[shard], "drop-in")) == 1

            # Sam stays only in the guild of shard 1; sam's DM arrives on shard 0 and is answered once.
            await clients[0].remove_member("sam")
            draft = await dm_and_wait(clients[0], "sam", "Is the Thursday room wheelchair accessible?")
            assert d.shards_that_received('"content": "Is the Thursday room wheelchair accessible?"') == [0]
            await clients[0].component("sam", draft["id"], button(draft, "draft-submit"))
            card = (await wait_for_bot_posts(clients[1], "question-review", within=15))[0]
            assert "wheelchair accessible" in text_of(card)
            await asyncio.sleep(2)  # the handoff timer runs every second: a double would land by now
            assert len(await bot_dms(clients[0], "sam")) == 1
            assert len(await bot_posts(clients[1], "question-review")) == 1
            assert await bot_posts(clients[0], "question-review") == []
            assert await clients[0].violations() == []
        finally:
            for client in clients.values():
                await client.close()

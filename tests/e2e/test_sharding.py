"""Two bot processes on two shards, serving two guilds, on one PostgreSQL (docs/scaling.md).

Real subprocesses (tests/e2e/shard_runner.py), the sandbox routing each guild's events to its shard and
DMs to shard 0 as Discord does. Shown: each guild's events reach exactly one process, which answers
them; the drop-in reminder due in each guild is posted once; a DM (on shard 0) from a member of the
other process's guild is answered once, and its question reaches that guild's review channel once.
Skipped without PostgreSQL binaries unless NSSCOP_TEST_REQUIRE_POSTGRES=1 (then it fails)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import ShiftedClock
from bot.domain.dropin import post_nonce
from sandbox import Sandbox, SandboxClient, SeedInfo
from tests.e2e.question_steps import bot_dms, button, dm_and_wait, text_of
from tests.e2e.throwaway_postgres import throwaway_postgres

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 45.0  # two cold interpreters importing discord.py and SQLAlchemy on a busy 2-core machine
STOP_TIMEOUT = 15.0
REMINDER_15 = datetime.fromisoformat("2026-12-03T16:45:00+00:00")  # 15 minutes before Thursday's drop-in
START_AT = REMINDER_15 - timedelta(seconds=4)


class ShardProcess:
    def __init__(self, sandbox: Sandbox, data_dir: Path, database_url: str, shard_id: int) -> None:
        self.sandbox = sandbox
        self.data_dir = data_dir
        self.database_url = database_url
        self.shard_id = shard_id
        self.process: asyncio.subprocess.Process | None = None
        data_dir.mkdir(parents=True, exist_ok=True)

    async def start(self) -> None:
        seed = self.data_dir / "seed.json"
        seed.write_text(json.dumps(dataclasses.asdict(self.sandbox.seed)))
        args = [
            sys.executable, "-m", "tests.e2e.shard_runner",
            "--sandbox", self.sandbox.http_base,
            "--token", self.sandbox.bot_token,
            "--seed", str(seed),
            "--data-dir", str(self.data_dir),
            "--database-url", self.database_url,
            "--shard-count", "2",
            "--shard-ids", str(self.shard_id),
            "--start-at", START_AT.isoformat(),
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith("NSSCOP_")}
        with (self.data_dir / "bot.log").open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                *args, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
            )

    async def wait_ready(self, deadline: float) -> None:
        assert self.process is not None
        marker = self.data_dir / f"ready-{self.process.pid}"
        loop = asyncio.get_running_loop()
        while not marker.exists():
            if self.process.returncode is not None:
                raise RuntimeError(f"shard {self.shard_id} exited {self.process.returncode}: {self.logs()}")
            if loop.time() > deadline:
                raise TimeoutError(f"shard {self.shard_id} not ready in {START_TIMEOUT} s: {self.logs()}")
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()

    def logs(self) -> str:
        path = self.data_dir / "bot.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


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
        processes = [ShardProcess(sandbox, tmp_path / f"shard{n}", postgres.url, n) for n in (0, 1)]
        try:
            for process in processes:  # started together, as a deployment would (they share migrations)
                await process.start()
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


async def bot_posts(client: SandboxClient, channel: str) -> list[dict[str, Any]]:
    return [m for m in await client.channel_messages(channel) if m["author"].get("bot")]


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
            card = (await clients[1].wait_for(lambda: bot_posts(clients[1], "question-review"), timeout=15))[
                0
            ]
            assert "wheelchair accessible" in text_of(card)
            await asyncio.sleep(2)  # the handoff timer runs every second: a double would land by now
            assert len(await bot_dms(clients[0], "sam")) == 1
            assert len(await bot_posts(clients[1], "question-review")) == 1
            assert await bot_posts(clients[0], "question-review") == []
            assert await clients[0].violations() == []
        finally:
            for client in clients.values():
                await client.close()

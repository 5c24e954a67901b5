"""Helpers for the resilience tests: the bot as a real subprocess that a test can SIGKILL and restart
against a sandbox the test owns, and a way to stall one Discord route so the kill lands mid-work."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

from sandbox import Sandbox, SandboxClient
from sandbox.hub import Fault

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 45.0  # a cold interpreter importing discord.py and SQLAlchemy on a busy 2-core machine
STOP_TIMEOUT = 15.0
STALL = 30.0  # a 429's retry_after below the bot's max_ratelimit_timeout (60 s): the bot waits it out


class BotProcess:
    """`python -m tests.e2e.resilience_runner`, one process at a time, always reaped by `close()`."""

    def __init__(
        self,
        sandbox: Sandbox,
        data_dir: Path,
        *,
        start_at: datetime | None = None,
        database_url: str | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.data_dir = data_dir
        self.start_at = start_at
        self.database_url = database_url
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        data_dir.mkdir(parents=True, exist_ok=True)
        self._seed = data_dir / "seed.json"
        self._seed.write_text(json.dumps(dataclasses.asdict(sandbox.seed)))

    async def start(self, *, bootstrap: bool = False) -> None:
        assert self.process is None, "one bot process at a time"
        args = [
            sys.executable,
            "-m",
            "tests.e2e.resilience_runner",
            "--sandbox",
            self.sandbox.http_base,
            "--token",
            self.sandbox.bot_token,
            "--seed",
            str(self._seed),
            "--data-dir",
            str(self.data_dir),
        ]
        if bootstrap:
            args.append("--bootstrap")
        if self.start_at is not None:  # the restarted bot's clock goes on from the sandbox's "now"
            moment = self.sandbox.clock() if self.starts else self.start_at
            args += ["--start-at", moment.isoformat()]
        if self.database_url:
            args += ["--database-url", self.database_url]
        env = {k: v for k, v in os.environ.items() if not k.startswith("NSSCOP_")}
        self.starts += 1
        log = (self.data_dir / f"bot-{self.starts}.log").open("wb")
        try:
            self.process = await asyncio.create_subprocess_exec(
                *args, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
            )
        finally:
            log.close()
        await self._wait_ready()

    async def _wait_ready(self) -> None:
        assert self.process is not None
        marker = self.data_dir / f"ready-{self.process.pid}"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        while not (marker.exists() and self.sandbox.hub.ready):
            if self.process.returncode is not None:
                raise RuntimeError(f"the bot exited with {self.process.returncode}: {self.logs()}")
            if loop.time() > deadline:
                raise TimeoutError(f"the bot was not ready within {START_TIMEOUT} s: {self.logs()}")
            await asyncio.sleep(0.05)

    async def kill(self) -> None:
        """SIGKILL: no finally blocks, no graceful close; the database keeps what was committed."""
        assert self.process is not None
        self.process.kill()
        await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT)
        self.process = None

    async def close(self) -> None:
        """SIGTERM and wait (the bot closes its gateway connection); SIGKILL if it hangs."""
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
        return "\n".join(
            p.read_text(errors="replace")[-3000:] for p in sorted(self.data_dir.glob("bot-*.log"))
        )


@contextlib.asynccontextmanager
async def sandbox_and_client(sandbox: Sandbox) -> AsyncIterator[SandboxClient]:
    await sandbox.start(port=0)
    try:
        async with SandboxClient(sandbox.http_base) as client:
            yield client
    finally:
        await sandbox.stop()


def stall(sandbox: Sandbox, method: str, path: str) -> Fault:
    """The next matching request answers 429 with a long retry_after: the bot sits mid-work, waiting."""
    fault = Fault(method=method, path=re.compile(path), status=429, remaining=1, retry_after=STALL)
    sandbox.hub.faults.append(fault)
    return fault


async def stalled(fault: Fault, within: float = 20.0) -> None:
    """Bounded wait until the bot has hit the stalled route (and is now sleeping on its retry_after)."""

    async def hit() -> bool:
        return fault.remaining == 0

    await SandboxClient.wait_for(hit, timeout=within)

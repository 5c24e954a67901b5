"""Helpers for the resilience tests: a sandbox the test owns (the bot runs against it as a real
subprocess, tests/e2e/bot_subprocess.py), and a way to stall one Discord route so a kill lands mid-work."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator

from sandbox import Sandbox, SandboxClient
from sandbox.hub import Fault

STALL = 30.0  # a 429's retry_after below the bot's max_ratelimit_timeout (60 s): the bot waits it out


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

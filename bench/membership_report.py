"""/community report on a crowded server: how long the facilitator waits, per format.

Run:  python -m bench.membership_report [--members 5000] [--runs 5]
Starts the sandbox seeded with that many members (a third and a half of them in two community roles)
and the real bot in one process on a temporary SQLite, then runs the report as a facilitator and
reports the time to the first acknowledgement (Discord allows 3 s) and to the final answer.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.clock import SystemClock
from db.engine import create_session_factory
from db.repositories.members import MembersRepository
from sandbox import Crowd, Sandbox


@dataclass(frozen=True)
class ReportTimings:
    members: int
    format: str
    runs: int
    median_s: float
    max_s: float
    deferred: bool
    violations: int


async def time_report(live: Any, fmt: str, runs: int) -> ReportTimings:
    durations = []
    deferred = True
    for _ in range(runs):
        started = time.monotonic()
        result = await live.client.command("fiona", "community report", {"format": fmt})
        durations.append(time.monotonic() - started)
        deferred = deferred and result["response"]["type"] == 5
    guild = live.app.bot.get_guild(live.sandbox.seed.guild_id)
    return ReportTimings(
        members=guild.member_count if guild else 0,
        format=fmt,
        runs=runs,
        median_s=round(statistics.median(durations), 3),
        max_s=round(max(durations), 3),
        deferred=deferred,
        violations=len(await live.client.violations()),
    )


async def _main(members: int, runs: int) -> None:
    from tests.e2e.conftest import running_bot

    clock = SystemClock()
    sandbox = Sandbox(
        seed=True, clock=clock.now, crowd=Crowd(members, {"Crowd nurse": 2, "Crowd pharmacist": 3})
    )
    await sandbox.start(port=0)
    try:
        with tempfile.TemporaryDirectory() as directory:
            async with running_bot(Path(directory), clock, sandbox) as live:
                async with create_session_factory(live.app.engine).begin() as session:
                    repo = MembersRepository(session)
                    await repo.set_role_id(sandbox.seed.guild_id, "nurse", sandbox.seed.roles["Crowd nurse"])
                    await repo.set_role_id(
                        sandbox.seed.guild_id, "pharmacist", sandbox.seed.roles["Crowd pharmacist"]
                    )
                for fmt in ("csv", "table"):
                    print(await time_report(live, fmt, runs))
    finally:
        await sandbox.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(_main(arguments.members, arguments.runs))

"""Our bot as the benchmark runs it: the real app against a sandbox process, counting database round trips.

`python -m bench.ours BASE TOKEN SEED_JSON DATA_DIR STATS_FILE`. Prints "READY <monotonic>" once the
bot is ready. On SIGUSR1 it writes {"seq", "cpu_s", "db_round_trips"} to STATS_FILE (bench/stats.py):
every call that crosses to aiosqlite's worker thread (a statement, a fetch, a commit, a rollback)
counts as one round trip.

With NSSCOP_BENCH_PROFILE=FILE set, the event loop's thread runs under cProfile from the start of
`main` and its statistics are written to FILE.PID (a pstats file) at exit; read them with
`python -m pstats FILE.PID`. The CPU figures of such a run are not comparable with an unprofiled one.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import logging
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import aiosqlite.core
import discord.gateway
import discord.http
import yarl

from bench.stats import report_on_signal
from bot.app import build_app, serve, stop_on_signals
from bot.clock import SystemClock
from bot.sandbox_mode import point_settings_at_seed, sandbox_config

if TYPE_CHECKING:
    from sandbox import SeedInfo

ROUND_TRIPS = [0]


def _count_round_trips() -> None:
    original = aiosqlite.core.Connection._execute

    async def counted(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        ROUND_TRIPS[0] += 1
        return await original(self, fn, *args, **kwargs)

    aiosqlite.core.Connection._execute = counted  # type: ignore[method-assign]


async def main(base: str, token: str, seed: SeedInfo, data_dir: Path, stats: Path) -> None:
    logging.basicConfig(
        level=getattr(logging, os.environ.get("NSSCOP_BENCH_LOG", "WARNING")),
        format="%(relativeCreated)6d %(name)s %(message)s",
    )
    discord.http.Route.BASE = base + "/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(base.replace("http", "ws", 1) + "/")
    _count_round_trips()
    app = await build_app(sandbox_config(data_dir, seed.guild_id), SystemClock(), guild_ready_timeout=0.1)
    await point_settings_at_seed(app.services, seed)
    stop = asyncio.Event()
    stop_on_signals(stop)
    report_on_signal(stats, lambda: {"db_round_trips": ROUND_TRIPS[0]})

    async def announce() -> None:
        print(f"READY {time.monotonic()}", flush=True)

    app.bot.add_listener(announce, "on_ready")
    await serve(app, token, stop)


def _run(profile_to: str | None) -> None:
    seed = cast("SeedInfo", SimpleNamespace(**json.loads(sys.argv[3])))  # not importing the sandbox package
    run = main(sys.argv[1], sys.argv[2], seed, Path(sys.argv[4]), Path(sys.argv[5]))
    if not profile_to:
        asyncio.run(run)
        return
    profiler = cProfile.Profile(time.thread_time)
    try:
        profiler.runcall(asyncio.run, run)
    finally:
        profiler.dump_stats(f"{profile_to}.{os.getpid()}")


if __name__ == "__main__":
    _run(os.environ.get("NSSCOP_BENCH_PROFILE"))

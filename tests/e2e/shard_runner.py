"""One bot process on some of Discord's shards, against a sandbox a test started (tests/e2e/test_sharding.py).

    python -m tests.e2e.shard_runner --sandbox URL --token T --seed seed.json --data-dir D
        --database-url URL --shard-count N --shard-ids I [I ...] [--start-at ISO] [--handoff-seconds S]

It stores the settings and drop-in of the seeded guilds on its own shards (as their facilitators would
have), syncs its commands to them, writes `<data-dir>/ready-<pid>` once discord.py reports ready, and
serves until SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

import discord.gateway
import discord.http
import yarl
from pydantic import SecretStr

from bot.app import build_app, serve, stop_on_signals
from bot.clock import Clock, ShiftedClock, SystemClock
from bot.logs import configure_logging
from bot.sandbox_mode import point_settings_at_seed, sandbox_config
from sandbox import SeedInfo


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.shard_runner")
    parser.add_argument(
        "--sandbox", required=True, help="the sandbox's http base, e.g. http://127.0.0.1:1234"
    )
    parser.add_argument("--token", required=True)
    parser.add_argument("--seed", type=Path, required=True, help="the sandbox's SeedInfo as JSON")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--shard-count", type=int, required=True)
    parser.add_argument("--shard-ids", type=int, nargs="+", required=True)
    parser.add_argument("--start-at", type=datetime.fromisoformat)
    parser.add_argument("--handoff-seconds", type=float, default=1.0)
    return parser


async def run(args: argparse.Namespace) -> int:
    raw = json.loads(args.seed.read_text())
    seed = SeedInfo(**raw)
    seeds = [seed, *(seed.other(i) for i in range(len(seed.others)))]
    discord.http.Route.BASE = args.sandbox.rstrip("/") + "/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(
        args.sandbox.replace("http://", "ws://", 1) + "/"
    )
    clock: Clock = ShiftedClock(args.start_at) if args.start_at else SystemClock()
    config = sandbox_config(args.data_dir, seed.guild_id, question_delay=(0, 0))
    bot = config.bot.model_copy(update={"shard_count": args.shard_count, "shard_ids": args.shard_ids})
    secrets = config.secrets.model_copy(update={"database_url": SecretStr(args.database_url)})
    config = config.model_copy(update={"bot": bot, "secrets": secrets})
    shards = config.bot.shards()
    ours = [s for s in seeds if shards.owns(s.guild_id)]
    stop = asyncio.Event()
    stop_on_signals(stop)
    app = await build_app(
        config,
        clock,
        sync_guild_ids=[s.guild_id for s in ours],
        guild_ready_timeout=0.1,
        handoff_every=timedelta(seconds=args.handoff_seconds),
    )
    for guild_seed in ours:
        await point_settings_at_seed(app.services, guild_seed)
    marker = args.data_dir / f"ready-{os.getpid()}"

    async def mark_ready() -> None:
        await asyncio.to_thread(marker.write_text, "ready")

    app.bot.add_listener(mark_ready, "on_ready")
    await serve(app, args.token, stop)
    return 0


def main() -> int:
    configure_logging(os.environ.get("NSSCOP_LOG_LEVEL", "WARNING"))
    return asyncio.run(run(_parser().parse_args()))


if __name__ == "__main__":
    sys.exit(main())

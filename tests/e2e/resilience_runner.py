"""The bot alone in its own process, against a sandbox a test started: so the test can SIGKILL it.

    python -m tests.e2e.resilience_runner --sandbox URL --token T --seed seed.json --data-dir D
        [--bootstrap] [--start-at ISO] [--database-url URL]

It writes `<data-dir>/ready-<pid>` once discord.py reports ready, and serves until SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import datetime
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
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.resilience_runner")
    parser.add_argument(
        "--sandbox", required=True, help="the sandbox's http base, e.g. http://127.0.0.1:1234"
    )
    parser.add_argument("--token", required=True)
    parser.add_argument("--seed", type=Path, required=True, help="the sandbox's SeedInfo as JSON")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--bootstrap", action="store_true", help="store the seeded settings first")
    parser.add_argument("--start-at", type=datetime.fromisoformat)
    parser.add_argument("--database-url")
    return parser


async def run(args: argparse.Namespace) -> int:
    seed = SeedInfo(**json.loads(args.seed.read_text()))
    discord.http.Route.BASE = args.sandbox.rstrip("/") + "/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(
        args.sandbox.replace("http://", "ws://", 1) + "/"
    )
    clock: Clock = ShiftedClock(args.start_at) if args.start_at else SystemClock()
    # As in tests/e2e/conftest.py: no production random delay before a question goes to review.
    config = sandbox_config(args.data_dir, seed.guild_id, question_delay=(0, 0))
    if args.database_url:
        config = config.model_copy(
            update={
                "secrets": config.secrets.model_copy(update={"database_url": SecretStr(args.database_url)})
            }
        )
    stop = asyncio.Event()
    stop_on_signals(stop)
    app = await build_app(config, clock, guild_ready_timeout=0.1)
    if args.bootstrap:
        await point_settings_at_seed(app.services, seed)
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

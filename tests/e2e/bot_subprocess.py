"""The real bot in a process of its own, against a sandbox a test started: so a test can SIGKILL and
restart it (tests/e2e/test_resilience_*.py) or run several of them on shards (tests/e2e/test_sharding.py).

Both ends of the one protocol live here. The test's side is `BotProcess`; the process it starts is

    python -m tests.e2e.bot_subprocess --sandbox URL --token T --seed seed.json --data-dir D
        [--bootstrap] [--start-at ISO] [--database-url URL]
        [--shard-count N --shard-ids I [I ...]] [--handoff-seconds S]

which serves the seeded guilds on its shards (all of them unless sharded), syncing its commands to them;
with --bootstrap it first stores their settings and drop-in, as their facilitators would have. It
writes `<data-dir>/ready-<pid>` once discord.py reports ready, and serves until SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import signal
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import discord.gateway
import discord.http
import yarl
from pydantic import SecretStr

from bot.app import DELIVERY_RETRY_EVERY, build_app, serve, stop_on_signals
from bot.clock import Clock, ShiftedClock, SystemClock
from bot.logs import configure_logging
from bot.sandbox_mode import point_settings_at_seed, sandbox_config
from sandbox import Sandbox, SeedInfo

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 45.0  # cold interpreters importing discord.py and SQLAlchemy on a busy 2-core machine
STOP_TIMEOUT = 15.0


class BotProcess:
    """`python -m tests.e2e.bot_subprocess`, one process at a time, always reaped by `close()`.
    `start_at` runs the bot on a clock from that moment (a restart goes on from the sandbox's "now")."""

    def __init__(
        self,
        sandbox: Sandbox,
        data_dir: Path,
        *,
        start_at: datetime | None = None,
        database_url: str | None = None,
        shard_count: int | None = None,
        shard_ids: Sequence[int] = (),
        handoff_seconds: float | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.data_dir = data_dir
        self.start_at = start_at
        self.database_url = database_url
        self.shard_count = shard_count
        self.shard_ids = list(shard_ids)
        self.handoff_seconds = handoff_seconds
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        data_dir.mkdir(parents=True, exist_ok=True)
        self._seed = data_dir / "seed.json"
        self._seed.write_text(json.dumps(dataclasses.asdict(sandbox.seed)))

    @property
    def name(self) -> str:
        return f"the bot on shards {self.shard_ids}" if self.shard_ids else "the bot"

    async def start(self, *, bootstrap: bool = False) -> None:
        """Launches the process and waits until it is ready."""
        await self.launch(bootstrap=bootstrap)
        await self.wait_ready()

    async def launch(self, *, bootstrap: bool = False) -> None:
        """Launches the process without waiting for it: processes of one deployment start together."""
        assert self.process is None, "one bot process at a time"
        args = [
            sys.executable, "-m", "tests.e2e.bot_subprocess",
            "--sandbox", self.sandbox.http_base,
            "--token", self.sandbox.bot_token,
            "--seed", str(self._seed),
            "--data-dir", str(self.data_dir),
        ]  # fmt: skip
        if bootstrap:
            args.append("--bootstrap")
        if self.start_at is not None:
            moment = self.sandbox.clock() if self.starts else self.start_at
            args += ["--start-at", moment.isoformat()]
        if self.database_url:
            args += ["--database-url", self.database_url]
        if self.shard_count is not None:
            args += ["--shard-count", str(self.shard_count), "--shard-ids", *map(str, self.shard_ids)]
        if self.handoff_seconds is not None:
            args += ["--handoff-seconds", str(self.handoff_seconds)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("NSSCOP_")}
        self.starts += 1
        with (self.data_dir / f"bot-{self.starts}.log").open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                *args, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
            )

    async def wait_ready(self, deadline: float | None = None) -> None:
        """Bounded wait (until `deadline` on the loop's clock, else START_TIMEOUT from now) for the
        process's ready marker and the sandbox's gateway."""
        assert self.process is not None
        marker = self.data_dir / f"ready-{self.process.pid}"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT if deadline is None else deadline
        while not (marker.exists() and self.sandbox.hub.ready):
            if self.process.returncode is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: {self.logs()}")
            if loop.time() > deadline:
                raise TimeoutError(f"{self.name} was not ready within {START_TIMEOUT} s: {self.logs()}")
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.bot_subprocess")
    parser.add_argument(
        "--sandbox", required=True, help="the sandbox's http base, e.g. http://127.0.0.1:1234"
    )
    parser.add_argument("--token", required=True)
    parser.add_argument("--seed", type=Path, required=True, help="the sandbox's SeedInfo as JSON")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--bootstrap", action="store_true", help="store the seeded settings first")
    parser.add_argument("--start-at", type=datetime.fromisoformat)
    parser.add_argument("--database-url")
    parser.add_argument("--shard-count", type=int, help="unset: not sharded, every seeded guild is served")
    parser.add_argument("--shard-ids", type=int, nargs="+", default=[])
    parser.add_argument(
        "--handoff-seconds",
        type=float,
        default=DELIVERY_RETRY_EVERY.total_seconds(),
        help="how often pending deliveries and hand-offs run (default: the production interval)",
    )
    return parser


async def run(args: argparse.Namespace) -> int:
    seed = SeedInfo(**json.loads(args.seed.read_text()))
    seeds = [seed, *(seed.other(i) for i in range(len(seed.others)))]
    discord.http.Route.BASE = args.sandbox.rstrip("/") + "/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(
        args.sandbox.replace("http://", "ws://", 1) + "/"
    )
    clock: Clock = ShiftedClock(args.start_at) if args.start_at else SystemClock()
    # As in tests/e2e/conftest.py: no production random delay before a question goes to review.
    config = sandbox_config(args.data_dir, seed.guild_id, question_delay=(0, 0))
    bot = config.bot.model_copy(update={"shard_count": args.shard_count, "shard_ids": args.shard_ids})
    config = config.model_copy(update={"bot": bot})
    if args.database_url:
        secrets = config.secrets.model_copy(update={"database_url": SecretStr(args.database_url)})
        config = config.model_copy(update={"secrets": secrets})
    ours = [s for s in seeds if config.bot.shards().owns(s.guild_id)]
    stop = asyncio.Event()
    stop_on_signals(stop)
    app = await build_app(
        config,
        clock,
        sync_guild_ids=[s.guild_id for s in ours],
        guild_ready_timeout=0.1,
        handoff_every=timedelta(seconds=args.handoff_seconds),
    )
    if args.bootstrap:
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

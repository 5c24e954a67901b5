"""`python -m bot sandbox`: the local Discord and the real bot together, no token or account needed."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.app import build_app, serve, stop_on_signals
from bot.clock import Clock, ShiftedClock, SystemClock
from bot.config import BotSection, Config, Secrets
from bot.domain.settings import ChannelPurpose, RolePurpose
from bot.services.container import Services
from bot.services.dropin import ScheduleChanges
from bot.services.privacy import generate_keys

if TYPE_CHECKING:  # the sandbox (an aiohttp server) is imported only when `python -m bot sandbox` runs
    from sandbox import Sandbox, SeedInfo

log = logging.getLogger(__name__)

SEEDED_CHANNELS: dict[ChannelPurpose, str] = {
    ChannelPurpose.WELCOME: "welcome",
    ChannelPurpose.ANNOUNCEMENTS: "announcements",
    ChannelPurpose.DROPIN: "drop-in",
    ChannelPurpose.QUESTIONS: "questions",
    ChannelPurpose.QUESTION_REVIEW: "question-review",
    ChannelPurpose.MINUTES: "minutes",
    ChannelPurpose.MINUTES_REVIEW: "minutes-review",
    ChannelPurpose.WORKING_GROUPS: "working-groups",
    ChannelPurpose.FACILITATORS: "facilitators",
}
SEEDED_ROLES: dict[RolePurpose, str] = {RolePurpose.FACILITATOR: "Facilitator", RolePurpose.MEMBER: "Member"}


SANDBOX_JOIN_URL = "https://zoom.us/j/85012345678"


async def point_settings_at_seed(services: Services, seed: SeedInfo) -> None:
    """The seeded community's settings and drop-in, as a facilitator would have set them up."""
    await services.settings.bootstrap(
        seed.guild_id,
        channels={purpose: seed.channels[name] for purpose, name in SEEDED_CHANNELS.items()},
        roles={purpose: seed.roles[name] for purpose, name in SEEDED_ROLES.items()},
    )
    await services.dropin.bootstrap(
        seed.guild_id, ScheduleChanges(join_url=SANDBOX_JOIN_URL, meeting_id="850 1234 5678")
    )


def sandbox_config(data_dir: Path, guild_id: int) -> Config:
    pseudonym_key, relay_key = sandbox_keys(data_dir)
    return Config(
        bot=BotSection(guild_ids=[guild_id], data_dir=data_dir),
        secrets=Secrets(pseudonym_key=SecretStr(pseudonym_key), relay_key=SecretStr(relay_key)),
    )


def sandbox_keys(data_dir: Path) -> tuple[str, str]:
    """Keys for trying the bot: made once per data directory and kept there (never do this for real)."""
    path = data_dir / "sandbox-keys.json"
    if path.exists():
        stored = json.loads(path.read_text())
        return stored["pseudonym_key"], stored["relay_key"]
    data_dir.mkdir(parents=True, exist_ok=True)
    pseudonym_key, relay_key = generate_keys()
    path.write_text(json.dumps({"pseudonym_key": pseudonym_key, "relay_key": relay_key}))
    path.chmod(0o600)
    return pseudonym_key, relay_key


async def run_sandbox(port: int, data_dir: Path | None, start_at: datetime | None) -> int:
    from sandbox import Sandbox, discord_endpoints

    clock: Clock = ShiftedClock(start_at) if start_at else SystemClock()
    directory = data_dir or Path(tempfile.mkdtemp(prefix="nsscop-sandbox-"))
    stop = asyncio.Event()
    stop_on_signals(stop)
    sandbox = Sandbox(seed=True, clock=clock.now)
    await sandbox.start(port=port)
    try:
        app = await build_app(
            sandbox_config(directory, sandbox.seed.guild_id), clock, guild_ready_timeout=0.1
        )
        await point_settings_at_seed(app.services, sandbox.seed)
        _announce(sandbox, directory, clock)
        with discord_endpoints(sandbox):
            await serve(app, sandbox.bot_token, stop)
    finally:
        await sandbox.stop()
    return 0


def _announce(sandbox: Sandbox, directory: Path, clock: Clock) -> None:
    base = sandbox.http_base
    print(
        f"nsscop-bot sandbox: a local Discord at {base}, data in {directory}, clock at {clock.now():%Y-%m-%d %H:%M} UTC."
    )
    if not sys.stdout.isatty():
        print("Serving until SIGTERM.", flush=True)
        return
    print(
        f"""
Talk to the bot through the control API (users: fiona, farah = facilitators; alex, sam = members; riley = French):
  curl -s {base}/_sandbox/health
  curl -s -X POST {base}/_sandbox/interactions/command -d '{{"user": "alex", "command": "about"}}'
  curl -s -X POST {base}/_sandbox/interactions/command -d '{{"user": "riley", "command": "help"}}'
  curl -s -X POST {base}/_sandbox/interactions/command -d '{{"user": "fiona", "command": "settings show"}}'
  curl -s {base}/_sandbox/guild          (channels, roles, members)
  curl -s {base}/_sandbox/channels/general/messages
Press Ctrl+C to stop.""",
        flush=True,
    )

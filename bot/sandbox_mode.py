"""`python -m bot sandbox`: the local Discord and the real bot together, no token or account needed."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TextIO

from pydantic import SecretStr

from bot.app import build_app, serve, stop_on_signals
from bot.clock import Clock, ShiftedClock, SystemClock
from bot.config import BotSection, Config, Secrets
from bot.domain.settings import ChannelPurpose, RolePurpose
from bot.failures import EXIT_CONFIG, RunFailure, database_phase, port_phase
from bot.services.container import Services
from bot.services.dropin import ScheduleChanges
from bot.services.privacy import generate_keys
from sandbox import Sandbox, SeedInfo, discord_endpoints
from sandbox.persist import WORLD_FILE, WorldFileError
from sandbox.seed import NOTIFY_ROLE, SEED_USERS

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
SEEDED_ROLES: dict[RolePurpose, str] = {
    RolePurpose.FACILITATOR: "Facilitator",
    RolePurpose.MEMBER: "Member",
    RolePurpose.DROPIN_NOTIFY: NOTIFY_ROLE,
}


SANDBOX_JOIN_URL = "https://zoom.us/j/85012345678"


async def point_settings_at_seed(services: Services, seed: SeedInfo) -> None:
    """The seeded community's settings and drop-in, as a facilitator would have set them up."""
    await services.settings.bootstrap(
        seed.guild_id,
        channels={purpose: seed.channels[name] for purpose, name in SEEDED_CHANNELS.items()},
        roles={purpose: seed.roles[name] for purpose, name in SEEDED_ROLES.items()},
    )
    await services.dropin.bootstrap(
        seed.guild_id,
        ScheduleChanges(
            join_url=SANDBOX_JOIN_URL, meeting_id="850 1234 5678", ping_role_id=seed.roles[NOTIFY_ROLE]
        ),
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


async def run_sandbox(
    port: int, data_dir: Path | None, start_at: datetime | None, web_port: int | None = None
) -> int:
    """`web_port`: the web server's port, shown in the banner once the sandbox runs one (issue 10)."""
    clock: Clock = ShiftedClock(start_at) if start_at else SystemClock()
    directory = data_dir or Path(tempfile.mkdtemp(prefix="nsscop-sandbox-"))
    stop = asyncio.Event()
    stop_on_signals(stop)
    try:
        sandbox = Sandbox(
            seed=True, clock=clock.now, world_file=directory / WORLD_FILE if data_dir is not None else None
        )
    except WorldFileError as exc:
        raise RunFailure(EXIT_CONFIG, f"The sandbox world cannot be loaded: {exc}.") from exc
    with port_phase("the sandbox's local Discord and control API", port, "--port"):
        await sandbox.start(port=port)
    try:
        config = sandbox_config(directory, sandbox.seed.guild_id)
        with database_phase(config.database_url()):
            app = await build_app(config, clock, guild_ready_timeout=0.1)
        # A kept world keeps the settings facilitators changed in it (unless its database is gone).
        if not sandbox.restored or await app.services.dropin.schedule(sandbox.seed.guild_id) is None:
            await point_settings_at_seed(app.services, sandbox.seed)
        print_banner(
            banner(sandbox, directory, clock, kept=data_dir is not None, web_port=web_port),
            sys.stdout,
            sys.stderr,
        )
        with discord_endpoints(sandbox):
            await serve(app, sandbox.bot_token, stop)
    finally:
        await sandbox.stop()
    return 0


def print_banner(text: str, stdout: TextIO, stderr: TextIO) -> None:
    """Always printed: on stdout at a terminal, else on stderr (stdout may be a pipe a tool reads)."""
    print(text, file=stdout if stdout.isatty() else stderr, flush=True)


_ROLE_WORDS = {("Facilitator", "Member"): "facilitator", ("Member",): "member", (): "newcomer, no role"}
_LANGUAGES = {"fr": "French", "en-US": "English", "en-GB": "English"}


def banner(
    sandbox: Sandbox, directory: Path, clock: Clock, *, kept: bool, web_port: int | None = None
) -> str:
    base = sandbox.http_base
    people = ", ".join(
        f"{name} ({_ROLE_WORDS.get(roles, '/'.join(roles))}, {_LANGUAGES.get(locale, locale)})"
        for name, _display, locale, roles in SEED_USERS
    )
    world = (
        (
            "the world of the last run, kept here"
            if sandbox.restored
            else "a new world, kept here for the next run"
        )
        if kept
        else "a fresh world, not kept (pass --data-dir DIR to keep it)"
    )
    # issue 10 (web server): run_sandbox receives web_port once `--web-port` exists; until then None.
    web = (
        f"http://127.0.0.1:{web_port}/"
        if web_port is not None
        else "not running (no --web-port in this build)"
    )
    return f"""nsscop-bot sandbox: a local Discord for trying the bot (no account or token).
  control API  {base}/_sandbox/   (docs/sandbox.md)
  web          {web}
  data         {directory}: {world}
  clock        {clock.now():%Y-%m-%d %H:%M:%S} UTC
  users        {people}

Three things to try in a second terminal:
  1. A command:
       ./bin/sandbox-say --url {base} fiona "/dropin next"
  2. An anonymous question, end to end:
       ./bin/sandbox-say --url {base} alex "How do I get naloxone?"        (a DM; shows the preview)
       ./bin/sandbox-say --url {base} click alex <message id> "Submit"
       ./bin/sandbox-say --url {base} show question-review                 (facilitators see a code)
  3. Time travel: restart with --start-at 2026-12-03T16:44:50Z, then within a minute
       ./bin/sandbox-say --url {base} show drop-in                         (the 15-minute reminder)
Plain HTTP works too: curl -s -X POST '{base}/_sandbox/interactions/command?brief=1' -d '{{"user": "alex", "command": "about"}}'
Press Ctrl+C to stop."""

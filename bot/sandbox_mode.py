"""`python -m bot sandbox`: the local Discord and the real bot together, no token or account needed."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pydantic import SecretStr

from bot.app import build_app, serve, stop_on_signals
from bot.clock import Clock, ShiftedClock, SystemClock
from bot.config import BotSection, Config, QuestionsSection, Secrets, WebSection
from bot.domain.settings import ChannelPurpose, RolePurpose
from bot.failures import EXIT_CONFIG, RunFailure, database_phase, port_phase
from bot.services.container import Services
from bot.services.dropin import ScheduleChanges
from bot.services.privacy import generate_keys

if TYPE_CHECKING:  # the sandbox (an aiohttp server) is imported only when `python -m bot sandbox` runs
    from bot.web.server import WebServer
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
SEEDED_SCHEDULE_AGE = timedelta(days=365)  # the seeded community has met weekly for a year
# sandbox/zoom.py's secret and sandbox/seed.py's notify role, spelled here so that the bot's process
# never imports the sandbox package (an aiohttp server, 80 ms and 3.5 MB): the benchmark times that
# start. tests/bot/test_sandbox_mode.py keeps them equal.
SANDBOX_ZOOM_SECRET = "sandbox-zoom-secret"
SEEDED_NOTIFY_ROLE = "Drop-in notify"
DEFAULT_WEB_PORT = 8766


async def point_settings_at_seed(services: Services, seed: SeedInfo) -> None:
    """The seeded community's settings and drop-in, as a facilitator would have set them up. A world
    kept from an earlier run usually has them already: then nothing is written (about 90 ms of every
    restart, which `python -m bench` times)."""
    channels = {purpose: seed.channels[name] for purpose, name in SEEDED_CHANNELS.items()}
    roles = {
        purpose: seed.roles[name]
        for purpose, name in {**SEEDED_ROLES, RolePurpose.DROPIN_NOTIFY: SEEDED_NOTIFY_ROLE}.items()
    }
    current = await services.settings.get(seed.guild_id)
    if not (current.channels.items() >= channels.items() and current.roles.items() >= roles.items()):
        await services.settings.bootstrap(seed.guild_id, channels=channels, roles=roles)
    wanted = ScheduleChanges(
        join_url=SANDBOX_JOIN_URL, meeting_id="850 1234 5678", ping_role_id=seed.roles[SEEDED_NOTIFY_ROLE]
    )
    schedule = await services.dropin.schedule(seed.guild_id)
    if schedule is None or (schedule.join_url, schedule.meeting_id, schedule.ping_role_id) != (
        wanted.join_url,
        wanted.meeting_id,
        wanted.ping_role_id,
    ):
        await services.dropin.bootstrap(
            seed.guild_id,
            wanted,
            since=services.clock.now() - SEEDED_SCHEDULE_AGE,  # minutes can be written for past weeks
        )


def sandbox_config(
    data_dir: Path,
    guild_id: int,
    question_delay: tuple[int, int] | None = None,
    *,
    web_port: int | None = None,
) -> Config:
    """`question_delay` (min, max seconds) replaces the production random delay; None keeps it.
    `web_port` turns the web server on (0: any free port), with the sandbox's Zoom secret."""
    pseudonym_key, relay_key = sandbox_keys(data_dir)
    questions = QuestionsSection()
    if question_delay is not None:
        questions = QuestionsSection(delay_min_seconds=question_delay[0], delay_max_seconds=question_delay[1])
    return Config(
        bot=BotSection(guild_ids=[guild_id], data_dir=data_dir),
        questions=questions,
        web=WebSection(port=web_port),
        secrets=Secrets(
            pseudonym_key=SecretStr(pseudonym_key),
            relay_key=SecretStr(relay_key),
            zoom_webhook_secret=SecretStr(SANDBOX_ZOOM_SECRET),
        ),
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
    port: int,
    data_dir: Path | None,
    start_at: datetime | None,
    question_delay: tuple[int, int] | None = None,
    web_port: int | None = DEFAULT_WEB_PORT,
) -> int:
    from sandbox import Sandbox, discord_endpoints
    from sandbox.persist import WORLD_FILE, WorldFileError

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
        config = sandbox_config(directory, sandbox.seed.guild_id, question_delay, web_port=web_port)
        with database_phase(config.database_url()):
            app = await build_app(config, clock, guild_ready_timeout=0.1)
        # A kept world keeps the settings facilitators changed in it (unless its database is gone).
        if not sandbox.restored or await app.services.dropin.schedule(sandbox.seed.guild_id) is None:
            await point_settings_at_seed(app.services, sandbox.seed)
        if app.web is not None:
            await _start_web(app.web)
            sandbox.zoom.webhook_url = f"http://127.0.0.1:{app.web.port}/zoom/webhook"
        text = banner(
            sandbox, directory, clock, kept=data_dir is not None, web_port=app.web.port if app.web else None
        )
        print_banner(
            f"{text}\n{delay_banner(config, shortened=question_delay is not None)}", sys.stdout, sys.stderr
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
    from sandbox.seed import SEED_USERS

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
    web = (
        f"http://127.0.0.1:{web_port}/ (Zoom webhooks, calendar, public page, /healthz, /metrics)"
        if web_port is not None
        else "not running (--web-port)"
    )
    return f"""nsscop-bot sandbox: a local Discord for trying the bot (no account or token).
  control API  {base}/_sandbox/   (docs/sandbox.md)
  web          {web}
  data         {directory}: {world}
  clock        {clock.now():%Y-%m-%d %H:%M:%S} UTC
  users        {people}

Things to try in a second terminal:
  1. A command:
       ./bin/sandbox-say --url {base} fiona "/dropin next"
  2. An anonymous question, end to end:
       ./bin/sandbox-say --url {base} alex "How do I get naloxone?"        (a DM; shows the preview)
       ./bin/sandbox-say --url {base} click alex <message id> "Submit"
       ./bin/sandbox-say --url {base} show question-review                 (facilitators see a code)
  3. Time travel: restart with --start-at 2026-12-03T16:44:50Z, then within a minute
       ./bin/sandbox-say --url {base} show drop-in                         (the 15-minute reminder)
{_zoom_lines(base, web_port)}Plain HTTP works too: curl -s -X POST '{base}/_sandbox/interactions/command?brief=1' -d '{{"user": "alex", "command": "about"}}'
Press Ctrl+C to stop."""


def delay_banner(config: Config, *, shortened: bool) -> str:
    low, high = config.questions.delay_min_seconds, config.questions.delay_max_seconds
    if not shortened:
        return (
            f"Anonymous questions reach reviewers after a random {low}–{high} s delay, as in production. "
            "Start with --question-delay 0 (or e.g. 2-5) to shorten it."
        )
    if high == 0:
        return "Anonymous questions: random delay OFF (--question-delay); production waits 60–300 s."
    return f"Anonymous questions: random delay shortened to {low}–{high} s (--question-delay); production waits 60–300 s."


async def _start_web(web: WebServer) -> None:
    """The chosen port, or any free one when it is taken (another sandbox may be running)."""
    try:
        await web.start()
    except OSError:
        log.warning("web port %s is taken; using a free port instead", web.deps.settings.port)
        web.deps.settings = replace(web.deps.settings, port=0)
        await web.start()


def _zoom_lines(base: str, web_port: int | None) -> str:
    if web_port is None:
        return ""
    return f"""  4. Play Zoom (signed webhooks to the bot's web server; actions start, join, leave, end):
       curl -s -X POST {base}/_sandbox/zoom -d '{{"action": "start"}}'
       curl -s -X POST {base}/_sandbox/zoom -d '{{"action": "join", "count": 5}}'
       curl -s http://127.0.0.1:{web_port}/healthz    (the public page's link: /dropin calendar-link)
"""

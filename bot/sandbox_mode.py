"""`python -m bot sandbox`: the local Discord and the real bot together, no token or account needed."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.app import build_app, serve, stop_on_signals
from bot.clock import Clock, ShiftedClock, SystemClock
from bot.config import BotSection, Config, QuestionsSection, Secrets, WebSection
from bot.domain.settings import ChannelPurpose, RolePurpose
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
DEFAULT_WEB_PORT = 8766


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


def sandbox_config(
    data_dir: Path,
    guild_id: int,
    question_delay: tuple[int, int] | None = None,
    *,
    web_port: int | None = None,
) -> Config:
    """`question_delay` (min, max seconds) replaces the production random delay; None keeps it.
    `web_port` turns the web server on (0: any free port), with the sandbox's Zoom secret."""
    from sandbox.zoom import SANDBOX_ZOOM_SECRET

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

    clock: Clock = ShiftedClock(start_at) if start_at else SystemClock()
    directory = data_dir or Path(tempfile.mkdtemp(prefix="nsscop-sandbox-"))
    stop = asyncio.Event()
    stop_on_signals(stop)
    sandbox = Sandbox(seed=True, clock=clock.now)
    await sandbox.start(port=port)
    try:
        config = sandbox_config(directory, sandbox.seed.guild_id, question_delay, web_port=web_port)
        app = await build_app(config, clock, guild_ready_timeout=0.1)
        await point_settings_at_seed(app.services, sandbox.seed)
        if app.web is not None:
            await _start_web(app.web)
            sandbox.zoom.webhook_url = f"http://127.0.0.1:{app.web.port}/zoom/webhook"
        _announce(sandbox, directory, clock, app.web.port if app.web else None)
        print(delay_banner(config, shortened=question_delay is not None), flush=True)
        with discord_endpoints(sandbox):
            await serve(app, sandbox.bot_token, stop)
    finally:
        await sandbox.stop()
    return 0


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


def _announce(sandbox: Sandbox, directory: Path, clock: Clock, web_port: int | None) -> None:
    base = sandbox.http_base
    print(
        f"nsscop-bot sandbox: a local Discord at {base}, data in {directory}, clock at {clock.now():%Y-%m-%d %H:%M} UTC."
    )
    if web_port is not None:
        print(
            f"Web server (Zoom webhooks, calendar, page, /healthz, /metrics) at http://127.0.0.1:{web_port}."
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
{_zoom_lines(base, web_port)}Press Ctrl+C to stop.""",
        flush=True,
    )


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
    return f"""Play Zoom (signed webhooks to the bot's web server on port {web_port}; actions start, join, leave, end):
  curl -s -X POST {base}/_sandbox/zoom -d '{{"action": "start"}}'
  curl -s -X POST {base}/_sandbox/zoom -d '{{"action": "join", "count": 5}}'
  curl -s http://127.0.0.1:{web_port}/healthz    (and /metrics; the public page link: /dropin calendar-link)
"""

"""Composition root: config → engine → services → scheduler → Bot. Nothing else builds these."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import logging
import math
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from aiolimiter import AsyncLimiter
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.adapters.components import ComponentRegistry
from bot.adapters.discord_ports import DiscordPorts
from bot.adapters.forums import DiscordForums
from bot.adapters.guild_admin import DiscordGuildAdmin
from bot.adapters.member_admin import DiscordRoleAdmin
from bot.clock import Clock
from bot.config import ENV_PSEUDONYM_KEY, ENV_RELAY_KEY, Config, ConfigError
from bot.discord_bot import NssBot, bot_class
from bot.domain.dropin import WEEKDAYS, DropinSchedule, parse_time
from bot.domain.reminders import ReminderOffsets
from bot.domain.shards import Shards
from bot.i18n import Catalog, default_catalog
from bot.services.community import CommunityService
from bot.services.container import Services
from bot.services.dropin import DropinService
from bot.services.dropin_reconciler import DropinReconciler
from bot.services.dropin_text import DropinText
from bot.services.erasers import all_erasers
from bot.services.forget import ForgetMe
from bot.services.group_context import GroupContext
from bot.services.group_text import GroupText
from bot.services.groups import WorkingGroups
from bot.services.members import MembersService
from bot.services.members_text import MembersText
from bot.services.minutes import MinutesService
from bot.services.minutes_archive import MinutesArchive
from bot.services.minutes_text import MinutesText
from bot.services.privacy import Privacy
from bot.services.question_context import QuestionContext, QuestionPolicy
from bot.services.question_text import QuestionText, Support
from bot.services.questions import Questions
from bot.services.settings import SettingsService
from bot.services.web import WebService
from bot.services.zoom import ZoomService
from bot.services.zoom_text import ZoomText
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.repositories.ops import OpsRepository
from scheduler import JobScheduler

if TYPE_CHECKING:  # the web server, its health checks and metrics are imported only when it is on
    from bot.web.metrics import Metrics
    from bot.web.server import WebServer

log = logging.getLogger(__name__)
PURGE_EVERY = timedelta(hours=1)
# Questions whose delivery failed (a 5xx discord.py does not retry) or that another process recorded for
# ours; and, sharded, Zoom webhooks another process received. Within Discord's nonce window, so a
# retried post is not doubled.
DELIVERY_RETRY_EVERY = timedelta(minutes=1)
INACTIVITY_CHECK_EVERY = timedelta(days=7)  # relay records past their retention, stale drafts
SYNCED_COMMANDS = "synced-commands.json"  # bot/adapters/command_sync.py
ZOOM_RETRY_EVERY = timedelta(minutes=1)  # webhooks recorded but not yet acted upon (Discord was away)
# Bot-initiated calls: Discord allows 50 requests/s globally (interaction answers excluded). A bucket of
# capacity 1 lost whatever event-loop lag delayed a waiter (32-34/s measured); a bucket of 10 refilled at
# 40/s absorbs that lag and still never exceeds 10 + 40 = 50 calls in any second.
REST_PER_SECOND = 40
REST_BURST = 10


@dataclass
class App:
    config: Config
    clock: Clock
    engine: AsyncEngine
    services: Services
    scheduler: JobScheduler
    bot: NssBot
    web: WebServer | None = None

    async def close(self) -> None:
        """Stops the web server and timers first, then Discord, then the database: nothing fires into a
        closed pool."""
        if self.web is not None:
            await self.web.stop()
        self.scheduler.shutdown()
        if not self.bot.is_closed():
            await self.bot.close()
        await self.engine.dispose()


async def build_app(
    config: Config,
    clock: Clock,
    *,
    sync_guild_ids: Sequence[int] | None = None,
    guild_ready_timeout: float = 2.0,
    run_jobs: bool = True,
    handoff_every: timedelta = DELIVERY_RETRY_EVERY,
) -> App:
    privacy = privacy_from(config)  # before anything else: a missing key must not leave a half-started app
    engine = create_engine(config.database_url())
    await upgrade(engine)
    shards = config.bot.shards()  # this process's guilds: their timers, their cached rows (docs/scaling.md)
    owns = shards.owns
    sessions = create_session_factory(engine, owns if shards.sharded else None)
    if shards.sharded:
        where = "here" if shards.holds_direct_messages else "at the process holding shard 0"
        log.info("sharding: %s; direct messages are answered %s", shards.describe(), where)
    catalog = default_catalog()
    settings = SettingsService(sessions, clock, config.defaults.language)
    scheduler = JobScheduler(clock)
    components = ComponentRegistry()
    limiter = rest_limiter(shards)
    ports = DiscordPorts(components, limiter)
    section = config.questions
    questions = Questions(
        QuestionContext(
            sessions,
            clock,
            privacy,
            QuestionPolicy(
                rate_per_hour=section.rate_per_hour,
                max_length=section.max_length,
                retention=timedelta(days=section.retention_days),
                urgent_words=tuple(section.urgent_words),
                delay=(
                    timedelta(seconds=section.delay_min_seconds),
                    timedelta(seconds=section.delay_max_seconds),
                ),
            ),
            settings,
            ports,
            QuestionText(
                catalog, Support(en=section.support_en, fr=section.support_fr), section.retention_days
            ),
        ),
        scheduler,
        owns=owns,
    )
    groups = WorkingGroups(
        GroupContext(sessions, clock, settings, DiscordGuildAdmin(ports), ports, GroupText(catalog)),
        owns=owns,
    )
    dropin_text = DropinText(catalog)
    reconciler = DropinReconciler(
        sessions, clock, dropin_text, settings, ports, ports, scheduler, held=questions.queue, owns=owns
    )
    dropin = DropinService(sessions, clock, settings, dropin_template(config), reconciler)
    community = CommunityService(clock, dropin)
    members_text = MembersText(catalog)
    members = MembersService(
        sessions,
        clock,
        settings,
        community,
        DiscordRoleAdmin(ports),
        ports,
        members_text,
        tag_key=welcome_tag_key(config),
        roles=config.members.community_roles(),
        min_count=config.members.report_min_count,
    )
    forget = ForgetMe(
        sessions, all_erasers(sessions, questions.forgetting.forget, members.forget), members_text
    )
    secret = config.secrets.zoom_webhook_secret
    zoom = (
        ZoomService(
            sessions, clock, settings, dropin, ports, ZoomText(catalog), secret.get_secret_value(), owns=owns
        )
        if secret is not None
        else None
    )
    minutes_text = MinutesText(catalog)
    minutes_archive = MinutesArchive(sessions, settings, dropin, groups.access, minutes_text)
    minutes = MinutesService(
        sessions,
        clock,
        settings,
        dropin,
        groups.access,
        ports,
        minutes_text,
        minutes_archive,
        DiscordForums(ports),
        attendance=zoom,
    )
    web_service = WebService(sessions, clock, settings, dropin, minutes_archive)
    serving_web = config.web.port is not None and run_jobs
    metrics = _metrics() if serving_web else None  # unscraped, they would only cost each command CPU
    web: WebServer | None = None
    services = Services(
        catalog=catalog,
        clock=clock,
        settings=settings,
        community=community,
        dropin=dropin,
        dropin_text=dropin_text,
        questions=questions,
        groups=groups,
        minutes=minutes,
        minutes_archive=minutes_archive,
        members=members,
        forget=forget,
        web=web_service,
        zoom=zoom,
        zoom_text=ZoomText(catalog),
        metrics=metrics,
        web_base_url=lambda: web.base_url if web is not None else "",
    )
    bot = bot_class(shards)(
        services,
        components,
        limiter,
        sync_guild_ids=config.bot.guild_ids if sync_guild_ids is None else sync_guild_ids,
        synced_commands=config.bot.data_dir / SYNCED_COMMANDS if run_jobs else None,
        guild_ready_timeout=guild_ready_timeout,
        run_jobs=run_jobs,
        shards=shards,
    )
    ports.attach(bot)
    scheduler.every("questions:purge", PURGE_EVERY, questions.forgetting.purge_expired)
    scheduler.every("questions:deliver", handoff_every, _when_ready(bot, questions.review.deliver_pending))
    scheduler.every("members:welcomes", PURGE_EVERY, members.purge_welcomes)
    scheduler.every("groups:inactive", INACTIVITY_CHECK_EVERY, groups.lifecycle.check_all_inactive)
    # Sharded: a Zoom webhook another process's web server received (questions: "questions:deliver").
    # The purges above are idempotent DELETEs, so every process may run them.
    if shards.sharded and run_jobs and zoom is not None:
        scheduler.every("zoom:handoff", handoff_every, _when_ready(bot, zoom.process_pending))
    if serving_web:
        assert metrics is not None
        web = _web_server(config, catalog, web_service, zoom, metrics, sessions, scheduler, bot)
        metrics.on_scrape(lambda m: _question_gauges(m, sessions))
        scheduler.on_lag(metrics.scheduler_lag.set)
        if zoom is not None:
            scheduler.every("zoom:pending", ZOOM_RETRY_EVERY, _when_ready(bot, zoom.process_pending))
            scheduler.every("zoom:purge", PURGE_EVERY, zoom.purge)
    return App(
        config=config, clock=clock, engine=engine, services=services, scheduler=scheduler, bot=bot, web=web
    )


def rest_limiter(shards: Shards) -> AsyncLimiter:
    """Discord's global limit is per bot token, whatever the connection: sharded, each process takes the
    share of the pace its shards are of all shards, so all processes together stay under 50/s."""
    share = len(shards.served) / shards.count if shards.count else 1.0
    burst = max(1.0, REST_BURST * share)
    return AsyncLimiter(burst, burst / (REST_PER_SECOND * share))


def _metrics() -> Metrics:
    from bot.web.metrics import Metrics, count_rate_limits  # prometheus_client: only with the web server

    metrics = Metrics()
    count_rate_limits(metrics)
    return metrics


def _web_server(
    config: Config,
    catalog: Catalog,
    web_service: WebService,
    zoom: ZoomService | None,
    metrics: Metrics,
    sessions: async_sessionmaker[AsyncSession],
    scheduler: JobScheduler,
    bot: NssBot,
) -> WebServer:
    from bot.web.health import Health  # aiohttp.web and the pages: only when the server is on
    from bot.web.server import WebDeps, WebServer, WebSettings

    health = Health(lambda: _connected(bot), sessions, scheduler)
    section, token = config.web, config.secrets.metrics_token
    settings = WebSettings(
        host=section.host,
        port=section.port or 0,
        ops_networks=tuple(section.ops_networks),
        ops_token=token.get_secret_value() if token else None,
        public_per_minute=section.public_per_minute,
        webhook_per_minute=section.webhook_per_minute,
        public_base_url=config.web.public_base_url,
    )
    return WebServer(
        WebDeps(settings, catalog, web_service, zoom, health.report, metrics, ready=bot.is_ready)
    )


def _connected(bot: NssBot) -> bool:
    """Ready, not closed, and the gateway heartbeat is being answered (latency is infinite when not)."""
    return bot.is_ready() and not bot.is_closed() and math.isfinite(bot.latency)


def _when_ready(bot: NssBot, work: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
    """A job that waits for Discord: a post attempted before the bot is connected would be lost."""

    async def job() -> None:
        if bot.is_ready():
            await work()

    return job


async def _question_gauges(metrics: Metrics, sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        counts = await OpsRepository(session).questions_by_status()
    metrics.questions.clear()  # a state that emptied must read 0, not its last count
    for state, count in counts.items():
        metrics.questions.labels(state).set(count)


def privacy_from(config: Config) -> Privacy:
    """The keys that protect askers; without them the bot does not start."""
    pseudonym, relay = config.secrets.pseudonym_key, config.secrets.relay_key
    if pseudonym is None or relay is None:
        missing = [
            name for name, value in ((ENV_PSEUDONYM_KEY, pseudonym), (ENV_RELAY_KEY, relay)) if value is None
        ]
        raise ConfigError(
            [
                f"the environment: {', '.join(missing)} not set. Fix: run `python -m bot gen-keys` and export what it prints."
            ]
        )
    return Privacy(pseudonym.get_secret_value().encode(), base64.b64decode(relay.get_secret_value()))


def welcome_tag_key(config: Config) -> bytes:
    """The key of the welcome-once tags: derived from the pseudonym key, for this one purpose."""
    secret = config.secrets.pseudonym_key
    assert secret is not None  # privacy_from() refused to start without it
    return hmac.new(secret.get_secret_value().encode(), b"nsscop:welcome-tags", hashlib.sha256).digest()


def dropin_template(config: Config) -> DropinSchedule:
    """The schedule a guild starts with, from the config's [dropin] and [defaults] sections."""
    section = config.dropin
    return DropinSchedule(
        guild_id=0,
        weekday=WEEKDAYS.index(section.weekday),
        local_time=parse_time(section.time),
        timezone=config.defaults.timezone,
        duration_minutes=section.duration_minutes,
        minuted_minutes=section.minuted_minutes,
        join_url=section.join_url,
        reminder_minutes=ReminderOffsets.parse(", ".join(section.reminders)).minutes,
        events_ahead=section.events_ahead,
    )


async def serve(app: App, token: str, stop: asyncio.Event) -> None:
    """Runs the bot until `stop` is set or the connection ends for good, then closes everything."""
    app.scheduler.start()
    if app.web is not None:
        try:
            await app.web.start()
        except OSError as exc:
            await app.close()
            where = f"{app.config.web.host}:{app.config.web.port}"
            raise ConfigError(
                [
                    f"[web] cannot listen on {where} ({exc.strerror or exc}). Fix: choose a free port or stop what uses it."
                ]
            ) from None
    bot_task = asyncio.create_task(app.bot.start(token), name="discord-bot")
    if app.services.zoom is not None and app.web is not None:
        app.web.after_ready(app.bot.wait_until_ready, app.services.zoom.process_pending)
    stop_task = asyncio.create_task(stop.wait(), name="stop-signal")
    try:
        await asyncio.wait({bot_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop_task.cancel()
        await app.close()
        if not bot_task.done():
            bot_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await bot_task  # re-raises a login or connection failure to the caller


def stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

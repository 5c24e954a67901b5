"""Composition root: config → engine → services → scheduler → Bot. Nothing else builds these."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from aiolimiter import AsyncLimiter
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.components import ComponentRegistry
from bot.adapters.discord_ports import DiscordPorts
from bot.adapters.forums import DiscordForums
from bot.adapters.guild_admin import DiscordGuildAdmin
from bot.clock import Clock
from bot.config import ENV_PSEUDONYM_KEY, ENV_RELAY_KEY, Config, ConfigError
from bot.discord_bot import NssBot
from bot.domain.dropin import WEEKDAYS, DropinSchedule, parse_time
from bot.domain.reminders import ReminderOffsets
from bot.i18n import default_catalog
from bot.services.community import CommunityService
from bot.services.container import Services
from bot.services.dropin import DropinService
from bot.services.dropin_reconciler import DropinReconciler
from bot.services.dropin_text import DropinText
from bot.services.group_text import GroupText
from bot.services.groups import GroupService
from bot.services.minutes import MinutesService
from bot.services.minutes_text import MinutesText
from bot.services.privacy import Privacy
from bot.services.question_text import QuestionText, Support
from bot.services.questions import QuestionPolicy, QuestionService
from bot.services.settings import SettingsService
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from scheduler import JobScheduler

log = logging.getLogger(__name__)
PURGE_EVERY = timedelta(hours=1)
INACTIVITY_CHECK_EVERY = timedelta(days=7)  # relay records past their retention, stale drafts
REST_PER_SECOND = 40  # bot-initiated calls; Discord allows 50/s globally, interactions excluded


@dataclass
class App:
    config: Config
    clock: Clock
    engine: AsyncEngine
    services: Services
    scheduler: JobScheduler
    bot: NssBot

    async def close(self) -> None:
        """Stops timers first, then Discord, then the database: nothing fires into a closed pool."""
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
) -> App:
    privacy = privacy_from(config)  # before anything else: a missing key must not leave a half-started app
    engine = create_engine(config.database_url())
    await upgrade(engine)
    sessions = create_session_factory(engine)
    catalog = default_catalog()
    settings = SettingsService(sessions, clock, config.defaults.language)
    scheduler = JobScheduler(clock)
    components = ComponentRegistry()
    limiter = AsyncLimiter(1, 1 / REST_PER_SECOND)  # capacity 1: a steady pace, no burst on top of it
    ports = DiscordPorts(components, limiter)
    section = config.questions
    questions = QuestionService(
        sessions,
        clock,
        privacy,
        QuestionPolicy(
            rate_per_hour=section.rate_per_hour,
            max_length=section.max_length,
            retention=timedelta(days=section.retention_days),
            urgent_words=tuple(section.urgent_words),
        ),
        settings,
        ports,
        QuestionText(catalog, Support(en=section.support_en, fr=section.support_fr), section.retention_days),
    )
    groups = GroupService(sessions, clock, settings, DiscordGuildAdmin(ports), ports, GroupText(catalog))
    dropin_text = DropinText(catalog)
    reconciler = DropinReconciler(
        sessions, clock, dropin_text, settings, ports, ports, scheduler, held=questions
    )
    dropin = DropinService(sessions, clock, settings, dropin_template(config), reconciler)
    minutes = MinutesService(
        sessions, clock, settings, dropin, groups, ports, MinutesText(catalog), DiscordForums(ports)
    )
    services = Services(
        catalog=catalog,
        clock=clock,
        settings=settings,
        community=CommunityService(clock, dropin),
        dropin=dropin,
        dropin_text=dropin_text,
        questions=questions,
        groups=groups,
        minutes=minutes,
    )
    bot = NssBot(
        services,
        components,
        limiter,
        sync_guild_ids=config.bot.guild_ids if sync_guild_ids is None else sync_guild_ids,
        guild_ready_timeout=guild_ready_timeout,
        run_jobs=run_jobs,
    )
    ports.attach(bot)
    scheduler.every("questions:purge", PURGE_EVERY, questions.purge_expired)
    scheduler.every("groups:inactive", INACTIVITY_CHECK_EVERY, groups.check_all_inactive)
    return App(config=config, clock=clock, engine=engine, services=services, scheduler=scheduler, bot=bot)


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
    bot_task = asyncio.create_task(app.bot.start(token), name="discord-bot")
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

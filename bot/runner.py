"""Long-running entry points behind the CLI. Failures people meet first leave as a `RunFailure`: one
line and its own exit status (bot.failures), printed by `python -m bot`."""

from __future__ import annotations

import asyncio
import logging

from bot.app import build_app, serve, stop_on_signals
from bot.clock import SystemClock
from bot.config import Config
from bot.failures import database_phase, discord_phase
from db.engine import create_engine
from db.migrate import upgrade

log = logging.getLogger(__name__)


async def upgrade_database(config: Config) -> int:
    with database_phase(config.database_url()):
        engine = create_engine(config.database_url())
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()
    print("Database is up to date.")
    return 0


def _token(config: Config) -> str:
    assert config.secrets.discord_token is not None
    return config.secrets.discord_token.get_secret_value()


async def run_bot(config: Config) -> int:
    stop = asyncio.Event()
    stop_on_signals(stop)
    with database_phase(config.database_url()):
        app = await build_app(config, SystemClock())
    with discord_phase():
        await serve(app, _token(config), stop)
    return 0


async def sync_global(config: Config) -> int:
    """Log in, replace the global command set, log out. Guild syncs at start cover configured servers."""
    with database_phase(config.database_url()):
        app = await build_app(config, SystemClock(), sync_guild_ids=(), run_jobs=False)
    try:
        with discord_phase():
            await app.bot.login(_token(config))  # runs setup_hook: extensions only, since run_jobs=False
            synced = await app.bot.tree.sync()
        print(
            f"Synced {len(synced)} global commands. Discord may take up to an hour to show them everywhere."
        )
    finally:
        await app.close()
    return 0

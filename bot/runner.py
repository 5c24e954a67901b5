"""Long-running entry points behind the CLI, with clear exits for the failures people meet first."""

from __future__ import annotations

import asyncio
import logging
import sys

import discord

from bot.app import build_app, serve, stop_on_signals
from bot.clock import SystemClock
from bot.config import Config
from db.engine import create_engine
from db.migrate import upgrade

log = logging.getLogger(__name__)
EXIT_CONFIG = 2


async def upgrade_database(config: Config) -> int:
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
    app = await build_app(config, SystemClock())
    try:
        await serve(app, _token(config), stop)
    except discord.LoginFailure:
        print(
            "Discord refused the token in NSSCOP_DISCORD_TOKEN. Reset it in the Developer Portal "
            "(your app → Bot → Reset Token) and set the new one.",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except discord.PrivilegedIntentsRequired:
        print(
            "Discord refused the Server Members intent. Enable it in the Developer Portal "
            "(your app → Bot → Privileged Gateway Intents → Server Members Intent).",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    return 0


async def sync_global(config: Config) -> int:
    """Log in, replace the global command set, log out. Guild syncs at start cover configured servers."""
    app = await build_app(config, SystemClock(), sync_guild_ids=(), run_jobs=False)
    try:
        await app.bot.login(_token(config))  # runs setup_hook: extensions only, since run_jobs=False
        synced = await app.bot.tree.sync()
        print(
            f"Synced {len(synced)} global commands. Discord may take up to an hour to show them everywhere."
        )
    except discord.LoginFailure:
        print("Discord refused the token in NSSCOP_DISCORD_TOKEN.", file=sys.stderr)
        return EXIT_CONFIG
    finally:
        await app.close()
    return 0

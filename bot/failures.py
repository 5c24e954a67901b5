"""Run-time failures people meet first, each as one line and its own exit status (`--debug` adds the
traceback). The phase that fails names the cause: starting the database, binding a port, reaching
Discord. A line never holds a secret, a database password or anything a member wrote."""

from __future__ import annotations

import contextlib
import errno
import sys
from collections.abc import Iterator

import aiohttp
import discord
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

EXIT_CONFIG = 2
EXIT_DISCORD_UNREACHABLE = 3
EXIT_TOKEN_REJECTED = 4
EXIT_INTENT_DISABLED = 5
EXIT_DATABASE = 6
EXIT_PORT_IN_USE = 7
EXIT_UNEXPECTED = 1

INTENT_HELP = (
    "Discord refused the Server Members intent (close code 4014). Enable it in the Developer Portal: "
    "your application → Bot → Privileged Gateway Intents → Server Members Intent, then start again."
)
TOKEN_HELP = (
    "Discord rejected the token in NSSCOP_DISCORD_TOKEN (401 Unauthorized). Reset it in the Developer "
    "Portal (your application → Bot → Reset Token), export the new one and start again."
)


class RunFailure(Exception):
    """A failure with its one-line explanation and exit status."""

    def __init__(self, status: int, line: str) -> None:
        super().__init__(line)
        self.status = status
        self.line = line


def _reason(exc: BaseException) -> str:
    """A short cause without the exception's free text where that text could hold a password."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, SQLAlchemyError):
        original = getattr(exc, "orig", None)
        return type(original).__name__ if original is not None else type(exc).__name__
    return type(exc).__name__


def safe_database_name(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {parsed.database}"
    return f"PostgreSQL at {parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def _migration_failed(exc: Exception) -> bool:
    """An Alembic CommandError. Alembic is imported only when a migration runs (db/migrate.py), so a start
    at head does not pay for importing it here: if it was never imported, this cannot be one of its errors."""
    alembic_errors = sys.modules.get("alembic.util.exc")
    return alembic_errors is not None and isinstance(exc, alembic_errors.CommandError)


@contextlib.contextmanager
def database_phase(url: str) -> Iterator[None]:
    """Opening and migrating the database: an unreachable server or a failed migration is one line."""
    try:
        yield
    except Exception as exc:
        if not isinstance(exc, (SQLAlchemyError, OSError, TimeoutError)) and not _migration_failed(exc):
            raise
        raise RunFailure(
            EXIT_DATABASE,
            f"Cannot use the database ({safe_database_name(url)}): {_reason(exc)}. "
            "Check NSSCOP_DATABASE_URL, that the server is up and the data directory is writable, "
            "then `python -m bot db upgrade`.",
        ) from exc


@contextlib.contextmanager
def port_phase(what: str, port: int, option: str) -> Iterator[None]:
    """Binding a listening port: "in use" is one line naming the option that changes it."""
    try:
        yield
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise RunFailure(
            EXIT_PORT_IN_USE,
            f"Port {port} ({what}) is already in use: stop the program using it or pass {option} <another port>.",
        ) from exc


def discord_failure(exc: BaseException) -> RunFailure | None:
    """The one-line failure for an error raised while logging in or connecting to Discord."""
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return RunFailure(EXIT_INTENT_DISABLED, INTENT_HELP)
    if isinstance(exc, discord.LoginFailure):
        return RunFailure(EXIT_TOKEN_REJECTED, TOKEN_HELP)
    if isinstance(exc, discord.GatewayNotFound | aiohttp.ClientConnectionError | OSError | TimeoutError):
        return RunFailure(
            EXIT_DISCORD_UNREACHABLE,
            f"Cannot reach Discord ({_reason(exc)}). Check this machine's network, DNS and proxy "
            "(discord.com must be reachable over HTTPS), then start again.",
        )
    return None


@contextlib.contextmanager
def discord_phase() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        failure = discord_failure(exc)
        if failure is None:
            raise
        raise failure from exc

"""One-line failures at run time: each cause gets one clear line and its own exit status."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import discord.http
import pytest
from pydantic import SecretStr

import sandbox.gateway
from bot.config import Config
from bot.failures import (
    EXIT_DATABASE,
    EXIT_DISCORD_UNREACHABLE,
    EXIT_INTENT_DISABLED,
    EXIT_PORT_IN_USE,
    EXIT_TOKEN_REJECTED,
    RunFailure,
    database_phase,
)
from bot.runner import run_bot, upgrade_database
from bot.sandbox_mode import sandbox_config
from sandbox import Sandbox, discord_endpoints
from tests.bot.test_main import run_cli

UNREACHABLE_DB = "postgresql://nsscop:pw-SENTINEL@127.0.0.1:1/nsscop"


def _with_token(config: Config, token: str) -> Config:
    secrets = config.secrets.model_copy(update={"discord_token": SecretStr(token)})
    return config.model_copy(update={"secrets": secrets})


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield int(s.getsockname()[1])  # bound, never listening: connections are refused


async def test_a_rejected_token_is_its_own_failure(tmp_path: Path) -> None:
    async with Sandbox() as sb:
        config = _with_token(sandbox_config(tmp_path, sb.seed.guild_id), "not-the-token")
        with discord_endpoints(sb), pytest.raises(RunFailure) as caught:
            await run_bot(config)

    assert caught.value.status == EXIT_TOKEN_REJECTED
    assert "Reset Token" in caught.value.line


async def test_a_disabled_members_intent_names_the_developer_portal_toggle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As when the Server Members toggle is off in the Developer Portal: Discord closes with 4014.
    monkeypatch.setattr(
        sandbox.gateway,
        "NOT_ALLOWED_PRIVILEGED",
        sandbox.gateway.NOT_ALLOWED_PRIVILEGED | sandbox.gateway.GUILD_MEMBERS,
    )
    async with Sandbox() as sb:
        config = _with_token(sandbox_config(tmp_path, sb.seed.guild_id), sb.bot_token)
        with discord_endpoints(sb), pytest.raises(RunFailure) as caught:
            await run_bot(config)

    assert caught.value.status == EXIT_INTENT_DISABLED
    assert "Privileged Gateway Intents → Server Members Intent" in caught.value.line


async def test_discord_unreachable_is_its_own_failure(
    tmp_path: Path, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{closed_port}/api/v10")
    config = _with_token(sandbox_config(tmp_path, 10**17), "any-token")

    with pytest.raises(RunFailure) as caught:
        await run_bot(config)

    assert caught.value.status == EXIT_DISCORD_UNREACHABLE
    assert "Cannot reach Discord" in caught.value.line


async def test_an_unreachable_database_is_its_own_failure_without_the_password(tmp_path: Path) -> None:
    config = sandbox_config(tmp_path, 10**17)
    secrets = config.secrets.model_copy(update={"database_url": SecretStr(UNREACHABLE_DB)})

    with pytest.raises(RunFailure) as caught:
        await upgrade_database(config.model_copy(update={"secrets": secrets}))

    assert caught.value.status == EXIT_DATABASE
    assert "127.0.0.1:1/nsscop" in caught.value.line
    assert "SENTINEL" not in caught.value.line


@pytest.mark.cli
def test_a_failed_migration_is_a_database_failure() -> None:
    from alembic.util.exc import CommandError

    with pytest.raises(RunFailure) as failure, database_phase("sqlite+aiosqlite:///x.db"):
        raise CommandError("Can't locate revision identified by '0099'")

    assert failure.value.status == EXIT_DATABASE


def test_an_error_that_is_not_the_database_s_is_not_reported_as_one() -> None:
    with pytest.raises(ValueError), database_phase("sqlite+aiosqlite:///x.db"):
        raise ValueError("a bug")


def test_cli_prints_one_line_and_the_status_and_the_traceback_only_with_debug(tmp_path: Path) -> None:
    plain = run_cli(tmp_path, "db", "upgrade", env={"NSSCOP_DATABASE_URL": UNREACHABLE_DB})
    debug = run_cli(tmp_path, "--debug", "db", "upgrade", env={"NSSCOP_DATABASE_URL": UNREACHABLE_DB})

    assert plain.returncode == debug.returncode == EXIT_DATABASE
    assert len(plain.stderr.strip().splitlines()) == 1
    assert plain.stderr.startswith("Cannot use the database")
    assert "Traceback" in debug.stderr
    assert "SENTINEL" not in plain.stderr


@pytest.mark.cli
def test_sandbox_on_a_port_in_use_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        result = run_cli(tmp_path, "sandbox", "--port", str(port))

    assert result.returncode == EXIT_PORT_IN_USE
    assert f"Port {port}" in result.stderr
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr

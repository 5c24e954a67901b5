"""`python -m bot` as people run it: a subprocess, a clean environment, a fresh working directory."""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from db.migrate import alembic_config

pytestmark = pytest.mark.cli

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_the_subcommands(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--help")

    assert result.returncode == 0
    for command in ("run", "sandbox", "check-config", "db", "sync"):
        assert command in result.stdout


def test_check_config_with_a_bad_value_exits_2_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('[defaults]\nlanguage = "de"\n', encoding="utf-8")

    result = run_cli(tmp_path, "check-config", "bad.toml")

    assert result.returncode == 2
    assert "defaults.language" in result.stderr
    assert "Fix:" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_check_config_with_a_non_snowflake_guild_exits_2_without_traceback(tmp_path: Path) -> None:
    # The hint holds non-ASCII arrows: printing it must work in a bare environment too.
    (tmp_path / "bad.toml").write_text("[bot]\nguild_ids = [42]\n", encoding="utf-8")

    result = run_cli(tmp_path, "check-config", "bad.toml")

    assert result.returncode == 2
    assert "bot.guild_ids[0]" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


WEAK_KEYS = {
    "NSSCOP_PSEUDONYM_KEY": ("changeme" * 6, "NSSCOP_PSEUDONYM_KEY: too weak: it repeats a 8-byte pattern"),
    "NSSCOP_RELAY_KEY": (base64.b64encode(bytes(32)).decode(), "NSSCOP_RELAY_KEY: too weak once decoded"),
}
GOOD_KEYS = {
    "NSSCOP_PSEUDONYM_KEY": "Qm9yZWFsLW1vcm5pbmctZm9nLTE3LW9jdC1yaXZlci1ib2F0LWdsYXNz",
    "NSSCOP_RELAY_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
}


@pytest.mark.parametrize("command", ["check-config", "run"])
@pytest.mark.parametrize("weak", sorted(WEAK_KEYS))
def test_a_weak_key_exits_2_naming_it_and_pointing_to_gen_keys(
    tmp_path: Path, command: str, weak: str
) -> None:
    value, message = WEAK_KEYS[weak]
    env = {**GOOD_KEYS, weak: value, "NSSCOP_DISCORD_TOKEN": "not-a-real-token"}

    result = run_cli(tmp_path, command, env=env)

    assert result.returncode == 2
    assert message in result.stderr
    assert "python -m bot gen-keys" in result.stderr
    assert value not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_check_config_with_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "check-config", "absent.toml")

    assert result.returncode == 2
    assert "absent.toml" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_check_config_on_the_example_succeeds_without_printing_secrets(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        "check-config",
        str(REPO_ROOT / "config.example.toml"),
        env={"NSSCOP_DISCORD_TOKEN": "tok-SENTINEL", "NSSCOP_DATABASE_URL": "postgres://u:pw-SENTINEL@h/db"},
    )

    assert result.returncode == 0, result.stderr
    assert "Configuration is valid." in result.stdout
    assert "NSSCOP_DISCORD_TOKEN: set" in result.stdout
    assert "SENTINEL" not in result.stdout + result.stderr


def test_run_without_a_token_exits_2_and_explains_how_to_get_one(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "run")

    assert result.returncode == 2
    assert "NSSCOP_DISCORD_TOKEN is not set" in result.stderr
    assert "https://discord.com/developers/applications" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_db_upgrade_migrates_a_fresh_sqlite_file_to_head(tmp_path: Path) -> None:
    database = tmp_path / "x.db"

    result = run_cli(tmp_path, "db", "upgrade", env={"NSSCOP_DATABASE_URL": f"sqlite:///{database}"})

    assert result.returncode == 0, result.stderr
    assert "Database is up to date." in result.stdout
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    with sqlite3.connect(database) as connection:
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert version == head
    assert {"guild_settings", "guild_channels", "guild_roles"} <= tables


@pytest.mark.parametrize("argument", ["2026-12-03T16:58:00", "yesterday"])
def test_sandbox_refuses_a_start_instant_without_zone_or_form(tmp_path: Path, argument: str) -> None:
    result = run_cli(tmp_path, "sandbox", "--start-at", argument)

    assert result.returncode == 2
    assert "--start-at" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr

"""Bootstrap configuration: a TOML file for settings, the environment for secrets.

Guild settings (channels, roles, language) live in the database; this file only holds
what the process needs before it can reach the database.
"""

from __future__ import annotations

import base64
import binascii
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.domain.reminders import DEFAULT as DEFAULT_REMINDERS
from bot.domain.reminders import SYNTAX, ReminderOffsets
from bot.errors import UserError
from bot.i18n import default_catalog
from bot.i18n.render import render

ENV_TOKEN = "NSSCOP_DISCORD_TOKEN"
ENV_DATABASE_URL = "NSSCOP_DATABASE_URL"
ENV_PSEUDONYM_KEY = "NSSCOP_PSEUDONYM_KEY"
ENV_RELAY_KEY = "NSSCOP_RELAY_KEY"

Snowflake = Annotated[int, Field(ge=10**16, lt=10**20)]
Language = Literal["en", "fr", "both"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

_FIX_HINTS = {
    "guild_ids": "list the server ids as numbers, e.g. guild_ids = [123456789012345678] "
    "(Discord: User Settings → Advanced → Developer Mode, then right-click the server → Copy Server ID)",
    "language": 'use "en", "fr" or "both"',
    "log_level": 'use "DEBUG", "INFO", "WARNING" or "ERROR"',
    "timezone": 'use an IANA zone name such as "America/Toronto"',
    "weekday": 'use a lowercase English day name such as "thursday"',
    "time": 'use 24-hour "HH:MM", e.g. "12:00"',
    "join_url": 'use the full Zoom link starting with "https://", or "" for none',
    "reminders": f"use a list such as {json.dumps(SYNTAX.example.items('en'))}",
    "database_url": f"set {ENV_DATABASE_URL} to postgresql://user:password@host:5432/dbname, or unset it for SQLite",
    "relay_key": "generate both keys with `python -m bot gen-keys` and export what it prints",
    "pseudonym_key": "generate both keys with `python -m bot gen-keys` and export what it prints",
}


_SECRET_ENV = {
    "discord_token": ENV_TOKEN,
    "database_url": ENV_DATABASE_URL,
    "pseudonym_key": ENV_PSEUDONYM_KEY,
    "relay_key": ENV_RELAY_KEY,
}
_FILE_SECTIONS = frozenset({"bot", "defaults", "dropin", "questions"})
_SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class ConfigError(Exception):
    """A configuration problem, phrased for the person who edits the file."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BotSection(_Frozen):
    guild_ids: list[Snowflake] = Field(default_factory=list)
    """Servers whose commands are synced at start (instant); empty means none."""
    data_dir: Path = Path("data")
    log_level: LogLevel = "INFO"


class DefaultsSection(_Frozen):
    language: Language = "both"
    """Language of bot-initiated posts for a server that has not chosen one."""
    timezone: str = "America/Toronto"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class DropinSection(_Frozen):
    """The schedule a server starts with when a facilitator first runs /dropin setup."""

    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] = (
        "thursday"
    )
    time: str = Field(default="12:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    duration_minutes: int = Field(default=90, ge=15, le=480)
    minuted_minutes: int = Field(default=60, ge=0, le=480)
    reminders: list[str] = Field(default_factory=lambda: DEFAULT_REMINDERS.items("en"))
    events_ahead: int = Field(default=4, ge=0, le=12)
    join_url: str = Field(default="", pattern=r"^(https://\S+)?$")

    @field_validator("reminders")
    @classmethod
    def _reminder_format(cls, value: list[str]) -> list[str]:
        """The one rule for reminder offsets (bot/domain/reminders.py), explained as the bot would."""
        try:
            ReminderOffsets.parse(", ".join(value))
        except UserError as error:
            raise ValueError(render(default_catalog(), "en", error.key, error.params)) from None
        return value


class QuestionsSection(_Frozen):
    """Anonymous questions: limits and the support resources shown to askers and reviewers."""

    rate_per_hour: int = Field(default=5, ge=1, le=100)
    max_length: int = Field(default=1800, ge=100, le=1800)
    retention_days: int = Field(default=30, ge=1, le=365)
    support_en: str = "In an emergency, call 911. National Overdose Response Service (NORS): 1-888-688-6677."
    support_fr: str = (
        "En cas d'urgence, composez le 911. Service national d'intervention en cas de surdose (NORS) : "
        "1-888-688-6677."
    )
    urgent_words: list[str] = Field(default_factory=list)
    """Extra words that flag a question as urgent for reviewers (added to the built-in list)."""


class Secrets(_Frozen):
    discord_token: SecretStr | None = None
    database_url: SecretStr | None = None
    pseudonym_key: SecretStr | None = None
    relay_key: SecretStr | None = None

    @field_validator("relay_key")
    @classmethod
    def _aes_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            try:
                raw = base64.b64decode(value.get_secret_value(), validate=True)
            except (ValueError, binascii.Error):
                raise ValueError("not base64") from None
            if len(raw) != 32:
                raise ValueError("must be 32 bytes (base64 of an AES-256 key)")
        return value

    @field_validator("pseudonym_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        try:
            backend = make_url(normalize_database_url(value.get_secret_value())).get_backend_name()
        except ArgumentError:
            raise ValueError("not a database URL") from None
        if backend not in _SUPPORTED_BACKENDS:
            raise ValueError(f"{backend} is not supported")
        return value


class Config(_Frozen):
    bot: BotSection = Field(default_factory=BotSection)
    defaults: DefaultsSection = Field(default_factory=DefaultsSection)
    dropin: DropinSection = Field(default_factory=DropinSection)
    questions: QuestionsSection = Field(default_factory=QuestionsSection)
    secrets: Secrets = Field(default_factory=Secrets, exclude=True)
    source: Path | None = Field(default=None, exclude=True)

    def database_url(self) -> str:
        """The SQLAlchemy URL: the environment's, else SQLite in the data directory."""
        if self.secrets.database_url is not None:
            return normalize_database_url(self.secrets.database_url.get_secret_value())
        return f"sqlite+aiosqlite:///{(self.bot.data_dir / 'nsscop.db').resolve()}"


def normalize_database_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and pick the async drivers."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://") and not url.startswith("sqlite+"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def load_config(path: Path | None, env: Mapping[str, str]) -> Config:
    """Read the file (when given) and the environment; raise ConfigError naming every problem."""
    raw: dict[str, Any] = {}
    where = str(path) if path else "the built-in defaults"
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(
                [f"{path}: file not found. Copy config.example.toml to {path} and edit it."]
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                [f"{path}: not valid TOML ({exc}). Check quotes, brackets and '=' signs."]
            ) from None
    if "secrets" in raw:
        raise ConfigError(
            [
                f"{where}: [secrets] does not belong in the file. Set {ENV_TOKEN}, {ENV_DATABASE_URL}, "
                f"{ENV_PSEUDONYM_KEY} and {ENV_RELAY_KEY} in the environment instead."
            ]
        )
    for key in raw:
        if key not in _FILE_SECTIONS:
            raise ConfigError(
                [
                    f"{where}: unknown key '{key}'. Remove it or check its spelling against config.example.toml."
                ]
            )
    secrets = {
        "discord_token": env.get(ENV_TOKEN) or None,
        "database_url": env.get(ENV_DATABASE_URL) or None,
        "pseudonym_key": env.get(ENV_PSEUDONYM_KEY) or None,
        "relay_key": env.get(ENV_RELAY_KEY) or None,
    }
    try:
        return Config.model_validate({**raw, "secrets": secrets, "source": path})
    except ValidationError as exc:
        raise ConfigError([_describe(where, err) for err in exc.errors()]) from None


def _describe(where: str, err: Any) -> str:
    loc = [str(part) for part in err["loc"]]
    key = "".join(f"[{part}]" if part.isdigit() else f".{part}" for part in loc).lstrip(".") or "(top level)"
    leaf = next((part for part in reversed(loc) if not part.isdigit()), "")
    if err["type"] == "extra_forbidden":
        return f"{where}: unknown key '{key}'. Remove it or check its spelling against config.example.toml."
    got = err.get("input")
    shown = "" if isinstance(got, dict) else f" (got {got!r})"
    if loc and loc[0] == "secrets":  # never echo a secret back
        where, key, shown = "the environment", _SECRET_ENV.get(leaf, key), ""
    message = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] in ("greater_than_equal", "less_than") and leaf == "guild_ids":
        message = "not a Discord id (17 to 20 digits)"
    hint = _FIX_HINTS.get(leaf, "see config.example.toml for the expected form")
    return f"{where}: {key}: {message}{shown}. Fix: {hint}."


def summary(config: Config) -> list[str]:
    """Lines safe to print: no secret values, only whether each secret is set."""
    s = config.secrets
    url = make_url(config.database_url())
    if url.get_backend_name() == "sqlite":
        backend = f"SQLite ({url.database})"
    else:
        backend = f"PostgreSQL ({url.render_as_string(hide_password=True)})"
    return [
        f"source:           {config.source or 'built-in defaults'}",
        f"guilds to sync:   {', '.join(map(str, config.bot.guild_ids)) or 'none (use `python -m bot sync`)'}",
        f"data directory:   {config.bot.data_dir}",
        f"log level:        {config.bot.log_level}",
        f"default language: {config.defaults.language}",
        f"time zone:        {config.defaults.timezone}",
        f"database:         {backend}",
        f"{ENV_TOKEN}: {'set' if s.discord_token else 'not set'}",
        f"{ENV_PSEUDONYM_KEY}: {'set' if s.pseudonym_key else 'not set'}",
        f"{ENV_RELAY_KEY}: {'set' if s.relay_key else 'not set'}",
    ]

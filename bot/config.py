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

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.domain.dropin import JOIN_URL_MAX, check_join_url
from bot.domain.members import DEFAULT_ROLES, CommunityRole
from bot.domain.reminders import DEFAULT as DEFAULT_REMINDERS
from bot.domain.reminders import SYNTAX, ReminderOffsets
from bot.domain.shards import Shards
from bot.errors import UserError
from bot.i18n import default_catalog
from bot.i18n.render import render
from bot.key_strength import weakness

ENV_TOKEN = "NSSCOP_DISCORD_TOKEN"
ENV_DATABASE_URL = "NSSCOP_DATABASE_URL"
ENV_PSEUDONYM_KEY = "NSSCOP_PSEUDONYM_KEY"
ENV_RELAY_KEY = "NSSCOP_RELAY_KEY"
ENV_ZOOM_WEBHOOK_SECRET = "NSSCOP_ZOOM_WEBHOOK_SECRET"
ENV_METRICS_TOKEN = "NSSCOP_METRICS_TOKEN"
ENV_ZOOM_ACCOUNT_ID = "NSSCOP_ZOOM_ACCOUNT_ID"
ENV_ZOOM_CLIENT_ID = "NSSCOP_ZOOM_CLIENT_ID"
ENV_ZOOM_CLIENT_SECRET = "NSSCOP_ZOOM_CLIENT_SECRET"

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
    "minuted_minutes": "make it at most duration_minutes (0 for no minuted part)",
    "database_url": f"set {ENV_DATABASE_URL} to postgresql://user:password@host:5432/dbname, or unset it for SQLite",
    "relay_key": "generate both keys with `python -m bot gen-keys` and export what it prints",
    "shard_count": "set shard_count to the number of shards of the whole deployment (e.g. 2), or remove "
    "shard_count and shard_ids to run one process",
    "shard_ids": "list this process's shards, each from 0 to shard_count - 1, once each, with shard_count "
    "set to the deployment's number of shards (e.g. shard_count = 2, shard_ids = [0])",
    "pseudonym_key": "generate both keys with `python -m bot gen-keys` and export what it prints",
}


_SECRET_ENV = {
    "discord_token": ENV_TOKEN,
    "database_url": ENV_DATABASE_URL,
    "pseudonym_key": ENV_PSEUDONYM_KEY,
    "relay_key": ENV_RELAY_KEY,
    "zoom_webhook_secret": ENV_ZOOM_WEBHOOK_SECRET,
    "metrics_token": ENV_METRICS_TOKEN,
    "zoom_account_id": ENV_ZOOM_ACCOUNT_ID,
    "zoom_client_id": ENV_ZOOM_CLIENT_ID,
    "zoom_client_secret": ENV_ZOOM_CLIENT_SECRET,
}
_FILE_SECTIONS = frozenset({"bot", "defaults", "dropin", "questions", "members", "web", "zoom"})
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
    shard_count: int | None = Field(default=None, ge=1, le=10_000)
    """Discord shards in the whole deployment; unset: one process, no sharding (docs/scaling.md)."""
    shard_ids: list[int] = Field(default_factory=list)
    """The shards this process connects; empty with shard_count set: all of them."""

    @field_validator("shard_ids")
    @classmethod
    def _shards(cls, value: list[int], info: ValidationInfo) -> list[int]:
        count = info.data.get("shard_count")
        if count is None:
            if value:
                raise ValueError("shard_ids needs shard_count")
            return value
        if len(set(value)) != len(value):
            raise ValueError("shard_ids must be unique")
        if any(not 0 <= i < count for i in value):
            raise ValueError(f"every shard id must be from 0 to {count - 1} (shard_count - 1)")
        return value

    def shards(self) -> Shards:
        return Shards(self.shard_count, tuple(self.shard_ids))


class DefaultsSection(_Frozen):
    language: Language = "both"
    """Language of bot-initiated posts for a server that has not chosen one."""
    timezone: str = "America/Toronto"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfoNotFoundError

        from bot.domain.zones import iana_zone

        try:
            iana_zone(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise ValueError("unknown time zone") from exc
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

    # The rules below are the domain's own (the ones `run`, `schedule` and /dropin apply), so a file
    # that passes `check-config` never fails later on the same value.
    @field_validator("reminders")
    @classmethod
    def _reminder_format(cls, value: list[str]) -> list[str]:
        """The one rule for reminder offsets (bot/domain/reminders.py), explained as the bot would."""
        try:
            ReminderOffsets.parse(", ".join(value))
        except UserError as error:
            raise ValueError(render(default_catalog(), "en", error.key, error.params)) from None
        return value

    @field_validator("join_url")
    @classmethod
    def _join_url(cls, value: str) -> str:
        if value:
            try:
                check_join_url(value)
            except UserError as exc:
                raise ValueError(
                    f"longer than {JOIN_URL_MAX} characters"
                    if exc.key == "dropin.error.link_too_long"
                    else "not a link"
                ) from None
        return value

    @field_validator("minuted_minutes")
    @classmethod
    def _minuted_within_duration(cls, value: int, info: ValidationInfo) -> int:
        duration = info.data.get("duration_minutes")
        if duration is not None and value > duration:
            raise ValueError(f"longer than the meeting itself (duration_minutes = {duration})")
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
    delay_min_seconds: int = Field(default=60, ge=0, le=3600)
    delay_max_seconds: int = Field(default=300, ge=0, le=3600)
    """A question reaches reviewers (or the channel) after a uniformly random wait in this range, so
    its timing cannot be matched to a DM or a member's activity. 0 and 0 disable the delay."""

    @model_validator(mode="after")
    def _delay_range(self) -> QuestionsSection:
        if self.delay_max_seconds < self.delay_min_seconds:
            raise ValueError("delay_max_seconds must be at least delay_min_seconds")
        return self


class CommunityRoleEntry(_Frozen):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")
    en: str = Field(min_length=1, max_length=100)
    fr: str = Field(min_length=1, max_length=100)


def _default_community_roles() -> list[CommunityRoleEntry]:
    return [CommunityRoleEntry(key=r.key, en=r.en, fr=r.fr) for r in DEFAULT_ROLES]


class MembersSection(_Frozen):
    """Community roles (English and French labels) and the membership report's suppression."""

    roles: list[CommunityRoleEntry] = Field(
        default_factory=_default_community_roles, min_length=1, max_length=25
    )
    report_min_count: int = Field(default=5, ge=1, le=100)
    """Counts under this number show as "<N" in the report's table, CSV and chart."""

    @field_validator("roles")
    @classmethod
    def _unique_keys(cls, value: list[CommunityRoleEntry]) -> list[CommunityRoleEntry]:
        keys = [entry.key for entry in value]
        if len(set(keys)) != len(keys):
            raise ValueError("community role keys must be unique")
        return value

    def community_roles(self) -> tuple[CommunityRole, ...]:
        return tuple(CommunityRole(entry.key, entry.en, entry.fr) for entry in self.roles)


class WebSection(_Frozen):
    """The web server (Zoom webhooks, calendar feed, public page, health, metrics): off without a port."""

    host: str = "127.0.0.1"
    port: int | None = Field(default=None, ge=0, le=65535)  # 0: any free port
    public_base_url: str = Field(default="", pattern=r"^(https?://\S+)?$")
    """How members reach the server (e.g. https://bot.example.org), for the links /dropin calendar-link shows."""
    ops_networks: list[str] = Field(default_factory=lambda: ["127.0.0.0/8", "::1/128"])
    """Who may read /healthz and /metrics without the bearer token (NSSCOP_METRICS_TOKEN)."""
    public_per_minute: int = Field(default=120, ge=1, le=100_000)
    webhook_per_minute: int = Field(default=3000, ge=1, le=100_000)

    @field_validator("ops_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for item in value:
            ipaddress.ip_network(item, strict=False)
        return value


class ZoomSection(_Frozen):
    """Zoom's Server-to-Server OAuth endpoints, for `python -m bot zoom check` (configurable for tests)."""

    oauth_url: str = Field(default="https://zoom.us/oauth/token", pattern=r"^https?://\S+$")
    api_base: str = Field(default="https://api.zoom.us/v2", pattern=r"^https?://\S+$")


class Secrets(_Frozen):
    discord_token: SecretStr | None = None
    database_url: SecretStr | None = None
    pseudonym_key: SecretStr | None = None
    relay_key: SecretStr | None = None
    zoom_webhook_secret: SecretStr | None = None
    metrics_token: SecretStr | None = None
    zoom_account_id: SecretStr | None = None
    zoom_client_id: SecretStr | None = None
    zoom_client_secret: SecretStr | None = None

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
            if problem := weakness(raw):
                raise ValueError(f"too weak once decoded: {problem}")
        return value

    @field_validator("pseudonym_key")
    @classmethod
    def _strong_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and (problem := weakness(value.get_secret_value().encode())):
            raise ValueError(f"too weak: {problem}")
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
    members: MembersSection = Field(default_factory=MembersSection)
    web: WebSection = Field(default_factory=WebSection)
    zoom: ZoomSection = Field(default_factory=ZoomSection)
    secrets: Secrets = Field(default_factory=Secrets, exclude=True)
    source: Path | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _several_processes_need_postgresql(self) -> Config:
        shards = self.bot.shards()
        if set(shards.served) != set(range(shards.count or 1)) and self.database_url().startswith("sqlite"):
            raise ValueError(
                "bot.shard_ids leaves shards to other processes, and several processes need one shared "
                f"PostgreSQL database (SQLite is one process's file). Fix: set {ENV_DATABASE_URL} to "
                "postgresql://user:password@host:5432/dbname in every process, or remove shard_ids"
            )
        return self

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
        "zoom_webhook_secret": env.get(ENV_ZOOM_WEBHOOK_SECRET) or None,
        "metrics_token": env.get(ENV_METRICS_TOKEN) or None,
        "zoom_account_id": env.get(ENV_ZOOM_ACCOUNT_ID) or None,
        "zoom_client_id": env.get(ENV_ZOOM_CLIENT_ID) or None,
        "zoom_client_secret": env.get(ENV_ZOOM_CLIENT_SECRET) or None,
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
    if repr(got) in message or (isinstance(got, str) and got and got in message):
        shown = ""  # the message already quotes the value: say it once
    if not loc and "Fix:" in message:  # a rule across sections phrases its own key and fix
        return f"{where}: {message}."
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
        f"sharding:         {config.bot.shards().describe()}",
        f"default language: {config.defaults.language}",
        f"time zone:        {config.defaults.timezone}",
        f"database:         {backend}",
        f"{ENV_TOKEN}: {'set' if s.discord_token else 'not set'}",
        f"{ENV_PSEUDONYM_KEY}: {'set' if s.pseudonym_key else 'not set'}",
        f"{ENV_RELAY_KEY}: {'set' if s.relay_key else 'not set'}",
        f"web server:       {f'{config.web.host}:{config.web.port}' if config.web.port else 'off'}",
        f"{ENV_ZOOM_WEBHOOK_SECRET}: {'set' if s.zoom_webhook_secret else 'not set (Zoom webhooks off)'}",
    ]

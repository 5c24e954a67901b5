"""Logging, configured once. Log lines name commands and error types, never people or their text.

Our own modules log only counts, kinds and error types. Every other logger (the root logger, the
database drivers, SQLAlchemy, discord.py, aiohttp, APScheduler...) goes through `_withhold`, at
every level and whatever level anyone sets later: below WARNING a record keeps its wording but its
arguments (SQL parameters, gateway payloads, request bodies) are replaced by "…"; from WARNING up,
ids and tokens are blanked; an exception is reduced to its type and place. A DEBUG log is then safe
to share for support: it holds no message text, pseudonym, code, tag or sealed blob.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
OWN_LOGGERS = ("bot", "cogs", "db", "scheduler", "bench")
"""Our code: it never logs user text (tests/e2e/test_question_privacy.py checks it)."""
DISCORD_STAND_IN = ("sandbox",)
"""The local Discord used for trying the bot and for tests: its logs are Discord's, not the bot's."""
WITHHELD = "…"
_PLACEHOLDER = re.compile(r"%(\([^)]*\))?[#0\- +]*(\*|\d+)?(\.(\*|\d+))?[diouxXeEfFgGcrsa%]")
_SECRET = re.compile(r"\d{15,20}|[A-Za-z0-9_\-\.]{60,}")


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    if getattr(configure_logging, "_done", False):
        root.setLevel(level)
        return
    install_withholding()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    # discord.py logs interaction users' ids on some errors and gateway payloads at DEBUG.
    logging.getLogger("discord").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("discord.app_commands.tree").addFilter(_DropUserIds())
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("aiosqlite").setLevel(logging.INFO)  # one DEBUG line per SQL call: noise only
    logging.getLogger("discord.http").addFilter(_RedactUrls())
    logging.getLogger("discord.webhook.async_").addFilter(_RedactUrls())
    logging.getLogger("discord.client").addFilter(_DropVoiceNotice())
    configure_logging._done = True  # type: ignore[attr-defined]


def install_withholding() -> None:
    """Every log record made from now on, by any logger, passes through `_withhold` (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "withholds", False):
        return

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _withhold(factory(*args, **kwargs))

    make.withholds = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)


def _is_ours(name: str) -> bool:
    return name.split(".")[0] in OWN_LOGGERS + DISCORD_STAND_IN


def _withhold(record: logging.LogRecord) -> logging.LogRecord:
    if _is_ours(record.name):
        return record
    if record.exc_info and record.exc_info[1] is not None:
        record.msg = f"{record.msg if isinstance(record.msg, str) else WITHHELD} [{exception_summary(record.exc_info[1])}]"
        record.exc_info, record.exc_text = None, None
    if not isinstance(record.msg, str):
        record.msg, record.args = f"<{type(record.msg).__name__}: {WITHHELD}>", ()
    elif record.levelno < logging.WARNING:
        record.msg, record.args = _template(record.msg), ()
    elif record.args:
        record.args = _scrub_args(record.args, lambda value: _SECRET.sub(WITHHELD, value))
    record.stack_info = None
    return record


def _template(message: str) -> str:
    """The wording without its values: "executing %s" becomes "executing …"."""
    return _PLACEHOLDER.sub(lambda m: "%" if m.group(0) == "%%" else WITHHELD, message)


def _scrub_args(args: Any, scrub: Callable[[str], str]) -> Any:
    """Strings scrubbed; numbers kept (a %d needs one), other objects as their scrubbed text."""

    def one(value: Any) -> Any:
        return value if isinstance(value, int | float) else scrub(str(value))

    if isinstance(args, dict):
        return {key: one(value) for key, value in args.items()}
    return tuple(one(value) for value in args)


class _DropUserIds(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "User:" not in str(record.msg)


class _RedactUrls(logging.Filter):
    """discord.py logs request URLs on rate limits; a DM channel id or an interaction token in them
    could identify an asker. Ids and tokens are blanked before the record is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _SECRET.sub(WITHHELD, str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_SECRET.sub(WITHHELD, a) if isinstance(a, str) else a for a in args)
        return True


class _DropVoiceNotice(logging.Filter):
    """The bot never joins voice; discord.py's warning about missing voice libraries only alarms people."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in str(record.msg)


def exception_summary(exc: BaseException) -> str:
    """The exception's type and where it was raised, without its message (which may hold user text)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames[-6:]))
    cause = exc.__cause__ or exc.__context__
    tail = f" (caused by {type(cause).__name__})" if cause is not None and cause is not exc else ""
    return f"{type(exc).__name__}{tail} at {where or 'unknown'}"

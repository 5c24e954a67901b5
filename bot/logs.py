"""Logging, configured once. Log lines name commands and error types, never people or their text."""

from __future__ import annotations

import logging
import re
import traceback

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    if getattr(configure_logging, "_done", False):
        root.setLevel(level)
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    # discord.py logs interaction users' ids on some errors and gateway payloads at DEBUG.
    logging.getLogger("discord").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("discord.app_commands.tree").addFilter(_DropUserIds())
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("discord.http").addFilter(_RedactUrls())
    logging.getLogger("discord.webhook.async_").addFilter(_RedactUrls())
    logging.getLogger("discord.client").addFilter(_DropVoiceNotice())
    configure_logging._done = True  # type: ignore[attr-defined]


class _DropUserIds(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "User:" not in str(record.msg)


class _RedactUrls(logging.Filter):
    """discord.py logs request URLs on rate limits; a DM channel id or an interaction token in them
    could identify an asker. Ids and tokens are blanked before the record is written."""

    _SECRET = re.compile(r"\d{15,20}|[A-Za-z0-9_\-\.]{60,}")

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._SECRET.sub("…", str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(self._SECRET.sub("…", a) if isinstance(a, str) else a for a in args)
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

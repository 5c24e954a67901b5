"""Dates and times as people read them, in English or Canadian French (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.i18n import Lang

BABEL_LOCALES = {"en": "en_CA", "fr": "fr_CA"}


def long_date(moment: datetime, lang: Lang, zone: ZoneInfo) -> str:
    """`Thursday, December 3, 2026` / `jeudi 3 décembre 2026`."""
    return format_date(moment.astimezone(zone), "full", locale=BABEL_LOCALES[lang])


def short_time(moment: datetime, lang: Lang, zone: ZoneInfo) -> str:
    """`12:00 p.m.` / `12 h 00`."""
    return format_time(moment, "short", tzinfo=zone, locale=BABEL_LOCALES[lang])


def long_day(day: date, lang: Lang) -> str:
    """A calendar date: `Thursday, December 3, 2026` / `jeudi 3 décembre 2026`."""
    return format_date(day, "full", locale=BABEL_LOCALES[lang])


def long_datetime(moment: datetime, lang: Lang, zone: ZoneInfo) -> str:
    """`Thursday, December 3, 2026, 12:00 p.m.` / `jeudi 3 décembre 2026, 12 h 00`."""
    return f"{long_date(moment, lang, zone)}, {short_time(moment, lang, zone)}"


def discord_timestamp(moment: datetime, style: str = "F") -> str:
    """`<t:UNIX:F>`: each member's Discord shows it in their own zone and language."""
    return f"<t:{int(moment.timestamp())}:{style}>"

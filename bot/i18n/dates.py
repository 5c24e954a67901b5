"""Dates, times and durations as people read them, in English or Canadian French (Babel + OQLF).

French follows the OQLF: « jeudi 1er octobre 2026 », « 12 h », « 13 h 30 » (never « 9 h 00 »),
« 1 j, 15 min ». Outside Discord (files, exports) never show ISO dates or `<t:…>` codes: use these.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.i18n import Lang
from bot.i18n.plural import BABEL_LOCALES


def clock(hour: int, minute: int, lang: Lang) -> str:
    """`12 h`, `13 h 30` / `12:00`, `13:30`: a wall-clock time without a date."""
    if lang == "fr":
        return f"{hour} h" if minute == 0 else f"{hour} h {minute:02d}"
    return f"{hour}:{minute:02d}"


def short_time(moment: datetime, lang: Lang, zone: ZoneInfo) -> str:
    """`12:00 p.m.` / `12 h`, `13 h 30`."""
    if lang == "fr":
        local = moment.astimezone(zone)
        return clock(local.hour, local.minute, "fr")
    return format_time(moment, "short", tzinfo=zone, locale=BABEL_LOCALES[lang])


@lru_cache(maxsize=256)  # Babel's pattern formatting, for the few dates every /dropin answer names
def long_day(day: date, lang: Lang) -> str:
    """A calendar date: `Thursday, December 3, 2026` / `jeudi 3 décembre 2026`, `jeudi 1er octobre 2026`."""
    if lang == "fr":
        text = format_date(day, "EEEE d MMMM y", locale=BABEL_LOCALES["fr"])
        return re.sub(r"^(\w+) 1 ", r"\1 1er ", text) if day.day == 1 else text
    return format_date(day, "full", locale=BABEL_LOCALES[lang])


def long_date(moment: datetime, lang: Lang, zone: ZoneInfo) -> str:
    """`Thursday, December 3, 2026` / `jeudi 3 décembre 2026`, on the local day in `zone`."""
    return long_day(moment.astimezone(zone).date(), lang)


def long_datetime(moment: datetime, lang: Lang, zone: ZoneInfo) -> str:
    """`Thursday, December 3, 2026, 12:00 p.m.` / `jeudi 3 décembre 2026, 12 h`."""
    separator = " à " if lang == "fr" else ", "
    return f"{long_date(moment, lang, zone)}{separator}{short_time(moment, lang, zone)}"


def duration(minutes: int, lang: Lang) -> str:
    """`1 j`, `2 h`, `15 min` / `1 d`, `2 h`, `15 min`: the largest whole unit (SI symbols, no period)."""
    day = "j" if lang == "fr" else "d"
    if minutes and minutes % 1440 == 0:
        return f"{minutes // 1440} {day}"
    if minutes and minutes % 60 == 0:
        return f"{minutes // 60} h"
    return f"{minutes} min"


def durations(minutes: tuple[int, ...], lang: Lang) -> str:
    """`1 j, 15 min`."""
    return ", ".join(duration(value, lang) for value in minutes)


def discord_timestamp(moment: datetime, style: str = "F") -> str:
    """`<t:UNIX:F>`: each member's Discord shows it in their own zone and language."""
    return f"<t:{int(moment.timestamp())}:{style}>"

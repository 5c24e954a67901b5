"""Wall-clock recurrence in an IANA zone: Thursday 12:00 in Toronto stays 12:00 across DST."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.zones import iana_zone
from bot.i18n import Lang
from bot.i18n.dates import clock

# The across-Canada line, west to east: (English label, French label, zone).
CANADA_ZONES: tuple[tuple[str, str, str], ...] = (
    ("PT", "HP", "America/Vancouver"),
    ("MT", "HR", "America/Edmonton"),
    ("CT", "HC", "America/Winnipeg"),
    ("ET", "HE", "America/Toronto"),
    ("AT", "HA", "America/Halifax"),
    ("NT", "HT", "America/St_Johns"),
)


@dataclass(frozen=True)
class WeeklySlot:
    weekday: int  # Monday = 0 … Sunday = 6
    at: time
    zone: ZoneInfo

    def occurrence_on(self, day: date) -> datetime:
        """The UTC instant of this slot's local time on `day` (which should be the right weekday)."""
        return datetime.combine(day, self.at, tzinfo=self.zone).astimezone(UTC)

    def next_after(self, moment: datetime) -> datetime:
        """The first occurrence strictly after `moment` (aware), as aware UTC."""
        local_day = moment.astimezone(self.zone).date()
        day = local_day + timedelta(days=(self.weekday - local_day.weekday()) % 7)
        start = self.occurrence_on(day)
        if start <= moment:
            start = self.occurrence_on(day + timedelta(days=7))
        return start


DEFAULT_DROPIN = WeeklySlot(weekday=3, at=time(12, 0), zone=iana_zone("America/Toronto"))


def canada_line(start: datetime, lang: Lang) -> str:
    """`PT 9:00 · MT 10:00 · … · NT 13:30` / `HP 9 h · HR 10 h · … · HT 13 h 30` (a July noon in Toronto),
    computed for that instant from IANA's rules (bot/domain/zones.py)."""
    parts = []
    for en_label, fr_label, zone_name in CANADA_ZONES:
        local = start.astimezone(iana_zone(zone_name))
        label = fr_label if lang == "fr" else en_label
        parts.append(f"{label} {clock(local.hour, local.minute, lang)}")
    return " · ".join(parts)

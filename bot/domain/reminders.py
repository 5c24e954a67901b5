"""When the drop-in reminders go out: a list of offsets before the start, and its one rule.

This module is the only home of the reminder syntax, its limits and its display: the config file,
`/dropin reminders`, `/dropin setup` and the catalog messages all take them from here (the limits
reach the messages as parameters). tests/meta/test_architecture.py guards that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import UserError

MINUTE, HOUR, DAY = 1, 60, 1440
MAX_COUNT = 4
MIN_MINUTES = 5 * MINUTE
MAX_MINUTES = 7 * DAY

# What facilitators may type, per unit; English and French units are both accepted in any language.
_UNITS: dict[str, int] = {
    "d": DAY,
    "day": DAY,
    "days": DAY,
    "j": DAY,
    "jour": DAY,
    "jours": DAY,
    "h": HOUR,
    "hr": HOUR,
    "hrs": HOUR,
    "hour": HOUR,
    "hours": HOUR,
    "heure": HOUR,
    "heures": HOUR,
    "m": MINUTE,
    "min": MINUTE,
    "mins": MINUTE,
    "minute": MINUTE,
    "minutes": MINUTE,
}
_ITEM = re.compile(r"^(?P<n>\d{1,5})\s*(?P<unit>[a-z]+)$")
# The unit written back to facilitators in the syntax they are shown, per language.
_SHOWN_UNITS = {"en": {DAY: "d", HOUR: "h", MINUTE: "m"}, "fr": {DAY: "j", HOUR: "h", MINUTE: "min"}}


@dataclass(frozen=True)
class ReminderOffsets:
    """Minutes before the start, longest first, no duplicates; empty means "no reminders"."""

    minutes: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "minutes", tuple(sorted(set(self.minutes), reverse=True)))

    # --- parsing and limits ---------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> ReminderOffsets:
        """`24h, 1h, 10m` or `2j, 15min` → offsets; a clear UserError for anything else."""
        items = [item.strip().lower() for item in text.replace(";", ",").split(",")]
        if not any(items):
            raise UserError("dropin.reminders.error.syntax", value=text, syntax=SYNTAX)
        minutes = []
        for item in items:
            match = _ITEM.match(item)
            unit = _UNITS.get(match["unit"]) if match else None
            if match is None or unit is None:
                raise UserError("dropin.reminders.error.syntax", value=item or text, syntax=SYNTAX)
            minutes.append(int(match["n"]) * unit)
        return cls.checked(minutes, shown=items)

    @classmethod
    def checked(
        cls, minutes: list[int] | tuple[int, ...], *, shown: list[str] | None = None
    ) -> ReminderOffsets:
        """Offsets within the limits: at most MAX_COUNT, each from MIN_MINUTES to MAX_MINUTES."""
        offsets = cls(tuple(minutes))
        if len(offsets.minutes) > MAX_COUNT:
            raise UserError("dropin.reminders.error.too_many", limit=MAX_COUNT, count=len(offsets.minutes))
        for index, value in enumerate(minutes):
            if not MIN_MINUTES <= value <= MAX_MINUTES:
                raise UserError(
                    "dropin.reminders.error.out_of_range",
                    value=shown[index] if shown else cls((value,)).syntax("en"),
                    min=LIMIT_MIN,
                    max=LIMIT_MAX,
                )
        return offsets

    # --- display --------------------------------------------------------------------------------
    def items(self, lang: str) -> list[str]:
        """Each offset as a facilitator would type it: `24h`, `1h`, `10m` (fr: `10min`, `2j`)."""
        units = _SHOWN_UNITS.get(lang, _SHOWN_UNITS["en"])
        return [f"{value // unit}{units[unit]}" for value in self.minutes for unit in [_unit(value)]]

    def syntax(self, lang: str) -> str:
        """How a facilitator would type these offsets: `24h, 1h, 10m` (fr: `24h, 1h, 10min`)."""
        return ", ".join(self.items(lang))

    def spoken(self) -> tuple[tuple[tuple[int, str], ...], ...]:
        """Each offset as (count, unit) pairs, for the catalog's words: 90 → ((1, "hour"), (30, "minute"))."""
        out = []
        for value in self.minutes:
            days, rest = divmod(value, DAY)
            hours, mins = divmod(rest, HOUR)
            if days and (hours or mins):  # 1 day 6 hours reads worse than 30 hours
                days, hours = 0, hours + days * 24
            pairs = [(n, unit) for n, unit in ((days, "day"), (hours, "hour"), (mins, "minute")) if n]
            out.append(tuple(pairs))
        return tuple(out)


def _unit(value: int) -> int:
    """The unit a value is written in: days from 2 days up, hours when whole, else minutes."""
    if value % DAY == 0 and value >= 2 * DAY:
        return DAY
    return HOUR if value % HOUR == 0 else MINUTE


@dataclass(frozen=True)
class ReminderSyntax:
    """The example shown to facilitators, rendered in the reader's language (see bot/i18n/render.py)."""

    example: ReminderOffsets


DEFAULT = ReminderOffsets((DAY, 15))
SYNTAX = ReminderSyntax(ReminderOffsets((DAY, HOUR, 10)))
LIMIT_MIN = ReminderOffsets((MIN_MINUTES,))
LIMIT_MAX = ReminderOffsets((MAX_MINUTES,))

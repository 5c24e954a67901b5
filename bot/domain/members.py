"""Community roles and the membership report: pure values and rules, no Discord, no database.

A member may hold several community roles at once; the CoP reports a member in each role they hold.
Small counts are suppressed ("<5" by default) so that nobody in a small group can be singled out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.errors import UserError

ROLE_NAME_MAX = 100  # Discord's role-name limit
SELECT_OPTIONS_MAX = 25  # one select menu holds at most 25 options
DEFAULT_MIN_COUNT = 5
REPORT_MONTHS = 12
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")


@dataclass(frozen=True)
class CommunityRole:
    """One community role: a stable key (stored with the Discord role id) and its two labels."""

    key: str
    en: str
    fr: str

    def __post_init__(self) -> None:
        if not _KEY.fullmatch(self.key):
            raise ValueError(f"community role key {self.key!r}: use 1-32 of a-z, 0-9, '-'")
        if not self.en.strip() or not self.fr.strip():
            raise ValueError(f"community role {self.key!r} needs an English and a French label")

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    def role_name(self, language: str) -> str:
        """The Discord role's name in the guild's language setting: `en`, `fr` or `both`."""
        if language in ("en", "fr"):
            name = self.label(language)
        else:
            name = self.en if self.en == self.fr else f"{self.en} / {self.fr}"
        return name[:ROLE_NAME_MAX]


DEFAULT_ROLES: tuple[CommunityRole, ...] = (
    CommunityRole(
        "lived-experience",
        "Lived or living experience of drug use",
        "Expérience vécue ou actuelle de consommation de drogues",
    ),
    CommunityRole("peer-worker", "Peer worker", "Pair aidant ou paire aidante"),
    CommunityRole("nurse", "Nurse", "Personnel infirmier"),
    CommunityRole("nurse-practitioner", "Nurse practitioner", "Pratique infirmière avancée"),
    CommunityRole("physician", "Physician", "Médecin"),
    CommunityRole("pharmacist", "Pharmacist", "Pharmacien ou pharmacienne"),
    CommunityRole("social-worker", "Social worker", "Travail social"),
    CommunityRole(
        "outreach", "Outreach or harm-reduction worker", "Intervention de proximité ou réduction des méfaits"
    ),
    CommunityRole("researcher", "Researcher", "Recherche"),
    CommunityRole("policy", "Policy or government", "Politiques publiques ou gouvernement"),
    CommunityRole("other", "Other", "Autre"),
)


def validate_roles(roles: Sequence[CommunityRole]) -> tuple[CommunityRole, ...]:
    """A usable list: unique keys, and no more than one select menu can offer."""
    keys = [role.key for role in roles]
    if len(set(keys)) != len(keys):
        raise ValueError("community role keys must be unique")
    if not 1 <= len(roles) <= SELECT_OPTIONS_MAX:
        raise ValueError(f"give 1 to {SELECT_OPTIONS_MAX} community roles")
    return tuple(roles)


@dataclass(frozen=True)
class RoleChange:
    """What to do to one member's managed roles: the rest of their roles are not the bot's business."""

    add: frozenset[int]
    remove: frozenset[int]


def role_change(managed: frozenset[int], held: frozenset[int], chosen: frozenset[int]) -> RoleChange:
    """Only roles the bot manages are added or removed; a chosen id it does not manage is refused."""
    if not chosen <= managed:
        raise UserError("members.error.unknown_role")
    return RoleChange(add=chosen - held, remove=(held & managed) - chosen)


# --- the membership report -------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberFacts:
    """What the report needs about one member, from the gateway cache: nothing that names them."""

    role_ids: frozenset[int]
    joined_at: datetime | None


@dataclass(frozen=True)
class Count:
    """A count that knows whether it may be shown: under the threshold it reads "<threshold"."""

    value: int
    threshold: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.value < self.threshold

    @property
    def shown(self) -> int | None:
        """The number to plot, or None when it must not be drawn."""
        return None if self.suppressed else self.value

    def __str__(self) -> str:
        return f"<{self.threshold}" if self.suppressed else str(self.value)


@dataclass(frozen=True)
class MembershipReport:
    total: Count
    by_role: tuple[tuple[CommunityRole, Count], ...]
    no_role: Count
    joins_by_month: tuple[tuple[date, Count], ...]  # first day of each month, oldest first


def last_months(today: date, months: int = REPORT_MONTHS) -> list[date]:
    """The first days of the last `months` months, this one included, oldest first."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return firsts[::-1]


def membership_report(
    members: Iterable[MemberFacts],
    roles: Sequence[tuple[CommunityRole, int | None]],
    today: date,
    threshold: int = DEFAULT_MIN_COUNT,
) -> MembershipReport:
    """Counts per role (a member counts in each role they hold), without a role, and joins per month."""
    months = last_months(today)
    per_role = dict.fromkeys((role.key for role, _ in roles), 0)
    role_of = {role_id: role.key for role, role_id in roles if role_id is not None}
    joins = dict.fromkeys(months, 0)
    total = no_role = 0
    for member in members:
        total += 1
        keys = {role_of[r] for r in member.role_ids if r in role_of}
        for key in keys:
            per_role[key] += 1
        if not keys:
            no_role += 1
        if member.joined_at is not None:
            month = member.joined_at.date().replace(day=1)
            if month in joins:
                joins[month] += 1
    return MembershipReport(
        total=Count(total, threshold),
        by_role=tuple((role, Count(per_role[role.key], threshold)) for role, _ in roles),
        no_role=Count(no_role, threshold),
        joins_by_month=tuple((month, Count(joins[month], threshold)) for month in months),
    )

"""bot/domain/members.py: community roles, role changes limited to managed roles, the report's counts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.members import (
    DEFAULT_ROLES,
    CommunityRole,
    Count,
    MemberFacts,
    last_months,
    membership_report,
    role_change,
    validate_roles,
)
from bot.errors import UserError

NURSE = CommunityRole("nurse", "Nurse", "Personnel infirmier")
PHYSICIAN = CommunityRole("physician", "Physician", "Médecin")
ROLES = [(NURSE, 1), (PHYSICIAN, 2)]
TODAY = date(2026, 12, 1)


def test_the_default_list_is_the_communitys_eleven_roles() -> None:
    assert len(validate_roles(DEFAULT_ROLES)) == 11
    assert DEFAULT_ROLES[0].en == "Lived or living experience of drug use"
    assert DEFAULT_ROLES[-1].key == "other"


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "Nurse"), ("fr", "Personnel infirmier"), ("both", "Nurse / Personnel infirmier")],
)
def test_the_role_name_follows_the_guilds_language(language: str, name: str) -> None:
    assert NURSE.role_name(language) == name


def test_every_default_role_name_fits_discords_limit() -> None:
    assert all(len(role.role_name("both")) <= 100 for role in DEFAULT_ROLES)


@pytest.mark.parametrize("key", ["", "Nurse", "a b", "x" * 33])
def test_a_bad_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError):
        CommunityRole(key, "A", "B")


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        validate_roles([NURSE, NURSE])


def test_a_change_touches_only_managed_roles() -> None:
    change = role_change(frozenset({1, 2}), held=frozenset({2, 99}), chosen=frozenset({1}))
    assert change.add == {1}
    assert change.remove == {2}  # 99 is not the bot's


def test_choosing_a_role_the_bot_does_not_manage_is_refused() -> None:
    with pytest.raises(UserError):
        role_change(frozenset({1}), held=frozenset(), chosen=frozenset({99}))


@pytest.mark.parametrize(("value", "shown"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (120, "120")])
def test_counts_under_the_threshold_are_suppressed(value: int, shown: str) -> None:
    assert str(Count(value, 5)) == shown
    assert (Count(value, 5).shown is None) == (shown == "<5")


def test_a_member_counts_in_each_role_they_hold() -> None:
    members = [MemberFacts(frozenset({1, 2}), None)] * 6 + [MemberFacts(frozenset({1}), None)] * 5
    report = membership_report(members, ROLES, TODAY)
    assert [(r.key, c.value) for r, c in report.by_role] == [("nurse", 11), ("physician", 6)]
    assert report.total.value == 11 and report.no_role.value == 0


def test_members_without_a_community_role_are_counted() -> None:
    members = [MemberFacts(frozenset({99}), None)] * 7 + [MemberFacts(frozenset({1}), None)]
    assert membership_report(members, ROLES, TODAY).no_role.value == 7


def test_a_role_not_created_yet_counts_zero() -> None:
    report = membership_report([MemberFacts(frozenset({1}), None)], [(NURSE, None)], TODAY)
    assert report.by_role[0][1].value == 0 and report.no_role.value == 1


def test_joins_are_counted_per_month_over_the_last_twelve() -> None:
    members = [MemberFacts(frozenset(), datetime(2026, 11, 30, 23, tzinfo=UTC))] * 3
    members += [MemberFacts(frozenset(), datetime(2025, 11, 30, tzinfo=UTC))]  # 13 months ago: out
    report = membership_report(members, ROLES, TODAY)
    months = dict(report.joins_by_month)
    assert len(months) == 12 and months[date(2026, 11, 1)].value == 3
    assert sum(c.value for c in months.values()) == 3


def test_last_months_cross_the_year() -> None:
    assert last_months(date(2026, 2, 14), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]

"""bot/domain/groups.py: names, slugs, directory listing, and the view/post rights each state grants.

The overwrite tests apply `overwrites()` the way Discord does (the @everyone overwrite, then every role
overwrite the person holds together, then their member overwrite) on top of the guild's base
permissions, and assert who may view and post in each visibility, active and archived."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.domain.groups import (
    LEAD_EXTRA,
    NAME_MAX,
    NAME_MIN,
    Group,
    Overwrite,
    Visibility,
    check_name,
    listed_in_directory,
    overwrites,
    slug_for,
)
from bot.errors import UserError

GUILD = 123456789012345678
EVERYONE = GUILD  # Discord: the @everyone role's id is the guild's id
GROUP_ROLE = 411111111111111111
FACILITATOR_ROLE = 422222222222222222
COMMUNITY_ROLE = 433333333333333333  # a role every member holds, with no overwrite in the channel
BOT_USER = 500000000000000001
LEAD = 600000000000000001
SECOND_LEAD = 600000000000000002
BASES = {
    "everyone-may-post": frozenset({"view_channel", "send_messages", "read_message_history"}),
    "read-only-server": frozenset({"view_channel", "read_message_history"}),
}


def effective(
    rules: list[Overwrite], base: frozenset[str], *, user_id: int, role_ids: Iterable[int] = ()
) -> frozenset[str]:
    """Discord's channel permission computation (no administrator involved)."""
    perms = set(base)
    for rule in rules:
        if rule.is_role and rule.target_id == EVERYONE:
            perms = (perms - rule.deny) | rule.allow
    held = set(role_ids)
    role_rules = [r for r in rules if r.is_role and r.target_id != EVERYONE and r.target_id in held]
    deny = frozenset().union(*(r.deny for r in role_rules))
    allow = frozenset().union(*(r.allow for r in role_rules))
    perms = (perms - deny) | allow
    for rule in rules:
        if not rule.is_role and rule.target_id == user_id:
            perms = (perms - rule.deny) | rule.allow
    if "view_channel" not in perms:  # a channel you cannot see grants nothing in it
        return frozenset()
    return frozenset(perms)


def view_post(perms: frozenset[str]) -> tuple[bool, bool]:
    return "view_channel" in perms, "send_messages" in perms


# Who, as (user id, roles held). A "plain member" holds the community role; @everyone holds none.
PEOPLE: dict[str, tuple[int, tuple[int, ...]]] = {
    "everyone": (700000000000000001, ()),
    "plain member": (700000000000000002, (COMMUNITY_ROLE,)),
    "group member": (700000000000000003, (COMMUNITY_ROLE, GROUP_ROLE)),
    "lead": (LEAD, (COMMUNITY_ROLE, GROUP_ROLE)),
    "facilitator": (700000000000000004, (COMMUNITY_ROLE, FACILITATOR_ROLE)),
}
BOTH, READ_ONLY, NOTHING = (True, True), (True, False), (False, False)
INSIDERS = ("group member", "lead", "facilitator")

# The intended matrix: (visibility, archived) -> person -> (view, post).
MATRIX: dict[tuple[Visibility, bool], dict[str, tuple[bool, bool]]] = {
    (Visibility.OPEN, False): {
        "everyone": READ_ONLY,
        "plain member": READ_ONLY,
        **dict.fromkeys(INSIDERS, BOTH),
    },
    (Visibility.OPEN, True): dict.fromkeys(PEOPLE, READ_ONLY),
    **{
        (visibility, False): {"everyone": NOTHING, "plain member": NOTHING, **dict.fromkeys(INSIDERS, BOTH)}
        for visibility in (Visibility.REQUEST, Visibility.PRIVATE)
    },
    **{
        (visibility, True): {
            "everyone": NOTHING,
            "plain member": NOTHING,
            **dict.fromkeys(INSIDERS, READ_ONLY),
        }
        for visibility in (Visibility.REQUEST, Visibility.PRIVATE)
    },
}
CASES = [
    pytest.param(visibility, archived, person, expected, id=f"{visibility}-{state}-{person}")
    for (visibility, archived), row in MATRIX.items()
    for state in ["archived" if archived else "active"]
    for person, expected in row.items()
]


def rules_for(
    visibility: Visibility,
    *,
    archived: bool,
    facilitator_role_id: int | None = FACILITATOR_ROLE,
    lead_ids: frozenset[int] = frozenset({LEAD}),
) -> list[Overwrite]:
    return overwrites(
        visibility,
        archived=archived,
        everyone_role_id=EVERYONE,
        group_role_id=GROUP_ROLE,
        facilitator_role_id=facilitator_role_id,
        bot_user_id=BOT_USER,
        lead_ids=lead_ids,
    )


def group(visibility: Visibility = Visibility.OPEN, *, archived: bool = False) -> Group:
    return Group(
        id=1,
        guild_id=GUILD,
        name="Peer Support",
        slug="wg-peer-support",
        description="",
        visibility=visibility,
        cadence="",
        role_id=GROUP_ROLE,
        channel_id=None,
        charter_message_id=None,
        archived=archived,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Peer Support", "wg-peer-support"),
        ("Équité", "wg-equite"),
        ("  Peer   Support  ", "wg-peer-support"),
        ("PEER SUPPORT", "wg-peer-support"),
        ("Peer-Support", "wg-peer-support"),
        ("Harm Reduction & Policy", "wg-harm-reduction-policy"),
        ("Santé des pairs", "wg-sante-des-pairs"),
        ("Drug checking 2027", "wg-drug-checking-2027"),
        ("People's Voice", "wg-people-s-voice"),
    ],
)
def test_slug_for_lowercases_folds_accents_and_joins_words_with_dashes(name: str, slug: str) -> None:
    assert slug_for(name) == slug


@pytest.mark.parametrize(
    ("name", "slug"), [("Cœur du travail", "wg-coeur-du-travail"), ("Œuvre", "wg-oeuvre")]
)
def test_slug_for_spells_out_french_ligatures(name: str, slug: str) -> None:
    assert slug_for(name) == slug


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("a", id="one-letter"),
        pytest.param("   a   ", id="one-letter-padded"),
        pytest.param("x" * (NAME_MAX + 1), id="too-long"),
        pytest.param("---", id="only-dashes"),
        pytest.param("!!", id="only-punctuation"),
        pytest.param("__", id="only-underscores"),
        pytest.param("🎉🎉", id="emoji-only"),
        pytest.param("🌱 🌱 🌱", id="emoji-words"),
        pytest.param("Peer Support!", id="exclamation-mark"),
        pytest.param("#general", id="channel-mention-like"),
        pytest.param("日本語", id="nothing-for-a-slug"),
    ],
)
def test_check_name_rejects_names_discord_channels_cannot_carry(name: str) -> None:
    with pytest.raises(UserError) as caught:
        check_name(name)

    assert caught.value.key == "groups.error.bad_name"
    assert caught.value.params == {"name": name, "min": NAME_MIN, "max": NAME_MAX}


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("ab", "ab"),
        ("x" * NAME_MAX, "x" * NAME_MAX),
        ("  Peer \t Support ", "Peer Support"),
        ("Équité", "Équité"),
        ("Harm Reduction & Policy", "Harm Reduction & Policy"),
    ],
)
def test_check_name_accepts_and_collapses_whitespace(name: str, cleaned: str) -> None:
    assert check_name(name) == cleaned


def test_slug_for_rejects_a_bad_name_too() -> None:
    with pytest.raises(UserError) as caught:
        slug_for("🎉")

    assert caught.value.key == "groups.error.bad_name"


# --- overwrites ---------------------------------------------------------------------------------


@pytest.mark.parametrize("base", list(BASES.values()), ids=list(BASES))
@pytest.mark.parametrize(("visibility", "archived", "person", "expected"), CASES)
def test_overwrites_give_each_person_the_intended_view_and_post_rights(
    visibility: Visibility, archived: bool, person: str, expected: tuple[bool, bool], base: frozenset[str]
) -> None:
    user_id, roles = PEOPLE[person]

    perms = effective(rules_for(visibility, archived=archived), base, user_id=user_id, role_ids=roles)

    assert view_post(perms) == expected


@pytest.mark.parametrize("base", list(BASES.values()), ids=list(BASES))
@pytest.mark.parametrize("archived", [False, True], ids=["active", "archived"])
@pytest.mark.parametrize("visibility", list(Visibility))
def test_overwrites_let_readers_read_the_history(
    visibility: Visibility, archived: bool, base: frozenset[str]
) -> None:
    rules = rules_for(visibility, archived=archived)

    for user_id, roles in PEOPLE.values():
        perms = effective(rules, base, user_id=user_id, role_ids=roles)
        assert ("view_channel" in perms) == ("read_message_history" in perms)


@pytest.mark.parametrize("archived", [False, True], ids=["active", "archived"])
@pytest.mark.parametrize("visibility", list(Visibility))
def test_the_bot_always_keeps_view_send_and_pin(visibility: Visibility, archived: bool) -> None:
    # The bot's own role grants nothing beyond @everyone here: its member overwrite must carry it.
    perms = effective(rules_for(visibility, archived=archived), frozenset(), user_id=BOT_USER)

    assert {"view_channel", "send_messages", "read_message_history", "pin_messages"} <= perms


@pytest.mark.parametrize(
    ("archived", "expected"), [(False, LEAD_EXTRA), (True, frozenset())], ids=["active", "archived"]
)
@pytest.mark.parametrize("visibility", list(Visibility))
def test_leads_moderate_only_while_the_group_is_active(
    visibility: Visibility, archived: bool, expected: frozenset[str]
) -> None:
    lead, roles = PEOPLE["lead"]
    member, member_roles = PEOPLE["group member"]
    rules = rules_for(visibility, archived=archived)

    assert effective(rules, BASES["everyone-may-post"], user_id=lead, role_ids=roles) & LEAD_EXTRA == expected
    assert (
        not effective(rules, BASES["everyone-may-post"], user_id=member, role_ids=member_roles) & LEAD_EXTRA
    )


@pytest.mark.parametrize("archived", [False, True], ids=["active", "archived"])
def test_each_lead_gets_their_own_member_overwrite(archived: bool) -> None:
    rules = rules_for(Visibility.PRIVATE, archived=archived, lead_ids=frozenset({SECOND_LEAD, LEAD}))

    member_targets = [r.target_id for r in rules if not r.is_role]

    assert member_targets == [LEAD, SECOND_LEAD, BOT_USER]


@pytest.mark.parametrize("visibility", [Visibility.REQUEST, Visibility.PRIVATE])
def test_a_lead_without_the_group_role_still_sees_and_posts(visibility: Visibility) -> None:
    perms = effective(rules_for(visibility, archived=False), BASES["everyone-may-post"], user_id=LEAD)

    assert view_post(perms) == BOTH


@pytest.mark.parametrize("visibility", [Visibility.REQUEST, Visibility.PRIVATE])
def test_without_a_facilitator_role_no_facilitator_overwrite_is_made(visibility: Visibility) -> None:
    rules = rules_for(visibility, archived=False, facilitator_role_id=None)
    user_id, roles = PEOPLE["facilitator"]

    assert [r.target_id for r in rules if r.is_role] == [EVERYONE, GROUP_ROLE]
    assert view_post(effective(rules, BASES["everyone-may-post"], user_id=user_id, role_ids=roles)) == NOTHING


def test_overwrites_never_allow_and_deny_the_same_permission() -> None:
    for visibility in Visibility:
        for archived in (False, True):
            for rule in rules_for(visibility, archived=archived):
                assert not rule.allow & rule.deny, (visibility, archived, rule)


# --- directory ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "archived", "listed"),
    [
        (Visibility.OPEN, False, True),
        (Visibility.REQUEST, False, True),
        (Visibility.PRIVATE, False, False),
        (Visibility.OPEN, True, False),
        (Visibility.REQUEST, True, False),
        (Visibility.PRIVATE, True, False),
    ],
)
def test_listed_in_directory_only_active_groups_that_are_not_private(
    visibility: Visibility, archived: bool, listed: bool
) -> None:
    assert listed_in_directory(replace(group(visibility), archived=archived)) is listed

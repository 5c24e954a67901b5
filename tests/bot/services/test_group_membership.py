"""GroupMembership: join, join requests and their decisions, leave, member lists, leads."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import timedelta

import pytest

from bot.domain.groups import LEAD_EXTRA, Group, Membership, Visibility
from bot.errors import UserError
from bot.services.group_access import Actor
from bot.services.group_membership import MemberList
from bot.services.ports import DeliveryError
from tests.bot.services import groups_fakes
from tests.bot.services.groups_fakes import (
    ALEX,
    AS_FACILITATOR,
    AS_LEAD,
    EVERYTHING,
    GUILD,
    LEAD,
    RILEY,
    SAM,
    GroupHarness,
    expected_overwrites,
    text_of,
)

AS_ALEX = Actor(ALEX, facilitator=False)
AS_SAM = Actor(SAM, facilitator=False)

# On SQLite, copy one migrated file per test instead of migrating each time (PostgreSQL as before).
engine = groups_fakes.engine_from_template
migrated_sqlite = groups_fakes.migrated_sqlite
wg = groups_fakes.wg


async def error_of(awaitable: Awaitable[object]) -> UserError:
    with pytest.raises(UserError) as caught:
        await awaitable
    return caught.value


# --- joining an open group ----------------------------------------------------------------------


async def test_joining_an_open_group_makes_a_member_at_once(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.OPEN)

    assert await wg.membership.join(GUILD, "peer support", ALEX) == "joined"
    assert Membership(ALEX, lead=False) in await wg.members(group)


async def test_joining_an_open_group_gives_the_group_role(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.OPEN)

    await wg.membership.join(GUILD, "Peer Support", ALEX)

    assert wg.admin.roles_of(ALEX) == {group.role_id}


async def test_joining_twice_says_already_and_changes_nothing(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.OPEN)
    await wg.membership.join(GUILD, "Peer Support", ALEX)

    assert await wg.membership.join(GUILD, "Peer Support", ALEX) == "already"
    assert wg.admin.count("add_role") == 2  # the lead's, then Alex's once
    assert len(await wg.members(group)) == 2


async def test_joining_an_unknown_group_is_refused(wg: GroupHarness) -> None:
    error = await error_of(wg.membership.join(GUILD, "Nowhere", ALEX))

    assert (error.key, error.params) == ("groups.error.unknown", {"name": "Nowhere"})


async def test_joining_an_archived_group_is_refused(wg: GroupHarness) -> None:
    await wg.create()
    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    error = await error_of(wg.membership.join(GUILD, "Peer Support", ALEX))

    assert error.key == "groups.error.archived"
    assert wg.admin.roles_of(ALEX) == set()


# --- join requests ------------------------------------------------------------------------------


async def test_joining_a_request_group_asks_the_leads_instead_of_joining(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.REQUEST)

    assert await wg.membership.join(GUILD, "Peer Support", ALEX) == "requested"
    assert await wg.members(group) == [Membership(LEAD, lead=True)]
    assert wg.admin.roles_of(ALEX) == set()


async def test_a_join_request_posts_approve_and_deny_buttons_in_the_group_channel(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.REQUEST)

    request_id = await wg.request_to_join(user_id=ALEX)

    (card,) = [m for m in wg.desk.in_channel(group.channel_id or 0) if m.card.actions]
    assert [(a.kind, a.target_id, a.style) for a in card.card.actions] == [
        ("wg-approve", request_id, "success"),
        ("wg-deny", request_id, "danger"),
    ]
    assert "Alex asks to join." in text_of(card.card)
    request = await wg.request(request_id)
    assert request is not None
    assert (request.group_id, request.user_id, request.status) == (group.id, ALEX, "pending")


async def test_asking_again_while_a_request_is_pending_does_not_post_a_second_card(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.REQUEST)
    await wg.membership.join(GUILD, "Peer Support", ALEX)

    assert await wg.membership.join(GUILD, "Peer Support", ALEX) == "requested"
    assert len([m for m in wg.desk.in_channel(group.channel_id or 0) if m.card.actions]) == 1


async def test_an_outsider_cannot_learn_a_private_group_exists_by_joining(wg: GroupHarness) -> None:
    group = await wg.create("Secret Circle", Visibility.PRIVATE)

    error = await error_of(wg.membership.join(GUILD, "Secret Circle", ALEX))

    assert error.key == "groups.error.unknown"
    assert [m.id for m in wg.desk.in_channel(group.channel_id or 0)] == [group.charter_message_id]


@pytest.mark.parametrize("command", ["leave", "edit", "announce"])
async def test_other_commands_do_not_confirm_a_private_group_to_outsiders(
    wg: GroupHarness, command: str
) -> None:
    await wg.create("Secret Circle", Visibility.PRIVATE)
    calls = {
        "leave": lambda: wg.membership.leave(GUILD, "secret circle", ALEX),
        "edit": lambda: wg.leads.edit(GUILD, "secret circle", AS_ALEX, "x", None),
        "announce": lambda: wg.leads.announce(GUILD, "secret circle", AS_ALEX, "hello", ping=False),
    }

    error = await error_of(calls[command]())

    assert (error.key, error.params) == ("groups.error.unknown", {"name": "secret circle"})


# --- deciding requests --------------------------------------------------------------------------


@pytest.mark.parametrize("decider", [AS_LEAD, AS_FACILITATOR], ids=["lead", "facilitator"])
async def test_approving_makes_the_requester_a_member_with_the_role(wg: GroupHarness, decider: Actor) -> None:
    group = await wg.create(visibility=Visibility.REQUEST)
    request_id = await wg.request_to_join(user_id=ALEX)

    decided, name = await wg.membership.decide(request_id, decider, approve=True)

    assert (decided.id, name) == (group.id, "Alex")
    assert Membership(ALEX, lead=False) in await wg.members(group)
    assert wg.admin.roles_of(ALEX) == {group.role_id}


async def test_approving_tells_the_requester_by_dm(wg: GroupHarness) -> None:
    await wg.create(visibility=Visibility.REQUEST)
    request_id = await wg.request_to_join(user_id=ALEX)

    await wg.membership.decide(request_id, AS_LEAD, approve=True)

    (dm,) = wg.desk.dms
    assert dm.user_id == ALEX
    assert "You joined the working group **Peer Support**" in text_of(dm.card)


async def test_denying_adds_nobody_and_tells_the_requester_by_dm(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.REQUEST)
    request_id = await wg.request_to_join(user_id=ALEX)

    await wg.membership.decide(request_id, AS_LEAD, approve=False)

    assert await wg.members(group) == [Membership(LEAD, lead=True)]
    assert wg.admin.roles_of(ALEX) == set()
    (dm,) = wg.desk.dms
    assert (dm.user_id, "was declined by its leads" in text_of(dm.card)) == (ALEX, True)
    request = await wg.request(request_id)
    assert request is not None and request.status == "denied"


@pytest.mark.parametrize(
    "who",
    [AS_SAM, Actor(RILEY, facilitator=False)],
    ids=["outsider", "plain-member-of-the-group"],
)
async def test_only_a_lead_or_facilitator_may_decide(wg: GroupHarness, who: Actor) -> None:
    group = await wg.create(visibility=Visibility.REQUEST)
    await wg.enroll(group, RILEY)
    request_id = await wg.request_to_join(user_id=ALEX)

    error = await error_of(wg.membership.decide(request_id, who, approve=True))

    assert (error.key, error.params) == ("groups.error.lead_only", {"name": "Peer Support"})
    request = await wg.request(request_id)
    assert request is not None and request.status == "pending"
    assert ALEX not in {m.user_id for m in await wg.members(group)}


async def test_a_lead_of_another_group_may_not_decide(wg: GroupHarness) -> None:
    await wg.create("Peer Support", Visibility.REQUEST)
    await wg.create("Drug Checking", Visibility.REQUEST, lead=SAM)
    request_id = await wg.request_to_join("Peer Support", ALEX)

    error = await error_of(wg.membership.decide(request_id, AS_SAM, approve=True))

    assert error.key == "groups.error.lead_only"


@pytest.mark.parametrize(("first", "second"), [(True, False), (False, True), (True, True)])
async def test_deciding_twice_is_refused(wg: GroupHarness, first: bool, second: bool) -> None:
    await wg.create(visibility=Visibility.REQUEST)
    request_id = await wg.request_to_join(user_id=ALEX)
    await wg.membership.decide(request_id, AS_LEAD, approve=first)

    error = await error_of(wg.membership.decide(request_id, AS_FACILITATOR, approve=second))

    assert error.key == "groups.error.already_decided"
    assert len(wg.desk.dms) == 1


async def test_deciding_an_unknown_request_is_refused(wg: GroupHarness) -> None:
    error = await error_of(wg.membership.decide(424242, AS_FACILITATOR, approve=True))

    assert error.key == "groups.error.unknown_request"


async def test_a_failed_dm_does_not_fail_the_decision(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.REQUEST)
    request_id = await wg.request_to_join(user_id=ALEX)
    wg.desk.fail["dm"] = 1

    await wg.membership.decide(request_id, AS_LEAD, approve=True)

    assert Membership(ALEX, lead=False) in await wg.members(group)
    assert wg.admin.roles_of(ALEX) == {group.role_id}
    assert [dm.delivered for dm in wg.desk.dms] == [False]


async def test_a_new_request_is_possible_after_a_denial(wg: GroupHarness) -> None:
    await wg.create(visibility=Visibility.REQUEST)
    first = await wg.request_to_join(user_id=ALEX)
    await wg.membership.decide(first, AS_LEAD, approve=False)

    second = await wg.request_to_join(user_id=ALEX)

    assert second != first


# --- leaving ------------------------------------------------------------------------------------


async def test_leaving_removes_the_membership_and_the_role(wg: GroupHarness) -> None:
    group = await wg.create()
    await wg.membership.join(GUILD, "Peer Support", ALEX)

    await wg.membership.leave(GUILD, "Peer Support", ALEX)

    assert ALEX not in {m.user_id for m in await wg.members(group)}
    assert wg.admin.roles_of(ALEX) == set()


async def test_leaving_a_group_you_are_not_in_is_refused(wg: GroupHarness) -> None:
    await wg.create()

    error = await error_of(wg.membership.leave(GUILD, "Peer Support", ALEX))

    assert (error.key, error.params) == ("groups.error.not_member", {"name": "Peer Support"})
    assert wg.admin.count("remove_role") == 0


async def test_a_lead_who_leaves_loses_their_overwrite(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.PRIVATE)
    await wg.membership.set_lead(GUILD, "Peer Support", SAM, AS_LEAD, lead=True)

    await wg.membership.leave(GUILD, "Peer Support", LEAD)

    assert wg.member_overwrite(group, LEAD) is None
    assert wg.member_overwrite(group, SAM) is not None


async def test_a_departing_lead_is_denied_the_channel_before_losing_the_role(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.PRIVATE)
    assert group.channel_id is not None
    wg.admin.calls.clear()

    await wg.membership.leave(GUILD, "Peer Support", LEAD)

    kinds = [kind for kind, _ in wg.admin.calls]
    assert kinds.index("update_channel") < kinds.index("remove_role")


async def test_a_lead_whose_role_removal_fails_is_left_without_access(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.PRIVATE)
    wg.admin.fail["remove_role"] = 1

    with pytest.raises(DeliveryError):
        await wg.membership.leave(GUILD, "Peer Support", LEAD)

    overwrite = wg.member_overwrite(group, LEAD)
    assert overwrite is not None and "view_channel" in overwrite.deny and not overwrite.allow


async def test_overwrites_never_carry_a_permission_the_bot_does_not_hold(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.PRIVATE)
    wg.admin.bot_permissions = EVERYTHING - {"pin_messages"}

    await wg.membership.set_lead(GUILD, "Peer Support", SAM, AS_LEAD, lead=True)

    assert all("pin_messages" not in o.allow | o.deny for o in wg.channel(group).overwrites)


# --- member lists -------------------------------------------------------------------------------


async def with_members(wg: GroupHarness, visibility: Visibility = Visibility.OPEN) -> Group:
    """Lee leads; Alex and Sam are members."""
    group = await wg.create(visibility=visibility)
    await wg.enroll(group, ALEX, SAM)
    return group


@pytest.mark.parametrize("viewer", [AS_LEAD, AS_FACILITATOR], ids=["lead", "facilitator"])
@pytest.mark.parametrize("visibility", list(Visibility))
async def test_leads_and_facilitators_see_the_members_names(
    wg: GroupHarness, viewer: Actor, visibility: Visibility
) -> None:
    await with_members(wg, visibility)

    listed = await wg.membership.members(GUILD, "Peer Support", viewer)

    assert listed == MemberList(names=("Lee", "Alex", "Sam"), count=3, leads=("Lee",))


@pytest.mark.parametrize(
    ("visibility", "viewer"),
    [
        (Visibility.OPEN, AS_ALEX),
        (Visibility.OPEN, Actor(RILEY, facilitator=False)),
        (Visibility.REQUEST, Actor(RILEY, facilitator=False)),
        (Visibility.PRIVATE, AS_ALEX),
    ],
    ids=["open-member", "open-outsider", "request-outsider", "private-member"],
)
async def test_others_see_only_a_count_and_the_leads(
    wg: GroupHarness, visibility: Visibility, viewer: Actor
) -> None:
    await with_members(wg, visibility)

    listed = await wg.membership.members(GUILD, "Peer Support", viewer)

    assert listed == MemberList(names=None, count=3, leads=("Lee",))


async def test_a_private_group_is_unknown_to_outsiders(wg: GroupHarness) -> None:
    await with_members(wg, Visibility.PRIVATE)

    error = await error_of(wg.membership.members(GUILD, "Peer Support", Actor(RILEY, facilitator=False)))

    assert (error.key, error.params) == ("groups.error.unknown", {"name": "Peer Support"})


# --- leads --------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [AS_LEAD, AS_FACILITATOR], ids=["lead", "facilitator"])
async def test_adding_a_lead_gives_them_a_lead_overwrite(wg: GroupHarness, actor: Actor) -> None:
    group = await wg.create(visibility=Visibility.REQUEST)
    assert wg.member_overwrite(group, SAM) is None

    await wg.membership.set_lead(GUILD, "Peer Support", SAM, actor, lead=True)

    overwrite = wg.member_overwrite(group, SAM)
    assert overwrite is not None and overwrite.allow >= LEAD_EXTRA
    assert wg.channel(group).overwrites == expected_overwrites(group, lead_ids=frozenset({LEAD, SAM}))


async def test_adding_a_lead_makes_them_a_member_with_the_role(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.REQUEST)

    await wg.membership.set_lead(GUILD, "Peer Support", SAM, AS_LEAD, lead=True)

    assert Membership(SAM, lead=True) in await wg.members(group)
    assert wg.admin.roles_of(SAM) == {group.role_id}


async def test_adding_a_lead_updates_the_charter(wg: GroupHarness) -> None:
    group = await wg.create()
    wg.clock.advance(timedelta(minutes=1))

    await wg.membership.set_lead(GUILD, "Peer Support", SAM, AS_LEAD, lead=True)

    assert "**Leads:** Lee, Sam" in text_of(wg.charter(group).current)


async def test_removing_a_lead_removes_their_overwrite_but_keeps_them_a_member(wg: GroupHarness) -> None:
    group = await wg.create(visibility=Visibility.PRIVATE)
    await wg.membership.set_lead(GUILD, "Peer Support", SAM, AS_LEAD, lead=True)

    await wg.membership.set_lead(GUILD, "Peer Support", SAM, AS_LEAD, lead=False)

    assert wg.member_overwrite(group, SAM) is None
    assert Membership(SAM, lead=False) in await wg.members(group)
    assert wg.admin.roles_of(SAM) == {group.role_id}


async def test_removing_a_lead_who_is_not_a_member_is_refused(wg: GroupHarness) -> None:
    await wg.create()

    error = await error_of(wg.membership.set_lead(GUILD, "Peer Support", SAM, AS_LEAD, lead=False))

    assert error.key == "groups.error.not_member"


@pytest.mark.parametrize("lead", [True, False], ids=["add", "remove"])
async def test_only_leads_and_facilitators_may_change_leads(wg: GroupHarness, lead: bool) -> None:
    group = await wg.create()
    await wg.membership.join(GUILD, "Peer Support", ALEX)

    error = await error_of(wg.membership.set_lead(GUILD, "Peer Support", ALEX, AS_ALEX, lead=lead))

    assert error.key == "groups.error.lead_only"
    assert Membership(ALEX, lead=False) in await wg.members(group)

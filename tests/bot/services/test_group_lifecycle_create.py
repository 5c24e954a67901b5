"""GroupLifecycle.create: role, channel, overwrites, charter, categories, and the refusals."""

from __future__ import annotations

import pytest

from bot.domain.groups import CATEGORY_CHANNEL_LIMIT, Membership, Visibility
from bot.domain.refs import PermissionNames
from bot.errors import UserError
from db.repositories.groups import GroupRepository
from tests.bot.services import groups_fakes
from tests.bot.services.groups_fakes import (
    ALEX,
    DESCRIPTION,
    EVERYTHING,
    GUILD,
    LEAD,
    OTHER_GUILD,
    GroupHarness,
    expected_overwrites,
    text_of,
)

# On SQLite, copy one migrated file per test instead of migrating each time (PostgreSQL as before).
engine = groups_fakes.engine_from_template
migrated_sqlite = groups_fakes.migrated_sqlite
wg = groups_fakes.wg


async def group_count(wg: GroupHarness) -> int:
    async with wg.sessions() as session:
        return len(await GroupRepository(session).all(GUILD))


# --- what create makes --------------------------------------------------------------------------


async def test_create_makes_exactly_one_role_named_after_the_group(wg: GroupHarness) -> None:
    group = await wg.create("Peer Support")

    assert wg.admin.roles == {group.role_id: (GUILD, "WG · Peer Support")}


async def test_create_makes_one_channel_named_by_slug_in_the_working_groups_category(
    wg: GroupHarness,
) -> None:
    group = await wg.create("Peer Support")

    assert list(wg.admin.channels) == [group.channel_id]
    assert wg.channel(group).name == "wg-peer-support"
    assert wg.admin.category_name_of(wg.channel(group).id) == "Working groups"


async def test_create_uses_the_description_as_the_channel_topic(wg: GroupHarness) -> None:
    group = await wg.create(description=DESCRIPTION)

    assert wg.channel(group).topic == DESCRIPTION


@pytest.mark.parametrize("visibility", list(Visibility))
async def test_create_sets_the_domain_overwrites_for_the_visibility(
    wg: GroupHarness, visibility: Visibility
) -> None:
    group = await wg.create(visibility=visibility)

    assert wg.channel(group).overwrites == expected_overwrites(group, lead_ids=frozenset({LEAD}))


async def test_create_records_the_lead_as_a_member_and_a_lead(wg: GroupHarness) -> None:
    group = await wg.create(lead=LEAD)

    assert await wg.members(group) == [Membership(LEAD, lead=True)]


async def test_create_gives_the_lead_the_group_role(wg: GroupHarness) -> None:
    group = await wg.create(lead=LEAD)

    assert wg.admin.roles_of(LEAD) == {group.role_id}


async def test_create_posts_the_charter_in_the_group_channel_and_pins_it(wg: GroupHarness) -> None:
    group = await wg.create()

    charter = wg.charter(group)
    assert charter.channel_id == group.channel_id
    assert wg.channel(group).pins == [charter.id]


@pytest.mark.parametrize(
    ("visibility", "how_to_join"),
    [
        (Visibility.OPEN, "/wg join Peer Support, or choose it in the directory"),
        (Visibility.REQUEST, "a lead approves each request"),
        (Visibility.PRIVATE, "by invitation from a lead"),
    ],
)
async def test_the_charter_states_purpose_leads_how_to_join_and_cadence(
    wg: GroupHarness, visibility: Visibility, how_to_join: str
) -> None:
    group = await wg.create(visibility=visibility)

    said = text_of(wg.charter(group).card)
    for expected in (
        "Peer Support: charter",
        DESCRIPTION,
        "**Leads:** Lee",
        how_to_join,
        "**Meets:** to be decided",
    ):
        assert expected in said


async def test_the_charter_is_in_both_languages_by_default(wg: GroupHarness) -> None:
    group = await wg.create()

    titles = [embed.title for embed in wg.charter(group).card.embeds]
    assert titles == ["Peer Support: charter", "Peer Support\u00a0: charte"]


async def test_create_returns_the_group_with_its_discord_ids(wg: GroupHarness) -> None:
    group = await wg.create("  Peer   Support ", Visibility.REQUEST)

    assert (group.name, group.slug, group.visibility, group.archived) == (
        "Peer Support",
        "wg-peer-support",
        Visibility.REQUEST,
        False,
    )
    assert group.role_id in wg.admin.roles
    assert group.channel_id in wg.admin.channels
    assert group.charter_message_id in wg.desk.messages


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "again", ["Peer Support", "peer support", "  PEER   SUPPORT ", "Peer-Support", "peer & support"]
)
async def test_create_refuses_a_name_with_the_same_slug(wg: GroupHarness, again: str) -> None:
    await wg.create("Peer Support")

    with pytest.raises(UserError) as caught:
        await wg.create(again, lead=ALEX)

    assert (caught.value.key, caught.value.params) == ("groups.error.duplicate", {"name": again})


async def test_a_refused_duplicate_creates_nothing(wg: GroupHarness) -> None:
    await wg.create("Peer Support")

    with pytest.raises(UserError):
        await wg.create("peer support", lead=ALEX)

    assert (len(wg.admin.roles), len(wg.admin.channels), await group_count(wg)) == (1, 1, 1)
    assert wg.admin.roles_of(ALEX) == set()


async def test_the_same_name_is_free_in_another_guild(wg: GroupHarness) -> None:
    await wg.setup_guild(OTHER_GUILD)
    await wg.create("Peer Support")

    group = await wg.create("Peer Support", guild_id=OTHER_GUILD)

    assert group.guild_id == OTHER_GUILD


@pytest.mark.parametrize("name", ["x", "🎉🎉", "!!", "y" * 41])
async def test_create_refuses_a_bad_name_and_creates_nothing(wg: GroupHarness, name: str) -> None:
    with pytest.raises(UserError) as caught:
        await wg.create(name)

    assert caught.value.key == "groups.error.bad_name"
    assert (wg.admin.calls, await group_count(wg)) == ([], 0)


async def test_create_refuses_a_description_over_500_characters(wg: GroupHarness) -> None:
    with pytest.raises(UserError) as caught:
        await wg.create(description="d" * 501)

    assert (caught.value.key, caught.value.params) == ("groups.error.too_long", {"count": 501, "limit": 500})
    assert await group_count(wg) == 0


@pytest.mark.parametrize(
    "missing",
    [("manage_roles",), ("manage_channels",), ("manage_roles", "manage_channels")],
    ids=["roles", "channels", "both"],
)
async def test_create_names_the_permissions_the_bot_lacks(wg: GroupHarness, missing: tuple[str, ...]) -> None:
    wg.admin.bot_permissions = EVERYTHING - set(missing)

    with pytest.raises(UserError) as caught:
        await wg.create()

    assert (caught.value.key, caught.value.params) == (
        "groups.error.bot_missing",
        {"permissions": PermissionNames(missing)},
    )


async def test_a_bot_lacking_permissions_creates_nothing(wg: GroupHarness) -> None:
    wg.admin.bot_permissions = EVERYTHING - {"manage_channels"}

    with pytest.raises(UserError):
        await wg.create()

    assert (wg.admin.calls, wg.admin.roles, wg.admin.channels, wg.desk.messages) == ([], {}, {}, {})
    assert await group_count(wg) == 0


# --- categories ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("already", "category"),
    [(CATEGORY_CHANNEL_LIMIT - 1, "Working groups"), (CATEGORY_CHANNEL_LIMIT, "Working groups 2")],
    ids=["50th-fits", "51st-overflows"],
)
async def test_a_full_category_sends_the_next_group_to_a_further_one(
    wg: GroupHarness, already: int, category: str
) -> None:
    wg.admin.fill(GUILD, "Working groups", already)

    group = await wg.create()

    assert wg.admin.category_name_of(wg.channel(group).id) == category


async def test_the_51st_group_created_through_the_service_goes_to_working_groups_2(wg: GroupHarness) -> None:
    wg.admin.fill(GUILD, "Working groups", CATEGORY_CHANNEL_LIMIT - 1)
    fiftieth = await wg.create("Group Fifty")

    fifty_first = await wg.create("Group Fifty One")

    assert wg.admin.category_name_of(wg.channel(fiftieth).id) == "Working groups"
    assert wg.admin.category_name_of(wg.channel(fifty_first).id) == "Working groups 2"


# --- Discord refusing part of it ----------------------------------------------------------------


@pytest.mark.parametrize("step", ["create_role", "create_text_channel", "add_role", "pin"])
async def test_discord_refusing_a_step_reports_discord_refused(wg: GroupHarness, step: str) -> None:
    wg.admin.fail[step] = 1

    with pytest.raises(UserError) as caught:
        await wg.create("Peer Support")

    assert (caught.value.key, caught.value.params) == (
        "groups.error.discord_refused",
        {"name": "Peer Support"},
    )


async def test_a_group_whose_creation_failed_is_not_in_the_directory(wg: GroupHarness) -> None:
    wg.admin.fail["create_text_channel"] = 1

    with pytest.raises(UserError):
        await wg.create("Peer Support")

    assert wg.desk.directories() == []
    assert await group_count(wg) == 0


async def test_create_can_be_retried_once_discord_stops_refusing(wg: GroupHarness) -> None:
    wg.admin.fail["create_text_channel"] = 1
    with pytest.raises(UserError):
        await wg.create("Peer Support")

    group = await wg.create("Peer Support")

    assert group.channel_id in wg.admin.channels
    assert not group.archived


@pytest.mark.parametrize("step", ["create_text_channel", "pin"])
async def test_a_retried_create_leaves_one_role_and_one_channel(wg: GroupHarness, step: str) -> None:
    wg.admin.fail[step] = 1
    with pytest.raises(UserError):
        await wg.create("Peer Support")

    await wg.create("Peer Support")

    assert [name for _, name in wg.admin.roles.values()] == ["WG · Peer Support"]
    assert [c.name for c in wg.admin.channels.values()] == ["wg-peer-support"]


async def test_a_refused_cleanup_still_frees_the_name_and_says_discord_refused(wg: GroupHarness) -> None:
    wg.admin.fail["pin"] = 1
    wg.admin.fail["discard_channel"] = 1
    with pytest.raises(UserError) as caught:
        await wg.create("Peer Support")

    assert caught.value.key == "groups.error.discord_refused"
    assert (await wg.create("Peer Support")).name == "Peer Support"

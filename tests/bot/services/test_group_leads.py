"""GroupLeads.edit and .announce: what leads do in their own group."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.groups import ANNOUNCE_MAX, CADENCE_MAX, DESCRIPTION_MAX
from bot.errors import UserError
from bot.services.group_access import Actor
from bot.services.ports import Card
from tests.bot.services import groups_fakes
from tests.bot.services.groups_fakes import (
    ALEX,
    AS_FACILITATOR,
    AS_LEAD,
    DESCRIPTION,
    GUILD,
    GroupHarness,
    text_of,
)

AS_ALEX = Actor(ALEX, facilitator=False)
NEW_DESCRIPTION = "Guidance on peer support for drug checking services."

# On SQLite, copy one migrated file per test instead of migrating each time (PostgreSQL as before).
engine = groups_fakes.engine_from_template
migrated_sqlite = groups_fakes.migrated_sqlite


@pytest.fixture
async def wg(sessions: async_sessionmaker[AsyncSession]) -> GroupHarness:
    harness = GroupHarness(sessions)
    await harness.setup_guild()
    await harness.create("Peer Support")
    await harness.enroll(await harness.access.find(GUILD, "Peer Support"), ALEX)
    return harness


def posts_after(wg: GroupHarness, before: int) -> list[Card]:
    return [m.card for m in wg.desk.posts[before:]]


# --- edit ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [AS_LEAD, AS_FACILITATOR], ids=["lead", "facilitator"])
async def test_edit_saves_the_description_and_cadence(wg: GroupHarness, actor: Actor) -> None:
    edited = await wg.leads.edit(GUILD, "Peer Support", actor, NEW_DESCRIPTION, "Every other Tuesday")

    assert (edited.description, edited.cadence) == (NEW_DESCRIPTION, "Every other Tuesday")


async def test_edit_updates_the_charter(wg: GroupHarness) -> None:
    group = await wg.leads.edit(GUILD, "Peer Support", AS_LEAD, NEW_DESCRIPTION, "Every other Tuesday")

    said = text_of(wg.charter(group).current)
    assert NEW_DESCRIPTION in said
    assert "**Meets:** Every other Tuesday" in said
    assert DESCRIPTION not in said


async def test_edit_updates_the_directory_entry(wg: GroupHarness) -> None:
    await wg.leads.edit(GUILD, "Peer Support", AS_LEAD, NEW_DESCRIPTION, None)

    said = text_of(wg.directory_card())
    assert NEW_DESCRIPTION in said
    assert DESCRIPTION not in said
    assert len(wg.desk.directories()) == 1


async def test_edit_updates_the_channel_topic(wg: GroupHarness) -> None:
    group = await wg.leads.edit(GUILD, "Peer Support", AS_LEAD, NEW_DESCRIPTION, None)

    assert wg.channel(group).topic == NEW_DESCRIPTION


async def test_edit_of_the_cadence_alone_keeps_the_description(wg: GroupHarness) -> None:
    group = await wg.leads.edit(GUILD, "Peer Support", AS_LEAD, None, "Mondays 14:00 ET")

    assert (group.description, group.cadence) == (DESCRIPTION, "Mondays 14:00 ET")
    assert wg.channel(group).topic == DESCRIPTION


async def test_edit_by_a_plain_member_is_refused(wg: GroupHarness) -> None:
    with pytest.raises(UserError) as caught:
        await wg.leads.edit(GUILD, "Peer Support", AS_ALEX, NEW_DESCRIPTION, None)

    assert (caught.value.key, caught.value.params) == ("groups.error.lead_only", {"name": "Peer Support"})
    assert (await wg.access.find(GUILD, "Peer Support")).description == DESCRIPTION


@pytest.mark.parametrize(
    ("description", "cadence", "count", "limit"),
    [
        ("d" * (DESCRIPTION_MAX + 1), None, DESCRIPTION_MAX + 1, DESCRIPTION_MAX),
        (None, "c" * 101, 101, CADENCE_MAX),
    ],
    ids=["description", "cadence"],
)
async def test_edit_refuses_text_over_the_limit(
    wg: GroupHarness, description: str | None, cadence: str | None, count: int, limit: int
) -> None:
    with pytest.raises(UserError) as caught:
        await wg.leads.edit(GUILD, "Peer Support", AS_LEAD, description, cadence)

    assert (caught.value.key, caught.value.params) == (
        "groups.error.too_long",
        {"count": count, "limit": limit},
    )


# --- announce -----------------------------------------------------------------------------------


async def test_an_announcement_with_ping_mentions_the_group_role(wg: GroupHarness) -> None:
    group = await wg.access.find(GUILD, "Peer Support")
    before = len(wg.desk.posts)

    await wg.leads.announce(GUILD, "Peer Support", AS_LEAD, "Meeting moved to Friday.", ping=True)

    (card,) = posts_after(wg, before)
    assert (card.ping_role_id, card.content) == (group.role_id, f"<@&{group.role_id}>")


async def test_an_announcement_without_ping_pings_nobody(wg: GroupHarness) -> None:
    before = len(wg.desk.posts)

    await wg.leads.announce(GUILD, "Peer Support", AS_LEAD, "Meeting moved to Friday.", ping=False)

    (card,) = posts_after(wg, before)
    assert (card.ping_role_id, card.content) == (None, "")


async def test_an_announcement_is_posted_in_the_group_channel_with_its_author(wg: GroupHarness) -> None:
    group = await wg.access.find(GUILD, "Peer Support")
    before = len(wg.desk.posts)

    await wg.leads.announce(GUILD, "Peer Support", AS_LEAD, "Meeting moved to Friday.", ping=False)

    (message,) = wg.desk.posts[before:]
    assert message.channel_id == group.channel_id
    (embed,) = message.card.embeds
    assert embed.description == "Meeting moved to Friday."
    assert embed.title.startswith("Peer Support: announcement from Lee")


async def test_user_text_mentions_in_an_announcement_never_become_the_ping(wg: GroupHarness) -> None:
    before = len(wg.desk.posts)

    await wg.leads.announce(GUILD, "Peer Support", AS_LEAD, "@everyone <@&42> hello", ping=False)

    (card,) = posts_after(wg, before)
    assert (card.ping_role_id, card.content) == (None, "")


async def test_an_announcement_in_an_archived_group_is_refused(wg: GroupHarness) -> None:
    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)
    before = len(wg.desk.posts)

    with pytest.raises(UserError) as caught:
        await wg.leads.announce(GUILD, "Peer Support", AS_LEAD, "Anyone still here?", ping=True)

    assert (caught.value.key, caught.value.params) == ("groups.error.archived", {"name": "Peer Support"})
    assert posts_after(wg, before) == []


async def test_an_announcement_by_a_plain_member_is_refused(wg: GroupHarness) -> None:
    before = len(wg.desk.posts)

    with pytest.raises(UserError) as caught:
        await wg.leads.announce(GUILD, "Peer Support", AS_ALEX, "Hello all", ping=True)

    assert caught.value.key == "groups.error.lead_only"
    assert posts_after(wg, before) == []


async def test_an_announcement_over_the_limit_is_refused(wg: GroupHarness) -> None:
    with pytest.raises(UserError) as caught:
        await wg.leads.announce(GUILD, "Peer Support", AS_LEAD, "a" * (ANNOUNCE_MAX + 1), ping=False)

    assert (caught.value.key, caught.value.params["limit"]) == ("groups.error.too_long", ANNOUNCE_MAX)

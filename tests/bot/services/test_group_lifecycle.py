"""GroupLifecycle: archive and unarchive, the weekly inactivity check, reconciliation at start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.groups import Visibility
from bot.errors import UserError
from bot.services.ports import DeliveryError
from tests.bot.services import groups_fakes
from tests.bot.services.groups_fakes import (
    BOT_USER,
    GUILD,
    LEAD,
    OTHER_GUILD,
    GroupHarness,
    expected_overwrites,
    text_of,
)

DAY = timedelta(days=1)
LEADS = frozenset({LEAD})

# On SQLite, copy one migrated file per test instead of migrating each time (PostgreSQL as before).
engine = groups_fakes.engine_from_template
migrated_sqlite = groups_fakes.migrated_sqlite
wg = groups_fakes.wg


# --- archive ------------------------------------------------------------------------------------


async def test_archiving_moves_the_channel_to_the_archived_category(wg: GroupHarness) -> None:
    group = await wg.create()

    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    assert wg.admin.category_name_of(wg.channel(group).id) == "Archived working groups"


@pytest.mark.parametrize("visibility", list(Visibility))
async def test_archiving_sets_the_archived_overwrites(wg: GroupHarness, visibility: Visibility) -> None:
    await wg.create(visibility=visibility)

    archived = await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    assert archived.archived
    assert wg.channel(archived).overwrites == expected_overwrites(archived, lead_ids=LEADS)
    assert all(
        "send_messages" not in o.allow for o in wg.channel(archived).overwrites if o.target_id != BOT_USER
    )


async def test_archiving_says_so_in_the_charter(wg: GroupHarness) -> None:
    group = await wg.create()

    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    assert "**This group is archived.**" in text_of(wg.charter(group).current)


async def test_archiving_keeps_the_channel_and_its_messages(wg: GroupHarness) -> None:
    group = await wg.create()

    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    assert group.channel_id in wg.admin.channels
    assert group.charter_message_id in wg.desk.messages
    assert wg.channel(group).pins == [group.charter_message_id]


async def test_archiving_removes_the_group_from_the_directory(wg: GroupHarness) -> None:
    await wg.create("Peer Support")
    await wg.create("Policy")

    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    assert wg.directory_slugs() == ["wg-policy"]
    assert len(wg.desk.directories()) == 1


async def test_archiving_twice_is_refused(wg: GroupHarness) -> None:
    await wg.create()
    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    with pytest.raises(UserError) as caught:
        await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    assert (caught.value.key, caught.value.params) == (
        "groups.error.already_archived",
        {"name": "Peer Support"},
    )


async def test_unarchiving_an_active_group_is_refused(wg: GroupHarness) -> None:
    await wg.create()

    with pytest.raises(UserError) as caught:
        await wg.lifecycle.set_archived(GUILD, "Peer Support", False)

    assert caught.value.key == "groups.error.not_archived"


@pytest.mark.parametrize("visibility", list(Visibility))
async def test_unarchiving_restores_category_overwrites_and_charter(
    wg: GroupHarness, visibility: Visibility
) -> None:
    created = await wg.create(visibility=visibility)
    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    restored = await wg.lifecycle.set_archived(GUILD, "Peer Support", False)

    assert not restored.archived
    assert wg.admin.category_name_of(wg.channel(restored).id) == "Working groups"
    assert wg.channel(restored).overwrites == expected_overwrites(created, lead_ids=LEADS)
    assert "archived" not in text_of(wg.charter(restored).current)


async def test_unarchiving_lists_the_group_in_the_directory_again(wg: GroupHarness) -> None:
    await wg.create()
    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    await wg.lifecycle.set_archived(GUILD, "Peer Support", False)

    assert wg.directory_slugs() == ["wg-peer-support"]


async def test_archiving_frees_room_in_the_working_groups_category(wg: GroupHarness) -> None:
    wg.admin.fill(GUILD, "Working groups", 49)
    await wg.create("Peer Support")
    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    group = await wg.create("Policy")

    assert wg.admin.category_name_of(wg.channel(group).id) == "Working groups"


# --- the inactivity check -----------------------------------------------------------------------


async def test_a_group_silent_for_90_days_is_reported_to_facilitators(wg: GroupHarness) -> None:
    group = await wg.create()
    wg.admin.activity[group.channel_id or 0] = wg.clock.now()
    wg.clock.advance(90 * DAY)

    stale = await wg.lifecycle.check_inactive(GUILD)

    assert [g.id for g in stale] == [group.id]
    (report,) = wg.facilitator_reports()
    assert "No messages for 90 days in: Peer Support" in text_of(report.card)


@pytest.mark.parametrize(
    ("quiet_for", "reported"),
    [(89 * DAY, False), (90 * DAY - timedelta(seconds=1), False), (90 * DAY, True), (400 * DAY, True)],
    ids=["89d", "just-under-90d", "90d", "400d"],
)
async def test_the_inactivity_threshold_is_90_days(
    wg: GroupHarness, quiet_for: timedelta, reported: bool
) -> None:
    group = await wg.create()
    wg.clock.advance(500 * DAY)
    wg.admin.activity[group.channel_id or 0] = wg.clock.now() - quiet_for

    assert bool(await wg.lifecycle.check_inactive(GUILD)) is reported


async def test_a_quiet_group_is_reported_only_once(wg: GroupHarness) -> None:
    await wg.create()
    wg.clock.advance(100 * DAY)
    await wg.lifecycle.check_inactive(GUILD)
    wg.clock.advance(7 * DAY)

    assert await wg.lifecycle.check_inactive(GUILD) == []
    assert len(wg.facilitator_reports()) == 1


async def test_new_activity_then_90_quiet_days_reports_the_group_again(wg: GroupHarness) -> None:
    group = await wg.create()
    wg.clock.advance(100 * DAY)
    await wg.lifecycle.check_inactive(GUILD)
    wg.clock.advance(DAY)
    wg.admin.activity[group.channel_id or 0] = wg.clock.now()

    wg.clock.advance(89 * DAY)
    assert await wg.lifecycle.check_inactive(GUILD) == []
    wg.clock.advance(DAY)
    assert [g.id for g in await wg.lifecycle.check_inactive(GUILD)] == [group.id]


async def test_a_group_that_never_had_a_message_counts_from_its_creation(wg: GroupHarness) -> None:
    group = await wg.create()
    wg.clock.advance(90 * DAY)

    assert [g.id for g in await wg.lifecycle.check_inactive(GUILD)] == [group.id]


async def test_archived_groups_are_never_reported_as_quiet(wg: GroupHarness) -> None:
    await wg.create()
    await wg.lifecycle.set_archived(GUILD, "Peer Support", True)
    wg.clock.advance(200 * DAY)

    assert await wg.lifecycle.check_inactive(GUILD) == []
    assert wg.facilitator_reports() == []


async def test_the_inactivity_period_is_configurable(sessions: async_sessionmaker[AsyncSession]) -> None:
    wg = GroupHarness(sessions, inactive_after=timedelta(days=30))
    await wg.setup_guild()
    group = await wg.create()
    wg.clock.advance(30 * DAY)

    stale = await wg.lifecycle.check_inactive(GUILD)

    assert [g.id for g in stale] == [group.id]
    assert "No messages for 30 days" in text_of(wg.facilitator_reports()[0].card)


async def test_the_inactivity_check_of_one_guild_ignores_the_others(wg: GroupHarness) -> None:
    await wg.setup_guild(OTHER_GUILD)
    await wg.create("Peer Support", guild_id=OTHER_GUILD)
    wg.clock.advance(100 * DAY)

    assert await wg.lifecycle.check_inactive(GUILD) == []
    assert wg.facilitator_reports(OTHER_GUILD) == []


async def test_the_weekly_timer_checks_every_guild(wg: GroupHarness) -> None:
    await wg.setup_guild(OTHER_GUILD)
    await wg.create("Peer Support")
    await wg.create("Policy", guild_id=OTHER_GUILD)
    wg.clock.advance(100 * DAY)

    await wg.lifecycle.check_all_inactive()

    assert (len(wg.facilitator_reports(GUILD)), len(wg.facilitator_reports(OTHER_GUILD))) == (1, 1)


async def test_a_report_that_could_not_be_posted_is_tried_again_next_week(wg: GroupHarness) -> None:
    group = await wg.create()
    wg.clock.advance(100 * DAY)
    wg.desk.fail["post"] = 1
    await wg.lifecycle.check_inactive(GUILD)
    wg.clock.advance(7 * DAY)

    assert [g.id for g in await wg.lifecycle.check_inactive(GUILD)] == [group.id]


# --- reconciliation -----------------------------------------------------------------------------


async def test_reconcile_reports_nothing_when_all_is_in_place(wg: GroupHarness) -> None:
    await wg.create()

    assert await wg.lifecycle.reconcile(GUILD) == []
    assert wg.facilitator_reports() == []


@pytest.mark.parametrize("deleted", ["channel", "role", "both"])
async def test_reconcile_reports_a_group_whose_channel_or_role_vanished(
    wg: GroupHarness, deleted: str
) -> None:
    group = await wg.create("Peer Support")
    await wg.create("Policy")
    if deleted in ("channel", "both"):
        wg.admin.delete_channel(group.channel_id or 0)
    if deleted in ("role", "both"):
        wg.admin.delete_role(group.role_id or 0)

    broken = await wg.lifecycle.reconcile(GUILD)

    assert [g.id for g in broken] == [group.id]
    (report,) = wg.facilitator_reports()
    assert "these groups was deleted or changed by hand: Peer Support." in text_of(report.card)


async def test_reconcile_does_not_crash_when_facilitators_cannot_be_told(wg: GroupHarness) -> None:
    group = await wg.create()
    wg.admin.delete_channel(group.channel_id or 0)
    wg.desk.fail["post"] = 1

    assert [g.id for g in await wg.lifecycle.reconcile(GUILD)] == [group.id]


async def test_archiving_can_be_retried_after_discord_refused(wg: GroupHarness) -> None:
    await wg.create()
    wg.admin.fail["update_channel"] = 1
    with pytest.raises((UserError, DeliveryError)):
        await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    archived = await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    assert wg.channel(archived).overwrites == expected_overwrites(archived, lead_ids=LEADS)


async def test_a_group_whose_channel_vanished_can_still_be_archived(wg: GroupHarness) -> None:
    group = await wg.create()
    wg.admin.delete_channel(group.channel_id or 0)

    archived = await wg.lifecycle.set_archived(GUILD, "Peer Support", True)

    assert archived.archived

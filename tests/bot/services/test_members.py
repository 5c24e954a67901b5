"""bot/services/members.py: community roles kept in Discord, the welcome once a day, forgetting."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.members import MemberFacts
from bot.errors import UserError
from db.models import MemberWelcomeRow
from tests.bot.services.dropin_fakes import GUILD
from tests.bot.services.members_fakes import USER, WELCOME_CHANNEL, MembersHarness

OTHER_ROLE = 700_000_000_000_000_001  # a role the bot does not manage


@pytest.fixture
def members(migrated_sessions: async_sessionmaker[AsyncSession]) -> MembersHarness:
    return MembersHarness(migrated_sessions)


async def test_missing_roles_are_created_once_named_in_both_languages(members: MembersHarness) -> None:
    ids = await members.service.ensure_roles(GUILD)
    again = await members.service.ensure_roles(GUILD)
    assert ids == again
    assert members.roles.roles[ids["nurse"]] == "Nurse / Personnel infirmier"
    assert len([c for c in members.roles.calls if c[0] == "create"]) == 11


async def test_members_opening_roles_at_once_create_each_role_once(members: MembersHarness) -> None:
    results = await asyncio.gather(*(members.service.ensure_roles(GUILD) for _ in range(5)))
    assert all(r == results[0] for r in results)
    assert len([c for c in members.roles.calls if c[0] == "create"]) == 11


async def test_a_role_deleted_by_hand_is_created_again(members: MembersHarness) -> None:
    ids = await members.service.ensure_roles(GUILD)
    del members.roles.roles[ids["nurse"]]
    assert (await members.service.ensure_roles(GUILD))["nurse"] != ids["nurse"]


async def test_choosing_adds_and_removes_only_managed_roles(members: MembersHarness) -> None:
    ids = await members.service.ensure_roles(GUILD)
    held = frozenset({OTHER_ROLE, ids["nurse"], ids["physician"]})
    changed = await members.service.choose(GUILD, USER, held, ["nurse", "pharmacist"])
    assert [r.key for r in changed.added] == ["pharmacist"]
    assert [r.key for r in changed.removed] == ["physician"]
    touched = {role_id for kind, role_id in members.roles.calls if kind in ("add", "remove")}
    assert OTHER_ROLE not in touched


async def test_an_unknown_role_key_is_refused(members: MembersHarness) -> None:
    with pytest.raises(UserError) as caught:
        await members.service.choose(GUILD, USER, frozenset(), ["astronaut"])
    assert caught.value.key == "members.error.unknown_role"


async def test_options_mark_the_roles_held(members: MembersHarness) -> None:
    ids = await members.service.ensure_roles(GUILD)
    options = await members.service.options(GUILD, frozenset({ids["researcher"]}), "fr")
    assert [o.key for o in options if o.held] == ["researcher"]
    assert next(o for o in options if o.key == "researcher").label == "Recherche"


async def test_the_picker_is_posted_once_then_refreshed(members: MembersHarness) -> None:
    await members.with_welcome_channel()
    first = await members.service.post_picker(GUILD)
    second = await members.service.post_picker(GUILD)
    assert first == second == (WELCOME_CHANNEL, 901)
    assert len(members.desk.posts) == 1


async def test_the_picker_needs_a_welcome_channel(members: MembersHarness) -> None:
    with pytest.raises(UserError) as caught:
        await members.service.post_picker(GUILD)
    assert caught.value.key == "members.error.no_welcome_channel"


async def test_a_member_is_welcomed_once_within_a_day(members: MembersHarness) -> None:
    assert await members.service.welcome(GUILD, USER)
    members.clock.advance(timedelta(hours=23))
    assert not await members.service.welcome(GUILD, USER)
    members.clock.advance(timedelta(hours=2))
    assert await members.service.welcome(GUILD, USER)
    assert len(members.desk.dms) == 2


async def test_closed_dms_are_tried_once_and_stay_silent(members: MembersHarness) -> None:
    members.desk.closed.add(USER)
    assert not await members.service.welcome(GUILD, USER)
    assert not await members.service.welcome(GUILD, USER)  # no retry storm on a rejoin
    assert members.desk.dms == []


async def test_welcome_off_sends_nothing(members: MembersHarness) -> None:
    await members.service.set_welcome(GUILD, False)
    assert not await members.service.welcome(GUILD, USER)
    assert members.desk.dms == []


async def test_the_welcome_record_holds_no_id(
    members: MembersHarness, migrated_sessions: async_sessionmaker[AsyncSession]
) -> None:
    await members.service.welcome(GUILD, USER)
    async with migrated_sessions() as session:
        (tag,) = await session.scalars(select(MemberWelcomeRow.member_tag))
    assert str(USER) not in tag and len(tag) == 64


async def test_forget_deletes_the_welcome_record(members: MembersHarness) -> None:
    await members.service.welcome(GUILD, USER)
    assert await members.service.forget(USER) == 1
    assert await members.service.welcome(GUILD, USER)  # nothing remembers the first welcome


async def test_old_welcome_records_are_purged(members: MembersHarness) -> None:
    await members.service.welcome(GUILD, USER)
    members.clock.advance(timedelta(days=2))
    assert await members.service.purge_welcomes() == 1


async def test_the_report_uses_the_managed_role_ids(members: MembersHarness) -> None:
    ids = await members.service.ensure_roles(GUILD)
    facts = [MemberFacts(frozenset({ids["nurse"], ids["pharmacist"]}), None)] * 6
    report = await members.service.report(GUILD, facts)
    counts = {role.key: count.value for role, count in report.by_role}
    assert counts["nurse"] == counts["pharmacist"] == 6
    assert report.no_role.value == 0


async def test_refreshing_the_picker_renames_the_roles_to_the_guilds_language(
    members: MembersHarness,
) -> None:
    await members.with_welcome_channel()
    ids = await members.service.ensure_roles(GUILD)
    await members.settings.set_language(GUILD, "fr")
    await members.service.post_picker(GUILD)
    assert members.roles.roles[ids["nurse"]] == "Personnel infirmier"
    assert await members.service.rename_roles(GUILD, "fr") == 0  # already right: no call

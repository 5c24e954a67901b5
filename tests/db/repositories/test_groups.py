"""db/repositories/groups.py: groups, members and leads, join requests, the directory, honoraria records,
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.groups import Group, Membership, Visibility
from db.repositories.groups import AttendanceRecord, GroupRepository
from db.repositories.settings import SettingsRepository

GUILD = 123456789012345678
OTHER_GUILD = 223456789012345678
MAX_SNOWFLAKE = 2**63 - 1
ALEX = 500000000000000002
SAM = 500000000000000003
RILEY = 500000000000000004
T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
T1 = T0 + timedelta(minutes=1)
NOV_12, NOV_19, NOV_26 = date(2026, 11, 12), date(2026, 11, 19), date(2026, 11, 26)


@pytest.fixture
async def repo_sessions(sessions: async_sessionmaker[AsyncSession]) -> async_sessionmaker[AsyncSession]:
    """Sessions on a database where both test guilds have their settings row (foreign keys)."""
    async with sessions.begin() as session:
        for guild_id in (GUILD, OTHER_GUILD):
            await SettingsRepository(session).ensure(guild_id, "both", T0)
    return sessions


async def add_group(
    sessions: async_sessionmaker[AsyncSession],
    name: str = "Peer Support",
    *,
    guild_id: int = GUILD,
    visibility: Visibility = Visibility.OPEN,
) -> Group:
    slug = "wg-" + name.lower().replace(" ", "-")
    async with sessions.begin() as session:
        return await GroupRepository(session).add(guild_id, name, slug, "About it.", visibility, T0)


# --- groups -------------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", list(Visibility))
async def test_a_group_round_trips(
    repo_sessions: async_sessionmaker[AsyncSession], visibility: Visibility
) -> None:
    added = await add_group(repo_sessions, visibility=visibility)

    async with repo_sessions() as session:
        repo = GroupRepository(session)
        by_id, by_slug = await repo.get(added.id), await repo.by_slug(GUILD, "wg-peer-support")

    assert by_id == by_slug == added
    assert (added.visibility, added.archived, added.cadence, added.role_id) == (visibility, False, "", None)
    assert added.created_at == T0 and added.created_at.tzinfo is not None


async def test_update_stores_discord_ids_up_to_the_largest_snowflake(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions)

    async with repo_sessions.begin() as session:
        await GroupRepository(session).update(
            group.id,
            role_id=MAX_SNOWFLAKE,
            channel_id=MAX_SNOWFLAKE - 1,
            charter_message_id=MAX_SNOWFLAKE - 2,
        )
    async with repo_sessions() as session:
        found = await GroupRepository(session).get(group.id)

    assert found is not None
    assert (found.role_id, found.channel_id, found.charter_message_id) == (
        MAX_SNOWFLAKE,
        MAX_SNOWFLAKE - 1,
        MAX_SNOWFLAKE - 2,
    )


async def test_by_slug_is_scoped_to_the_guild(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    await add_group(repo_sessions, guild_id=OTHER_GUILD)

    async with repo_sessions() as session:
        assert await GroupRepository(session).by_slug(GUILD, "wg-peer-support") is None


async def test_a_slug_is_unique_within_a_guild(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    await add_group(repo_sessions)

    with pytest.raises(IntegrityError):
        await add_group(repo_sessions)


async def test_all_lists_a_guilds_groups_by_name(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    for name in ("Policy", "Drug Checking", "Peer Support"):
        await add_group(repo_sessions, name)
    await add_group(repo_sessions, "Other", guild_id=OTHER_GUILD)

    async with repo_sessions() as session:
        repo = GroupRepository(session)
        names = [g.name for g in await repo.all(GUILD)]
        guilds = sorted(await repo.guilds())

    assert names == ["Drug Checking", "Peer Support", "Policy"]
    assert guilds == [GUILD, OTHER_GUILD]


async def test_inactive_reported_at_round_trips_aware(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions)

    async with repo_sessions.begin() as session:
        await GroupRepository(session).update(group.id, inactive_reported_at=T1)
    async with repo_sessions() as session:
        reported = await GroupRepository(session).inactive_reported_at(group.id)

    assert reported == T1 and reported.tzinfo is not None


async def test_deleting_a_group_removes_its_members_and_requests(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions)
    async with repo_sessions.begin() as session:
        repo = GroupRepository(session)
        await repo.add_member(group.id, ALEX, T0, lead=True)
        request = await repo.add_request(group.id, SAM, T0)

    async with repo_sessions.begin() as session:
        await GroupRepository(session).delete(group.id)
    async with repo_sessions() as session:
        repo = GroupRepository(session)
        left = (await repo.get(group.id), await repo.members(group.id), await repo.request(request.id))

    assert left == (None, [], None)


# --- members and leads --------------------------------------------------------------------------


@pytest.mark.parametrize("lead", [False, True], ids=["member", "lead"])
async def test_membership_round_trips_the_lead_flag(
    repo_sessions: async_sessionmaker[AsyncSession], lead: bool
) -> None:
    group = await add_group(repo_sessions)

    async with repo_sessions.begin() as session:
        await GroupRepository(session).add_member(group.id, ALEX, T0, lead=lead)
    async with repo_sessions() as session:
        repo = GroupRepository(session)
        found = (await repo.membership(group.id, ALEX), await repo.members(group.id))

    assert found == (Membership(ALEX, lead=lead), [Membership(ALEX, lead=lead)])


@pytest.mark.parametrize(("first", "then", "expected"), [(False, True, True), (True, False, False)])
async def test_set_lead_promotes_and_demotes(
    repo_sessions: async_sessionmaker[AsyncSession], first: bool, then: bool, expected: bool
) -> None:
    group = await add_group(repo_sessions)
    async with repo_sessions.begin() as session:
        await GroupRepository(session).add_member(group.id, ALEX, T0, lead=first)

    async with repo_sessions.begin() as session:
        await GroupRepository(session).set_lead(group.id, ALEX, then)
    async with repo_sessions() as session:
        assert await GroupRepository(session).membership(group.id, ALEX) == Membership(ALEX, lead=expected)


async def test_adding_a_member_again_never_demotes_a_lead(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions)
    async with repo_sessions.begin() as session:
        await GroupRepository(session).add_member(group.id, ALEX, T0, lead=True)

    async with repo_sessions.begin() as session:
        await GroupRepository(session).add_member(group.id, ALEX, T1)
    async with repo_sessions() as session:
        assert await GroupRepository(session).members(group.id) == [Membership(ALEX, lead=True)]


async def test_adding_an_existing_member_as_lead_promotes_them(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions)
    async with repo_sessions.begin() as session:
        await GroupRepository(session).add_member(group.id, ALEX, T0)

    async with repo_sessions.begin() as session:
        await GroupRepository(session).add_member(group.id, ALEX, T1, lead=True)
    async with repo_sessions() as session:
        assert await GroupRepository(session).members(group.id) == [Membership(ALEX, lead=True)]


async def test_members_are_listed_in_joining_order(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    group = await add_group(repo_sessions)
    async with repo_sessions.begin() as session:
        repo = GroupRepository(session)
        for minutes, user_id in ((2, RILEY), (0, SAM), (1, ALEX)):
            await repo.add_member(group.id, user_id, T0 + timedelta(minutes=minutes))

    async with repo_sessions() as session:
        assert [m.user_id for m in await GroupRepository(session).members(group.id)] == [SAM, ALEX, RILEY]


async def test_remove_member_says_whether_someone_was_removed(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions)
    async with repo_sessions.begin() as session:
        await GroupRepository(session).add_member(group.id, ALEX, T0)

    results = []
    for _ in range(2):
        async with repo_sessions.begin() as session:
            results.append(await GroupRepository(session).remove_member(group.id, ALEX))

    assert results == [True, False]
    async with repo_sessions() as session:
        assert await GroupRepository(session).membership(group.id, ALEX) is None


# --- join requests ------------------------------------------------------------------------------


async def test_add_request_returns_the_pending_request_instead_of_a_duplicate(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions, visibility=Visibility.REQUEST)

    async with repo_sessions.begin() as session:
        first = await GroupRepository(session).add_request(group.id, ALEX, T0)
    async with repo_sessions.begin() as session:
        again = await GroupRepository(session).add_request(group.id, ALEX, T1)

    assert (first.id, first.status, first.new) == (again.id, "pending", True)
    assert again.new is False


async def test_requests_of_different_people_are_separate(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions, visibility=Visibility.REQUEST)

    async with repo_sessions.begin() as session:
        repo = GroupRepository(session)
        ids = {(await repo.add_request(group.id, user_id, T0)).id for user_id in (ALEX, SAM)}

    assert len(ids) == 2


@pytest.mark.parametrize("status", ["approved", "denied"])
async def test_decide_request_returns_true_once(
    repo_sessions: async_sessionmaker[AsyncSession], status: str
) -> None:
    group = await add_group(repo_sessions, visibility=Visibility.REQUEST)
    async with repo_sessions.begin() as session:
        request = await GroupRepository(session).add_request(group.id, ALEX, T0)

    results = []
    for decision in (status, "approved", "denied"):
        async with repo_sessions.begin() as session:
            results.append(await GroupRepository(session).decide_request(request.id, decision, T1))
    async with repo_sessions() as session:
        stored = await GroupRepository(session).request(request.id)

    assert results == [True, False, False]
    assert stored is not None and stored.status == status


async def test_a_decided_request_makes_room_for_a_new_one(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions, visibility=Visibility.REQUEST)
    async with repo_sessions.begin() as session:
        first = await GroupRepository(session).add_request(group.id, ALEX, T0)
    async with repo_sessions.begin() as session:
        await GroupRepository(session).decide_request(first.id, "denied", T1)

    async with repo_sessions.begin() as session:
        second = await GroupRepository(session).add_request(group.id, ALEX, T1)

    assert (second.id != first.id, second.status, second.new) == (True, "pending", True)


async def test_an_unknown_request_is_none(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with repo_sessions() as session:
        assert await GroupRepository(session).request(4242) is None


# --- the directory message ----------------------------------------------------------------------


async def test_the_directory_message_is_saved_then_replaced(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions() as session:
        assert await GroupRepository(session).directory(GUILD) is None

    for channel_id, message_id in ((11, 21), (12, MAX_SNOWFLAKE)):
        async with repo_sessions.begin() as session:
            await GroupRepository(session).save_directory(GUILD, channel_id, message_id)

    async with repo_sessions() as session:
        repo = GroupRepository(session)
        assert (await repo.directory(GUILD), await repo.directory(OTHER_GUILD)) == ((12, MAX_SNOWFLAKE), None)


# --- honoraria ----------------------------------------------------------------------------------


async def test_opt_in_and_out_per_guild(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with repo_sessions.begin() as session:
        repo = GroupRepository(session)
        for user_id in (ALEX, ALEX, SAM):
            await repo.opt_in(GUILD, user_id, T0)
        await repo.opt_in(OTHER_GUILD, RILEY, T0)
    async with repo_sessions.begin() as session:
        await GroupRepository(session).opt_out(GUILD, SAM)

    async with repo_sessions() as session:
        repo = GroupRepository(session)
        assert (await repo.opted_in(GUILD), await repo.opted_in(OTHER_GUILD)) == ({ALEX}, {RILEY})


async def recorded(
    sessions: async_sessionmaker[AsyncSession], group: Group, day: date, *user_ids: int
) -> None:
    async with sessions.begin() as session:
        repo = GroupRepository(session)
        for user_id in user_ids:
            await repo.record_attendance(group.id, day, user_id, T0)


async def attendance(
    sessions: async_sessionmaker[AsyncSession], start: date, end: date, guild_id: int = GUILD
) -> list[AttendanceRecord]:
    async with sessions() as session:
        return await GroupRepository(session).attendance(guild_id, start, end)


async def test_attendance_holds_only_opted_in_members_sorted_by_date_then_group(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    peer, policy = await add_group(repo_sessions, "Peer Support"), await add_group(repo_sessions, "Policy")
    async with repo_sessions.begin() as session:
        for user_id in (ALEX, SAM):
            await GroupRepository(session).opt_in(GUILD, user_id, T0)
    await recorded(repo_sessions, policy, NOV_19, SAM)
    await recorded(repo_sessions, peer, NOV_26, ALEX, RILEY)
    await recorded(repo_sessions, peer, NOV_19, ALEX)

    assert await attendance(repo_sessions, NOV_12, NOV_26) == [
        AttendanceRecord("Peer Support", NOV_19, ALEX),
        AttendanceRecord("Policy", NOV_19, SAM),
        AttendanceRecord("Peer Support", NOV_26, ALEX),
    ]


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [(NOV_19, NOV_19, [NOV_19]), (NOV_12, NOV_19, [NOV_12, NOV_19]), (date(2026, 11, 27), NOV_26, [])],
    ids=["one-day", "inclusive", "empty"],
)
async def test_attendance_keeps_the_date_range(
    repo_sessions: async_sessionmaker[AsyncSession], start: date, end: date, days: list[date]
) -> None:
    group = await add_group(repo_sessions)
    async with repo_sessions.begin() as session:
        await GroupRepository(session).opt_in(GUILD, ALEX, T0)
    for day in (NOV_12, NOV_19, NOV_26):
        await recorded(repo_sessions, group, day, ALEX)

    assert [r.meeting_date for r in await attendance(repo_sessions, start, end)] == days


async def test_recording_the_same_attendance_twice_keeps_one_row(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions)
    async with repo_sessions.begin() as session:
        await GroupRepository(session).opt_in(GUILD, ALEX, T0)

    await recorded(repo_sessions, group, NOV_26, ALEX, ALEX)
    await recorded(repo_sessions, group, NOV_26, ALEX)

    assert await attendance(repo_sessions, NOV_26, NOV_26) == [AttendanceRecord("Peer Support", NOV_26, ALEX)]


async def test_opting_out_hides_past_attendance(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    group = await add_group(repo_sessions)
    async with repo_sessions.begin() as session:
        await GroupRepository(session).opt_in(GUILD, ALEX, T0)
    await recorded(repo_sessions, group, NOV_26, ALEX)

    async with repo_sessions.begin() as session:
        await GroupRepository(session).opt_out(GUILD, ALEX)

    assert await attendance(repo_sessions, NOV_26, NOV_26) == []


async def test_attendance_is_scoped_to_the_guild(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    here, there = await add_group(repo_sessions), await add_group(repo_sessions, guild_id=OTHER_GUILD)
    async with repo_sessions.begin() as session:
        repo = GroupRepository(session)
        await repo.opt_in(GUILD, ALEX, T0)
        await repo.opt_in(OTHER_GUILD, ALEX, T0)
    await recorded(repo_sessions, here, NOV_19, ALEX)
    await recorded(repo_sessions, there, NOV_26, ALEX)

    assert [r.meeting_date for r in await attendance(repo_sessions, NOV_12, NOV_26)] == [NOV_19]
    assert [r.meeting_date for r in await attendance(repo_sessions, NOV_12, NOV_26, OTHER_GUILD)] == [NOV_26]


async def test_opting_in_in_one_guild_does_not_count_in_another(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = await add_group(repo_sessions, guild_id=OTHER_GUILD)
    async with repo_sessions.begin() as session:
        await GroupRepository(session).opt_in(GUILD, ALEX, T0)
    await recorded(repo_sessions, group, NOV_26, ALEX)

    assert await attendance(repo_sessions, NOV_26, NOV_26, OTHER_GUILD) == []

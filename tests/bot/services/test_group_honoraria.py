"""GroupHonoraria: members opt in, leads record meetings, facilitators export a CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.services.group_access import Actor
from tests.bot.services import groups_fakes
from tests.bot.services.groups_fakes import (
    ALEX,
    AS_FACILITATOR,
    AS_LEAD,
    GUILD,
    OTHER_GUILD,
    RILEY,
    SAM,
    GroupHarness,
)

AS_ALEX = Actor(ALEX, facilitator=False)
HEADER = ["date", "working_group", "member", "discord_user_id"]
TODAY = date(2026, 12, 1)  # the harness clock: 2026-12-01 15:00 UTC
NOV_12, NOV_19, NOV_26 = date(2026, 11, 12), date(2026, 11, 19), date(2026, 11, 26)

# On SQLite, copy one migrated file per test instead of migrating each time (PostgreSQL as before).
engine = groups_fakes.engine_from_template
migrated_sqlite = groups_fakes.migrated_sqlite


@pytest.fixture
async def wg(sessions: async_sessionmaker[AsyncSession]) -> GroupHarness:
    """Peer Support (led by Lee) and Policy; Alex and Sam opted in, Riley did not."""
    harness = GroupHarness(sessions)
    await harness.setup_guild()
    await harness.create("Peer Support")
    await harness.create("Policy")
    for user_id in (ALEX, SAM):
        await harness.honoraria.opt_in(GUILD, user_id, True)
    return harness


def rows(exported: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(exported)))


async def record(wg: GroupHarness, day: date, *user_ids: int, name: str = "Peer Support") -> tuple[int, int]:
    return await wg.honoraria.record_attendance(GUILD, name, AS_LEAD, day, list(user_ids))


# --- recording ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_ids", "expected"),
    [
        ([ALEX, SAM, RILEY], (2, 1)),
        ([RILEY], (0, 1)),
        ([ALEX, ALEX, RILEY, RILEY], (1, 1)),
        ([], (0, 0)),
    ],
    ids=["mixed", "nobody-opted-in", "repeats-counted-once", "empty"],
)
async def test_recording_returns_how_many_were_recorded_and_skipped(
    wg: GroupHarness, user_ids: list[int], expected: tuple[int, int]
) -> None:
    assert await record(wg, NOV_26, *user_ids) == expected


async def test_recording_keeps_only_members_who_opted_in(wg: GroupHarness) -> None:
    await record(wg, NOV_26, ALEX, RILEY, SAM)

    exported = rows(await wg.honoraria.export(GUILD, NOV_26, NOV_26))

    assert sorted(row[3] for row in exported[1:]) == sorted([str(ALEX), str(SAM)])


async def test_recording_the_same_meeting_twice_keeps_one_row_each(wg: GroupHarness) -> None:
    await record(wg, NOV_26, ALEX)
    await record(wg, NOV_26, ALEX, SAM)

    assert len(rows(await wg.honoraria.export(GUILD, NOV_26, NOV_26))) == 1 + 2


async def test_recording_a_meeting_that_has_not_happened_is_refused(wg: GroupHarness) -> None:
    with pytest.raises(UserError) as caught:
        await record(wg, date(2026, 12, 2), ALEX)

    assert (caught.value.key, caught.value.params) == (
        "groups.error.future_date",
        {"date": date(2026, 12, 2)},
    )
    assert rows(await wg.honoraria.export(GUILD, TODAY, date(2026, 12, 31))) == [HEADER]


async def test_recording_todays_meeting_is_allowed(wg: GroupHarness) -> None:
    assert await record(wg, TODAY, ALEX) == (1, 0)


async def test_recording_is_refused_to_a_plain_member(wg: GroupHarness) -> None:
    await wg.membership.join(GUILD, "Peer Support", ALEX)

    with pytest.raises(UserError) as caught:
        await wg.honoraria.record_attendance(GUILD, "Peer Support", AS_ALEX, NOV_26, [ALEX])

    assert (caught.value.key, caught.value.params) == ("groups.error.lead_only", {"name": "Peer Support"})
    assert rows(await wg.honoraria.export(GUILD, NOV_26, NOV_26)) == [HEADER]


async def test_a_facilitator_may_record_for_any_group(wg: GroupHarness) -> None:
    assert await wg.honoraria.record_attendance(GUILD, "Policy", AS_FACILITATOR, NOV_26, [SAM]) == (1, 0)


async def test_a_lead_may_record_only_for_their_own_group(wg: GroupHarness) -> None:
    await wg.membership.set_lead(GUILD, "Policy", SAM, AS_FACILITATOR, lead=True)

    with pytest.raises(UserError) as caught:
        await wg.honoraria.record_attendance(
            GUILD, "Peer Support", Actor(SAM, facilitator=False), NOV_26, [SAM]
        )

    assert caught.value.key == "groups.error.lead_only"


# --- export -------------------------------------------------------------------------------------


async def test_the_export_starts_with_a_header(wg: GroupHarness) -> None:
    assert rows(await wg.honoraria.export(GUILD, NOV_12, TODAY)) == [HEADER]


async def test_the_export_has_one_row_per_record_sorted_by_date(wg: GroupHarness) -> None:
    await record(wg, NOV_26, ALEX)
    await record(wg, NOV_12, SAM, name="Policy")
    await record(wg, NOV_19, ALEX, RILEY)

    assert rows(await wg.honoraria.export(GUILD, NOV_12, NOV_26)) == [
        HEADER,
        ["2026-11-12", "Policy", "Sam", str(SAM)],
        ["2026-11-19", "Peer Support", "Alex", str(ALEX)],
        ["2026-11-26", "Peer Support", "Alex", str(ALEX)],
    ]


@pytest.mark.parametrize(
    ("start", "end", "dates"),
    [
        (NOV_19, NOV_19, ["2026-11-19"]),
        (NOV_12, NOV_19, ["2026-11-12", "2026-11-19"]),
        (date(2026, 11, 13), date(2026, 11, 25), ["2026-11-19"]),
        (date(2026, 11, 27), TODAY, []),
    ],
    ids=["one-day", "inclusive-bounds", "inside", "after"],
)
async def test_the_export_keeps_only_the_date_range(
    wg: GroupHarness, start: date, end: date, dates: list[str]
) -> None:
    for day in (NOV_12, NOV_19, NOV_26):
        await record(wg, day, ALEX)

    assert [row[0] for row in rows(await wg.honoraria.export(GUILD, start, end))[1:]] == dates


async def test_opting_out_after_being_recorded_removes_you_from_the_export(wg: GroupHarness) -> None:
    await record(wg, NOV_26, ALEX, SAM)

    await wg.honoraria.opt_in(GUILD, ALEX, False)

    assert [row[2] for row in rows(await wg.honoraria.export(GUILD, NOV_26, NOV_26))[1:]] == ["Sam"]


async def test_opting_out_means_the_next_meeting_is_not_recorded(wg: GroupHarness) -> None:
    await wg.honoraria.opt_in(GUILD, ALEX, False)

    assert await record(wg, NOV_26, ALEX) == (0, 1)


async def test_opting_in_twice_is_harmless(wg: GroupHarness) -> None:
    await wg.honoraria.opt_in(GUILD, RILEY, True)
    await wg.honoraria.opt_in(GUILD, RILEY, True)

    assert await record(wg, NOV_26, RILEY) == (1, 0)


async def test_the_export_holds_only_its_own_guild(wg: GroupHarness) -> None:
    await wg.setup_guild(OTHER_GUILD)
    await wg.create("Peer Support", guild_id=OTHER_GUILD)
    await wg.honoraria.opt_in(OTHER_GUILD, RILEY, True)
    await wg.honoraria.record_attendance(OTHER_GUILD, "Peer Support", AS_FACILITATOR, NOV_26, [RILEY])
    await record(wg, NOV_26, ALEX)

    assert [row[3] for row in rows(await wg.honoraria.export(GUILD, NOV_26, NOV_26))[1:]] == [str(ALEX)]


async def test_an_export_ending_before_it_starts_is_refused(wg: GroupHarness) -> None:
    with pytest.raises(UserError) as caught:
        await wg.honoraria.export(GUILD, NOV_26, NOV_19)

    assert caught.value.key == "groups.error.bad_range"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","Pay")', "+1+1", "-2+3", "@SUM(A1)"])
async def test_the_export_neutralises_names_a_spreadsheet_would_run(wg: GroupHarness, name: str) -> None:
    wg.admin.names[ALEX] = name
    await record(wg, NOV_26, ALEX)

    (row,) = rows(await wg.honoraria.export(GUILD, NOV_26, NOV_26))[1:]

    assert not row[2].startswith(("=", "+", "-", "@"))
    assert name in row[2]

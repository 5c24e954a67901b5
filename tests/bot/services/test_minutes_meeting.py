"""MinutesService.meeting: which meeting a /minutes command is about, and who may write its minutes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.dropin import DropinException
from bot.domain.groups import Visibility
from bot.errors import UserError
from bot.services.group_access import Actor
from bot.services.minutes import Meeting
from bot.services.minutes_archive import DROPIN
from tests.bot.services import minutes_fakes
from tests.bot.services.minutes_fakes import (
    ALEX,
    AS_ALEX,
    AS_FIONA,
    AS_LEAD,
    AS_OTHER_LEAD,
    DROPIN_DAY,
    DROPIN_START,
    GUILD,
    NOW,
    OTHER_GUILD,
    OTHER_LEAD,
    PREVIOUS_DAY,
    MinutesHarness,
)

harness_fixture = minutes_fakes.harness_fixture


async def refused(
    harness: MinutesHarness, day: str | None, group: str | None = None, actor: Actor = AS_FIONA
) -> UserError:
    with pytest.raises(UserError) as caught:
        await harness.service.meeting(GUILD, day, group, actor)
    return caught.value


# --- the drop-in ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (NOW, DROPIN_DAY),
        (DROPIN_START, DROPIN_DAY),  # it has just started
        (datetime(2026, 12, 3, 16, 59, tzinfo=UTC), PREVIOUS_DAY),  # not started yet
        (datetime(2026, 12, 9, 23, 0, tzinfo=UTC), DROPIN_DAY),  # the following Wednesday
    ],
    ids=["after", "at-start", "before-start", "next-wednesday"],
)
async def test_the_default_is_the_most_recent_started_dropin(
    harness: MinutesHarness, now: datetime, expected: date
) -> None:
    harness.clock.set(now)

    meeting = await harness.service.meeting(GUILD, None, None, AS_FIONA)

    assert (meeting.key, meeting.day, meeting.title) == (DROPIN, expected, "")


async def test_a_dropin_date_gives_that_occurrence_with_its_start(harness: MinutesHarness) -> None:
    meeting = await harness.service.meeting(GUILD, "2026-11-26", None, AS_FIONA)

    assert meeting == Meeting(DROPIN, PREVIOUS_DAY, "", datetime(2026, 11, 26, 17, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    "day",
    ["2026-12-02", "2026-12-10"],
    ids=["not-a-thursday", "future-dropin"],  # any past drop-in may get minutes (back-filling is allowed)
)
async def test_a_date_without_a_past_dropin_is_unknown(harness: MinutesHarness, day: str) -> None:
    error = await refused(harness, day)

    assert (error.key, error.params["date"]) == ("minutes.error.unknown_date", date.fromisoformat(day))


async def test_todays_dropin_is_unknown_until_it_starts(harness: MinutesHarness) -> None:
    harness.clock.set(datetime(2026, 12, 3, 16, 30, tzinfo=UTC))

    assert (await refused(harness, "2026-12-03")).key == "minutes.error.unknown_date"


async def test_a_dropin_before_the_schedule_existed_is_unknown(harness: MinutesHarness) -> None:
    await harness.setup_guild(OTHER_GUILD, schedule_saved=datetime(2026, 11, 30, 15, 0, tzinfo=UTC))

    with pytest.raises(UserError) as caught:
        await harness.service.meeting(OTHER_GUILD, "2026-11-19", None, AS_FIONA)

    assert caught.value.key == "minutes.error.unknown_date"


async def test_a_skipped_dropin_is_unknown(harness: MinutesHarness) -> None:
    await harness.save_exception(DropinException(PREVIOUS_DAY, skipped=True, reason="Holiday"))

    assert (await refused(harness, "2026-11-26")).key == "minutes.error.unknown_date"


async def test_the_default_passes_over_a_skipped_dropin(harness: MinutesHarness) -> None:
    await harness.save_exception(DropinException(DROPIN_DAY, skipped=True, reason="Holiday"))

    meeting = await harness.service.meeting(GUILD, None, None, AS_FIONA)

    assert meeting.day == PREVIOUS_DAY


async def test_a_moved_dropin_starts_at_its_moved_time(harness: MinutesHarness) -> None:
    await harness.save_exception(DropinException(DROPIN_DAY, moved_to=time(10, 0)))  # 15:00 UTC

    meeting = await harness.service.meeting(GUILD, "2026-12-03", None, AS_FIONA)

    assert meeting.start == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


async def test_members_may_not_write_dropin_minutes(harness: MinutesHarness) -> None:
    assert (await refused(harness, "2026-12-03", actor=AS_ALEX)).key == "error.not_facilitator"


async def test_without_a_schedule_there_is_no_dropin_to_minute(harness: MinutesHarness) -> None:
    await harness.setup_guild(OTHER_GUILD, schedule_saved=None)

    with pytest.raises(UserError) as caught:
        await harness.service.meeting(OTHER_GUILD, None, None, AS_FIONA)

    assert caught.value.key == "dropin.no_schedule"


@pytest.mark.parametrize("group", [None, "Peer Support"], ids=["dropin", "group"])
async def test_a_malformed_date_is_explained(harness: MinutesHarness, group: str | None) -> None:
    await harness.add_group("Peer Support")

    assert (await refused(harness, "03/12/2026", group)).key == "dropin.error.bad_date"


# --- a working group's meeting ----------------------------------------------------------------------


@pytest.mark.parametrize("actor", [AS_LEAD, AS_FIONA], ids=["lead", "facilitator"])
async def test_a_groups_lead_or_a_facilitator_may_minute_its_meeting(
    harness: MinutesHarness, actor: Actor
) -> None:
    group = await harness.add_group("Peer Support")

    meeting = await harness.service.meeting(GUILD, "2026-11-10", "peer support", actor)

    assert meeting == Meeting(f"wg:{group.id}", date(2026, 11, 10), "Peer Support", None)


async def test_a_group_meeting_defaults_to_today(harness: MinutesHarness) -> None:
    await harness.add_group("Peer Support")

    assert (await harness.service.meeting(GUILD, None, "Peer Support", AS_LEAD)).day == NOW.date()


async def test_an_evening_group_meeting_defaults_to_the_local_day(harness: MinutesHarness) -> None:
    await harness.add_group("Peer Support")
    harness.clock.set(datetime(2026, 12, 4, 2, 30, tzinfo=UTC))  # 21:30 on Thursday in Toronto

    assert (await harness.service.meeting(GUILD, None, "Peer Support", AS_LEAD)).day == date(2026, 12, 3)


@pytest.mark.parametrize(
    ("actor", "members"),
    [(AS_OTHER_LEAD, ()), (AS_ALEX, (ALEX,))],
    ids=["another-groups-lead", "plain-member"],
)
async def test_only_the_groups_leads_may_minute_its_meeting(
    harness: MinutesHarness, actor: Actor, members: tuple[int, ...]
) -> None:
    await harness.add_group("Peer Support", members=members)
    await harness.add_group("Drug Checking", lead=OTHER_LEAD)

    error = await refused(harness, "2026-11-10", "Peer Support", actor)

    assert (error.key, error.params["name"]) == ("minutes.error.other_group", "Peer Support")


async def test_a_private_group_stays_unknown_to_outsiders(harness: MinutesHarness) -> None:
    await harness.add_group("Quiet Circle", visibility=Visibility.PRIVATE)

    assert (await refused(harness, "2026-11-10", "Quiet Circle", AS_OTHER_LEAD)).key == "groups.error.unknown"


async def test_a_future_group_meeting_is_refused(harness: MinutesHarness) -> None:
    await harness.add_group("Peer Support")

    error = await refused(harness, "2026-12-04", "Peer Support", AS_LEAD)

    assert (error.key, error.params["date"]) == ("minutes.error.future", date(2026, 12, 4))


async def test_an_unknown_group_is_explained(harness: MinutesHarness) -> None:
    assert (await refused(harness, None, "Nobody Here")).key == "groups.error.unknown"

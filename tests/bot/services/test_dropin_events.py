"""DropinService keeps one Discord scheduled event per coming occurrence, in sync with the database."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.services.dropin import ScheduleChanges, parse_changes
from bot.services.ports import DeliveryError
from tests.bot.services.dropin_fakes import BEFORE, CHANNEL, DEFAULTS, GUILD, LINK, START, Harness

NEW_LINK = "https://zoom.us/j/99912345678"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize("events_ahead", [1, 4, 6])
async def test_refresh_keeps_exactly_events_ahead_events(dropin: Harness, events_ahead: int) -> None:
    service = dropin.process(defaults=replace(DEFAULTS, events_ahead=events_ahead))
    await service.bootstrap(GUILD, ScheduleChanges(channel_id=CHANNEL, join_url=LINK))

    await dropin.refresh_at(BEFORE)

    assert len(dropin.events.active()) == events_ahead


async def test_events_are_external_specs_with_utc_times_and_the_link_across_dst(dropin: Harness) -> None:
    await dropin.configure()

    await dropin.refresh_at(utc(2026, 10, 20))

    specs = [e.spec for e in dropin.events.active()]
    assert [s.start for s in specs] == [
        utc(2026, 10, 22, 16),
        utc(2026, 10, 29, 16),
        utc(2026, 11, 5, 17),
        utc(2026, 11, 12, 17),
    ]
    assert all(s.start.utcoffset() == timedelta(0) for s in specs)
    assert [s.end - s.start for s in specs] == [timedelta(minutes=90)] * 4
    assert {s.location for s in specs} == {LINK}


async def test_event_name_and_description_follow_the_guild_language(dropin: Harness) -> None:
    await dropin.configure()

    await dropin.refresh_at(BEFORE)

    spec = dropin.events.active()[0].spec
    assert spec.name == "Weekly drop-in · Rencontre hebdomadaire"
    assert "The first 60 minutes are minuted, then 30 informal minutes" in spec.description
    assert "Les 60 premières minutes" in spec.description


async def test_no_events_without_a_join_link(dropin: Harness) -> None:
    await dropin.configure(join_url=None)

    await dropin.refresh_at(BEFORE)

    assert dropin.events.log == []


async def test_refreshing_again_leaves_events_alone(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)
    created = list(dropin.events.log)

    await dropin.refresh_at(BEFORE + timedelta(hours=1))

    assert dropin.events.log == created


async def test_once_an_occurrence_starts_the_next_one_out_gets_its_event(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)

    await dropin.refresh_at(START)

    assert [e.spec.start for e in dropin.events.active()] == [
        START,  # the running one keeps its event
        START + timedelta(weeks=1),
        START + timedelta(weeks=2),
        START + timedelta(weeks=3),
        START + timedelta(weeks=4),
    ]


async def test_changing_the_link_updates_every_event(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)

    await dropin.service.setup(GUILD, parse_changes(join_url=NEW_LINK))

    assert {e.spec.location for e in dropin.events.active()} == {NEW_LINK}
    assert len(dropin.events.events) == 4
    assert [kind for kind, _ in dropin.events.log].count("update") == 4


async def test_changing_the_time_updates_every_event_start(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)

    await dropin.service.setup(GUILD, parse_changes(local_time="13:30"))

    assert [e.spec.start for e in dropin.events.active()] == [
        START + timedelta(weeks=w, minutes=90) for w in range(4)
    ]
    assert len(dropin.events.events) == 4


async def test_changing_the_weekday_cancels_old_events_and_creates_new_ones(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)
    old = set(dropin.events.events)

    await dropin.service.setup(GUILD, parse_changes(weekday="wednesday"))

    assert all(dropin.events.events[event_id].cancelled for event_id in old)
    assert [e.spec.start.date() for e in dropin.events.active()] == [
        date(2026, 12, 2),
        date(2026, 12, 9),
        date(2026, 12, 16),
        date(2026, 12, 23),
    ]


async def test_an_event_failure_is_absorbed_and_the_guild_timer_still_set(dropin: Harness) -> None:
    await dropin.configure()

    async def refuse(guild_id: int, spec: object) -> int:
        raise DeliveryError("Forbidden status=403 code=50013")

    dropin.events.create_event = refuse  # type: ignore[method-assign]
    await dropin.refresh_at(BEFORE)

    assert dropin.events.events == {}
    assert [c.job_id for c in dropin.timers.calls] == [f"dropin:{GUILD}"]


async def test_two_processes_at_the_same_instant_create_one_event_per_occurrence(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(BEFORE)

    await asyncio.gather(dropin.process().refresh(GUILD), dropin.process().refresh(GUILD))

    assert len(dropin.events.events) == 4


# --- reconciled with Discord, not only with the database (issue 14) ----------------------------


async def test_an_event_deleted_by_hand_on_discord_comes_back(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)
    first = dropin.events.active()[0]
    dropin.events.deleted.add(first.event_id)

    await dropin.refresh_at(BEFORE + timedelta(hours=1))

    (again,) = [e for e in dropin.events.active() if e.spec.start == START]
    assert again.event_id != first.event_id
    assert len(dropin.events.active()) == 4


async def test_an_event_finished_on_discord_before_its_occurrence_is_made_again(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)
    first = dropin.events.active()[0]
    first.ended = True

    await dropin.refresh_at(BEFORE + timedelta(hours=1))

    assert dropin.events.active()[0].spec.start == START


async def test_moving_a_running_drop_in_ends_its_event_and_makes_a_new_one(dropin: Harness) -> None:
    # Moved to 10:00 earlier, it runs at 10:30 (its regular 12:00 still ahead): moved again to 14:00.
    await dropin.configure()
    dropin.clock.set(BEFORE)
    await dropin.service.move(GUILD, "2026-12-03", "10:00")
    first = next(e for e in dropin.events.active() if e.spec.start == START - timedelta(hours=2))
    dropin.events.started.add(first.event_id)
    dropin.clock.set(START - timedelta(minutes=90))

    await dropin.service.move(GUILD, "2026-12-03", "14:00")

    assert ("end", first.event_id) in dropin.events.log and (
        "update",
        first.event_id,
    ) not in dropin.events.log
    (moved,) = [e for e in dropin.events.active() if e.spec.start.date() == START.date()]
    assert moved.spec.start == START + timedelta(hours=2)


async def test_when_discord_cannot_be_asked_the_records_are_trusted(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)
    created = len(dropin.events.events)
    dropin.events.fail_states = True

    await dropin.refresh_at(BEFORE + timedelta(hours=1))

    assert len(dropin.events.events) == created


async def test_an_event_discord_refused_to_move_is_reported_then_cleared(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)
    update = dropin.events.update_event

    async def refused(guild_id: int, event_id: int, spec: Any) -> None:
        raise DeliveryError("DiscordServerError status=503 code=0")

    dropin.events.update_event = refused  # type: ignore[method-assign]
    moved = await dropin.service.move(GUILD, "2026-12-03", "13:00")
    assert dropin.service.event_in_sync(GUILD, moved.key) is False

    dropin.events.update_event = update  # type: ignore[method-assign]
    await dropin.service.refresh(GUILD)
    assert dropin.service.event_in_sync(GUILD, moved.key) is True

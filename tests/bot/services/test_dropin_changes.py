"""DropinService facilitator use cases: setup, skip, unskip, note, move, and the errors they explain."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.dropin import DropinSchedule, post_nonce
from bot.errors import UserError
from bot.services.dropin import NOTE_MAX, parse_changes
from db.repositories.dropin import DropinRepository
from tests.bot.services.dropin_fakes import (
    BEFORE,
    CHANNEL,
    GUILD,
    KEY,
    LINK,
    OTHER_GUILD,
    REMINDER_15,
    REMINDER_DAY,
    START,
    Harness,
)

NEXT_START = START + timedelta(weeks=1)


def event_for(dropin: Harness, start: datetime) -> Any:
    (event,) = [e for e in dropin.events.events.values() if e.spec.start.date() == start.date()]
    return event


async def error_key(coroutine: Any) -> str:
    with pytest.raises(UserError) as caught:
        await coroutine
    return caught.value.key


# --- setup ------------------------------------------------------------------------------------


async def test_setup_saves_the_schedule_and_returns_the_next_occurrence(dropin: Harness) -> None:
    schedule, occurrence = await dropin.service.setup(
        GUILD, parse_changes(join_url=LINK, channel_id=CHANNEL, local_time="13:00", reminders="2h")
    )

    assert await dropin.service.schedule(GUILD) == schedule
    assert (schedule.local_time, schedule.reminder_minutes, schedule.join_url) == (time(13), (120,), LINK)
    assert (occurrence.key, occurrence.start) == (KEY, START + timedelta(hours=1))


async def test_setup_confirms_the_next_held_occurrence_not_a_skipped_one(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.skip(GUILD, "2026-12-03", "holiday")

    _, occurrence = await dropin.service.setup(GUILD, parse_changes(local_time="13:00"))

    assert (occurrence.key, occurrence.skipped) == (NEXT_START.date(), False)


@pytest.mark.parametrize(
    ("new_time", "wake"),
    [("11:00", REMINDER_DAY - timedelta(hours=1)), ("12:30", REMINDER_DAY + timedelta(minutes=30))],
)
async def test_setup_with_a_new_time_reschedules_the_timer_at_once(
    dropin: Harness, new_time: str, wake: datetime
) -> None:
    await dropin.configure()
    await dropin.refresh_at(REMINDER_DAY - timedelta(hours=2))
    assert dropin.timers.last.when == REMINDER_DAY

    await dropin.service.setup(GUILD, parse_changes(local_time=new_time))

    assert (dropin.timers.last.job_id, dropin.timers.last.when) == (f"dropin:{GUILD}", wake)


async def test_setup_with_a_new_time_updates_the_events(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)

    await dropin.service.setup(GUILD, parse_changes(local_time="11:00"))

    assert [e.spec.start for e in dropin.events.active()] == [
        START + timedelta(weeks=w, hours=-1) for w in range(4)
    ]


async def test_setup_keeps_what_was_not_changed(dropin: Harness) -> None:
    await dropin.configure(ping_role_id=42)

    schedule, _ = await dropin.service.setup(GUILD, parse_changes(local_time="11:00"))

    assert (schedule.join_url, schedule.channel_id, schedule.ping_role_id) == (LINK, CHANNEL, 42)


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("local_time", "25:00", "dropin.error.bad_time"),
        ("timezone", "Mars/Olympus", "dropin.error.bad_zone"),
        ("weekday", "jeudi", "dropin.error.bad_weekday"),
        ("join_url", "http://zoom.us/j/85012345678", "dropin.error.bad_link"),
        ("join_url", "zoom meeting", "dropin.error.bad_link"),
        ("reminders", "tomorrow", "dropin.reminders.error.syntax"),
        ("duration_minutes", 5, "dropin.error.bad_duration"),
    ],
)
def test_setup_input_is_checked_field_by_field(field: str, value: Any, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_changes(**{field: value})

    assert caught.value.key == key


def test_empty_setup_input_changes_nothing() -> None:
    changes = parse_changes()

    assert all(value is None for value in changes.__dict__.values())


# --- skip -------------------------------------------------------------------------------------


async def test_skip_cancels_that_occurrences_event_at_once_and_keeps_four_ahead(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)

    await dropin.service.skip(GUILD, "2026-12-03", "holiday")

    assert event_for(dropin, START).cancelled is True
    assert [e.spec.start for e in dropin.events.active()] == [
        NEXT_START + timedelta(weeks=w) for w in range(4)
    ]


async def test_skip_notice_replaces_the_reminders(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.skip(GUILD, "2026-12-03", "holiday")

    posted = [await dropin.refresh_at(moment) for moment in (REMINDER_DAY, REMINDER_15, START)]

    assert [len(calls) for calls in posted] == [1, 0, 0]
    assert posted[0][0].announcement.nonce == post_nonce(GUILD, KEY, "skipped")


async def test_skip_notice_says_why_and_when_the_next_one_is(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.skip(GUILD, "2026-12-03", "  holiday  ")

    (call,) = await dropin.refresh_at(REMINDER_DAY)

    english, french = call.announcement.embeds
    assert english.title == "No drop-in this week (Thursday, December 3, 2026)"
    assert french.title == "Pas de rencontre cette semaine (jeudi 3 décembre 2026)"
    assert "**Why:** holiday" in english.description
    assert f"<t:{int(NEXT_START.timestamp())}:F>" in english.description
    assert f"<t:{int(NEXT_START.timestamp())}:F>" in french.description
    assert "Posted late" not in english.description


async def test_skip_decided_after_the_lead_time_is_announced_at_once(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(REMINDER_DAY)  # the 24-hour reminder went out
    dropin.clock.set(START - timedelta(hours=2))

    await dropin.service.skip(GUILD, "2026-12-03", "facilitator ill")

    last = dropin.announcer.calls[-1]
    assert last.announcement.nonce == post_nonce(GUILD, KEY, "skipped")
    assert "Posted late" not in last.announcement.embeds[0].description
    assert await dropin.refresh_at(REMINDER_15) == []


async def test_skip_returns_the_occurrence_date(dropin: Harness) -> None:
    await dropin.configure()

    assert (await dropin.service.skip(GUILD, "2026-12-03", "")).key == KEY


async def test_skipping_a_cancelled_week_again_keeps_its_reason_and_says_so(dropin: Harness) -> None:
    await dropin.configure()
    first = await dropin.service.skip(GUILD, "2026-12-03", "holiday")

    again = await dropin.service.skip(GUILD, "2026-12-03", "")

    assert (first.already, again.already) == (False, True)
    (occurrence, *_) = await dropin.service.upcoming(GUILD, 1)
    assert occurrence.reason == "holiday"


async def test_skipping_a_cancelled_week_with_a_new_reason_replaces_it(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.skip(GUILD, "2026-12-03", "holiday")

    await dropin.service.skip(GUILD, "2026-12-03", "snow storm")

    (occurrence, *_) = await dropin.service.upcoming(GUILD, 1)
    assert occurrence.reason == "snow storm"


# --- unskip, note, move ------------------------------------------------------------------------


async def test_unskip_brings_back_the_reminders(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.skip(GUILD, "2026-12-03", "holiday")

    await dropin.service.unskip(GUILD, "2026-12-03")

    (call,) = await dropin.refresh_at(REMINDER_DAY)
    assert call.announcement.nonce == post_nonce(GUILD, KEY, "reminder-1440")


async def test_unskip_recreates_the_cancelled_event(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)
    await dropin.service.skip(GUILD, "2026-12-03", "holiday")

    await dropin.service.unskip(GUILD, "2026-12-03")

    assert [e.spec.start for e in dropin.events.active()] == [START + timedelta(weeks=w) for w in range(4)]


async def test_unskip_of_a_held_occurrence_is_refused(dropin: Harness) -> None:
    await dropin.configure()

    assert await error_key(dropin.service.unskip(GUILD, "2026-12-03")) == "dropin.error.not_skipped"


async def test_note_appears_in_the_reminder_in_both_languages(dropin: Harness) -> None:
    await dropin.configure()

    await dropin.service.note(GUILD, "2026-12-03", "Guest: a pharmacist from Halifax")

    (call,) = await dropin.refresh_at(REMINDER_DAY)
    english, french = call.announcement.embeds
    assert "**This week:** Guest: a pharmacist from Halifax" in english.description
    assert "**Cette semaine\u00a0:** Guest: a pharmacist from Halifax" in french.description


async def test_note_updates_that_occurrences_event_description(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)

    await dropin.service.note(GUILD, "2026-12-03", "Guest: a pharmacist from Halifax")

    event = event_for(dropin, START)
    assert len(event.updates) == 1
    assert event.spec.description.endswith("Guest: a pharmacist from Halifax")
    assert event_for(dropin, NEXT_START).updates == []


async def test_note_of_exactly_the_limit_is_accepted(dropin: Harness) -> None:
    await dropin.configure()

    assert await dropin.service.note(GUILD, "2026-12-03", "n" * NOTE_MAX) == KEY


async def test_move_updates_the_event_start_and_returns_the_moved_occurrence(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)

    moved = await dropin.service.move(GUILD, "2026-12-03", "14:00")

    assert (moved.key, moved.start, moved.moved) == (KEY, START + timedelta(hours=2), True)
    event = event_for(dropin, START)
    assert (event.spec.start, event.spec.end) == (moved.start, moved.end)
    assert event_for(dropin, NEXT_START).spec.start == NEXT_START


async def test_moved_occurrence_reminds_at_the_new_time_and_says_so(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.move(GUILD, "2026-12-03", "14:00")
    new_start = START + timedelta(hours=2)

    assert await dropin.refresh_at(REMINDER_DAY) == []
    (call,) = await dropin.refresh_at(new_start - timedelta(days=1))

    english = call.announcement.embeds[0]
    assert f"<t:{int(new_start.timestamp())}:F>" in english.description
    assert "**This week only:** a different time than usual." in english.description


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "day", "key"),
    [
        (START, "2026-12-03", "dropin.error.past_date"),
        (BEFORE, "2026-11-26", "dropin.error.past_date"),
        (BEFORE, "2026-12-02", "dropin.error.not_an_occurrence"),
        (BEFORE, "2026-12-05", "dropin.error.not_an_occurrence"),
        (BEFORE, "next week", "dropin.error.bad_date"),
    ],
)
async def test_skip_of_a_past_or_non_occurrence_date_is_refused(
    dropin: Harness, now: datetime, day: str, key: str
) -> None:
    await dropin.configure()
    dropin.clock.set(now)

    assert await error_key(dropin.service.skip(GUILD, day, "")) == key
    async with dropin.sessions() as session:
        assert await DropinRepository(session).exceptions(GUILD, date(2026, 1, 1)) == {}


@pytest.mark.parametrize("use_case", ["skip", "note", "move"])
async def test_changes_without_a_schedule_are_refused(dropin: Harness, use_case: str) -> None:
    calls = {
        "skip": lambda: dropin.service.skip(OTHER_GUILD, "2026-12-03", ""),
        "note": lambda: dropin.service.note(OTHER_GUILD, "2026-12-03", "hi"),
        "move": lambda: dropin.service.move(OTHER_GUILD, "2026-12-03", "13:00"),
    }
    await dropin.configure()  # another guild's schedule does not count

    assert await error_key(calls[use_case]()) == "dropin.no_schedule"


@pytest.mark.parametrize("reader", ["upcoming", "next_occurrence", "topics"])
async def test_reading_without_a_schedule_is_refused(dropin: Harness, reader: str) -> None:
    calls = {
        "upcoming": lambda: dropin.service.upcoming(GUILD, 8),
        "next_occurrence": lambda: dropin.service.next_occurrence(GUILD),
        "topics": lambda: dropin.service.topics(GUILD),
    }

    assert await error_key(calls[reader]()) == "dropin.no_schedule"


@pytest.mark.parametrize("use_case", ["note", "skip"])
async def test_text_over_500_characters_is_refused(dropin: Harness, use_case: str) -> None:
    await dropin.configure()
    method = getattr(dropin.service, use_case)

    with pytest.raises(UserError) as caught:
        await method(GUILD, "2026-12-03", "x" * (NOTE_MAX + 1))

    assert caught.value.key == "dropin.error.note_too_long"
    assert caught.value.params == {"limit": NOTE_MAX, "count": NOTE_MAX + 1}


async def test_skip_reason_that_is_accepted_is_stored_whole(
    dropin: Harness, engine: AsyncEngine, request: pytest.FixtureRequest
) -> None:
    # dropin_exceptions.reason is VARCHAR(300) while skip accepts up to NOTE_MAX (500) characters:
    await dropin.configure()
    reason = "r" * 301

    try:
        await dropin.service.skip(GUILD, "2026-12-03", reason)
    except UserError:
        return  # refusing it with an explanation is fine too

    (occurrence, *_) = await dropin.service.upcoming(GUILD, 1)
    assert occurrence.reason == reason


async def test_next_occurrence_includes_a_running_one_and_the_one_after(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(START + timedelta(minutes=30))

    schedule, first, second = await dropin.service.next_occurrence(GUILD)

    assert isinstance(schedule, DropinSchedule)
    assert (first.key, second.key if second else None) == (KEY, date(2026, 12, 10))


async def test_next_occurrence_moves_on_once_the_running_one_has_ended(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(START + timedelta(minutes=30))
    await dropin.service.next_occurrence(GUILD)  # remembered until this occurrence ends
    dropin.clock.set(START + timedelta(hours=2))

    _, first, _ = await dropin.service.next_occurrence(GUILD)

    assert first.key == date(2026, 12, 10)


async def test_next_occurrence_shows_a_skip_decided_after_it_was_asked(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.next_occurrence(GUILD)
    await dropin.service.skip(GUILD, KEY.isoformat(), "holiday")

    _, first, _ = await dropin.service.next_occurrence(GUILD)

    assert (first.key, first.skipped) == (KEY, True)


async def test_next_occurrence_follows_the_clock_back(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(START + timedelta(hours=2))
    await dropin.service.next_occurrence(GUILD)
    dropin.clock.set(START - timedelta(hours=1))

    _, first, _ = await dropin.service.next_occurrence(GUILD)

    assert first.key == KEY


async def test_calendar_marks_skipped_weeks(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.skip(GUILD, "2026-12-10", "holiday")

    found = await dropin.service.upcoming(GUILD, 8)

    assert len(found) == 8
    assert [o.key for o in found if o.skipped] == [date(2026, 12, 10)]
    assert found[0].start == datetime(2026, 12, 3, 17, tzinfo=UTC)


async def test_duration_shorter_than_the_minuted_part_never_announces_negative_minutes(
    dropin: Harness,
) -> None:
    await dropin.configure()
    try:
        await dropin.service.setup(GUILD, parse_changes(duration_minutes=30))
    except UserError:
        return  # refusing it with an explanation is fine

    (call,) = await dropin.refresh_at(REMINDER_DAY)

    assert "-30" not in call.announcement.embeds[0].description


async def test_notifications_are_refused_while_no_ping_role_is_set(dropin: Harness) -> None:
    await dropin.configure()

    with pytest.raises(UserError) as caught:
        await dropin.service.notification_role(GUILD)

    assert caught.value.key == "dropin.error.no_ping_role"

"""DropinService posting: what a refresh posts, exactly once, after crashes, downtime and double fires."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot.domain.dropin import post_nonce
from bot.domain.settings import ChannelPurpose, Language
from bot.services.dropin_reconciler import NONCE_WINDOW, SAFETY_WAKEUP
from db.repositories.dropin import DropinRepository
from tests.bot.services.dropin_fakes import (
    BEFORE,
    CHANNEL,
    END,
    GUILD,
    KEY,
    LINK,
    OTHER_GUILD,
    REMINDER_15,
    REMINDER_DAY,
    ROLE,
    SETTINGS_CHANNEL,
    START,
    FakeTimers,
    Harness,
)

EN_CANADA = "PT 10:00 · MT 11:00 · CT 12:00 · ET 12:00 · AT 13:00 · NT 13:30"
FR_CANADA = "HP 10 h · HR 11 h · HC 12 h · HE 12 h · HA 13 h · HT 13 h 30"
START_F = f"<t:{int(START.timestamp())}:F>"
START_R = f"<t:{int(START.timestamp())}:R>"


# --- one post, with everything in it ----------------------------------------------------------


async def test_refresh_at_a_reminder_posts_exactly_one_announcement(dropin: Harness) -> None:
    await dropin.configure()

    calls = await dropin.refresh_at(REMINDER_DAY)

    assert len(calls) == 1
    assert calls[0].channel_id == CHANNEL
    assert calls[0].announcement.nonce == post_nonce(GUILD, KEY, "reminder-1440")


async def test_reminder_has_both_languages_by_default(dropin: Harness) -> None:
    await dropin.configure()

    (call,) = await dropin.refresh_at(REMINDER_DAY)

    english, french = call.announcement.embeds
    assert english.title == "Weekly drop-in: Thursday, December 3, 2026"
    assert french.title == "Rencontre hebdomadaire\u00a0: jeudi 3 décembre 2026"
    assert "Join on Zoom" in english.description
    assert "Lien Zoom" in french.description


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_reminder_shows_link_discord_timestamps_and_canada_line(dropin: Harness, lang: str) -> None:
    await dropin.configure()

    (call,) = await dropin.refresh_at(REMINDER_DAY)

    embed = call.announcement.embeds[0 if lang == "en" else 1]
    assert LINK in embed.description
    assert START_F in embed.description
    assert START_R in embed.description
    assert (EN_CANADA if lang == "en" else FR_CANADA) in embed.description


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        ("en", ["Weekly drop-in: Thursday, December 3, 2026"]),
        ("fr", ["Rencontre hebdomadaire\u00a0: jeudi 3 décembre 2026"]),
        (
            "both",
            [
                "Weekly drop-in: Thursday, December 3, 2026",
                "Rencontre hebdomadaire\u00a0: jeudi 3 décembre 2026",
            ],
        ),
    ],
)
async def test_reminder_follows_the_guild_language(
    dropin: Harness, language: Language, titles: list[str]
) -> None:
    await dropin.configure()
    await dropin.settings.set_language(GUILD, language)

    (call,) = await dropin.refresh_at(REMINDER_DAY)

    assert [e.title for e in call.announcement.embeds] == titles


async def test_no_ping_without_a_role(dropin: Harness) -> None:
    await dropin.configure()

    (call,) = await dropin.refresh_at(REMINDER_DAY)

    assert call.announcement.content == ""
    assert call.announcement.ping_role_id is None


async def test_ping_role_is_mentioned_and_allowed(dropin: Harness) -> None:
    await dropin.configure(ping_role_id=ROLE)

    (call,) = await dropin.refresh_at(REMINDER_DAY)

    assert call.announcement.content == f"<@&{ROLE}>"
    assert call.announcement.ping_role_id == ROLE


async def test_start_post_says_the_drop_in_is_starting(dropin: Harness) -> None:
    await dropin.configure()

    (call,) = await dropin.refresh_at(START)

    assert [e.title for e in call.announcement.embeds] == [
        "The weekly drop-in is starting now",
        "C'est l'heure de la rencontre hebdomadaire",
    ]
    assert call.announcement.nonce == post_nonce(GUILD, KEY, "start")


async def test_posts_go_to_the_drop_in_channel_setting_when_the_schedule_has_none(dropin: Harness) -> None:
    await dropin.configure(channel_id=None)
    await dropin.settings.bootstrap(GUILD, {ChannelPurpose.DROPIN: SETTINGS_CHANNEL}, {})

    (call,) = await dropin.refresh_at(REMINDER_DAY)

    assert call.channel_id == SETTINGS_CHANNEL


async def test_nothing_is_posted_before_the_first_reminder(dropin: Harness) -> None:
    await dropin.configure()

    assert await dropin.refresh_at(REMINDER_DAY - timedelta(seconds=1)) == []


async def test_a_post_is_recorded_with_its_message_id(dropin: Harness) -> None:
    await dropin.configure()

    (call,) = await dropin.refresh_at(REMINDER_DAY)

    (record,) = await dropin.post_records()
    assert (record.slug, record.message_id, record.late) == ("reminder-1440", call.message_id, False)


# --- exactly once ------------------------------------------------------------------------------


@pytest.mark.parametrize("second_after", [timedelta(0), timedelta(seconds=30), timedelta(minutes=10)])
async def test_refreshing_again_does_not_post_again(dropin: Harness, second_after: timedelta) -> None:
    await dropin.configure()
    await dropin.refresh_at(REMINDER_DAY)

    assert await dropin.refresh_at(REMINDER_DAY + second_after) == []
    assert len(dropin.announcer.calls) == 1


async def test_two_processes_one_after_the_other_post_once(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(REMINDER_DAY)

    await dropin.process().refresh(GUILD)
    await dropin.process().refresh(GUILD)

    assert len(dropin.announcer.calls) == 1


async def test_two_processes_at_the_same_instant_post_once(dropin: Harness) -> None:
    # No link, so no events: concurrent event sync has its own test in test_dropin_events.py.
    await dropin.configure(join_url=None)
    dropin.clock.set(REMINDER_DAY)

    await asyncio.gather(dropin.process().refresh(GUILD), dropin.process().refresh(GUILD))

    assert len(dropin.announcer.delivered) == 1
    assert {c.announcement.nonce for c in dropin.announcer.calls} == {post_nonce(GUILD, KEY, "reminder-1440")}


async def test_second_process_refreshing_while_the_first_is_sending_makes_no_new_message(
    dropin: Harness,
) -> None:
    # Process B runs its whole refresh after A claimed the post and while A's message is in flight.
    await dropin.configure()
    dropin.clock.set(REMINDER_DAY)
    first, second = dropin.process(), dropin.process()

    async def second_process_refreshes() -> None:
        await second.refresh(GUILD)

    dropin.announcer.during_post = second_process_refreshes
    await first.refresh(GUILD)

    assert len(dropin.announcer.delivered) == 1
    assert {c.announcement.nonce for c in dropin.announcer.calls} == {post_nonce(GUILD, KEY, "reminder-1440")}


async def test_concurrent_refreshes_in_one_process_post_once(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(REMINDER_DAY)

    await asyncio.gather(*(dropin.service.refresh(GUILD) for _ in range(3)))

    assert len(dropin.announcer.calls) == 1


# --- crash between claim and send --------------------------------------------------------------


@pytest.mark.parametrize("retry_after", [timedelta(minutes=1), NONCE_WINDOW - timedelta(seconds=1)])
async def test_failed_send_is_retried_with_the_same_nonce_and_then_recorded(
    dropin: Harness, retry_after: timedelta
) -> None:
    await dropin.configure()
    dropin.announcer.fail_next = 1
    (failed,) = await dropin.refresh_at(REMINDER_DAY)

    (retried,) = await dropin.refresh_at(REMINDER_DAY + retry_after)

    assert failed.message_id is None
    assert retried.announcement.nonce == failed.announcement.nonce
    (record,) = await dropin.post_records()
    assert record.message_id == retried.message_id is not None


async def test_retried_post_is_not_sent_a_third_time(dropin: Harness) -> None:
    await dropin.configure()
    dropin.announcer.fail_next = 1
    await dropin.refresh_at(REMINDER_DAY)
    await dropin.refresh_at(REMINDER_DAY + timedelta(minutes=1))

    assert await dropin.refresh_at(REMINDER_DAY + timedelta(minutes=2)) == []


async def test_claim_left_by_a_crashed_process_is_sent_by_the_next_one_with_its_nonce(
    dropin: Harness,
) -> None:
    await dropin.configure()
    nonce = post_nonce(GUILD, KEY, "reminder-1440")
    async with dropin.sessions.begin() as session:
        await DropinRepository(session).claim_post(GUILD, KEY, "reminder-1440", nonce, False, REMINDER_DAY)
    dropin.clock.set(REMINDER_DAY + timedelta(minutes=2))

    await dropin.process().refresh(GUILD)

    (call,) = dropin.announcer.calls
    assert call.announcement.nonce == nonce
    (record,) = await dropin.post_records()
    assert record.message_id == call.message_id


async def test_a_start_post_that_failed_is_posted_late_after_a_long_restart(dropin: Harness) -> None:
    # Past the nonce window Discord no longer deduplicates: the channel is read first, then it is sent.
    await dropin.configure()
    dropin.announcer.fail_next = 1
    await dropin.refresh_at(START)

    (call,) = await dropin.refresh_at(START + timedelta(minutes=30))

    assert call.message_id is not None and call.announcement.nonce == post_nonce(GUILD, KEY, "start")
    assert dropin.announcer.searches == [call.announcement.nonce]
    assert "late" in " ".join(e.description for e in call.announcement.embeds).lower()


async def test_a_post_whose_answer_was_lost_is_found_in_the_channel_and_not_sent_twice(
    dropin: Harness,
) -> None:
    await dropin.configure()
    dropin.announcer.lose_reply_next = 1
    (lost,) = await dropin.refresh_at(START)

    assert await dropin.refresh_at(START + NONCE_WINDOW + timedelta(minutes=1)) == []

    (record,) = [r for r in await dropin.post_records() if r.slug == "start"]
    assert record.message_id == lost.message_id is not None


async def test_an_unconfirmed_start_post_is_dropped_once_the_meeting_ended(dropin: Harness) -> None:
    await dropin.configure()
    dropin.announcer.fail_next = 1
    await dropin.refresh_at(START)

    assert await dropin.refresh_at(END + timedelta(minutes=1)) == []


async def test_an_unconfirmed_reminder_gives_way_to_the_next_post_due(dropin: Harness) -> None:
    await dropin.configure()
    dropin.announcer.fail_next = 1
    await dropin.refresh_at(REMINDER_DAY)

    calls = await dropin.refresh_at(REMINDER_15 + timedelta(minutes=1))

    assert [c.announcement.nonce for c in calls] == [post_nonce(GUILD, KEY, "reminder-15")]


async def test_failed_send_sets_a_timer_to_retry_within_the_nonce_window(dropin: Harness) -> None:
    await dropin.configure()
    dropin.announcer.fail_next = 1

    await dropin.refresh_at(REMINDER_DAY)

    assert dropin.timers.last.when < REMINDER_DAY + NONCE_WINDOW


async def test_retry_of_an_on_time_post_is_not_marked_late(dropin: Harness) -> None:
    await dropin.configure()
    dropin.announcer.fail_next = 1
    (failed,) = await dropin.refresh_at(REMINDER_DAY)

    (retried,) = await dropin.refresh_at(REMINDER_DAY + timedelta(minutes=1))

    assert retried.announcement.embeds == failed.announcement.embeds


# --- downtime ----------------------------------------------------------------------------------


async def test_after_downtime_past_two_reminders_one_late_post(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)

    calls = await dropin.refresh_at(REMINDER_15 + timedelta(minutes=3))

    (call,) = calls
    assert call.announcement.nonce == post_nonce(GUILD, KEY, "reminder-15")
    english, french = call.announcement.embeds
    assert english.description.startswith("_Posted late: the bot was offline at the planned time._")
    assert french.description.startswith("_Publié en retard")
    (record,) = await dropin.post_records()
    assert (record.slug, record.late) == ("reminder-15", True)


async def test_after_downtime_no_catch_up_when_the_start_post_is_minutes_away(dropin: Harness) -> None:
    await dropin.configure()

    assert await dropin.refresh_at(START - timedelta(minutes=8)) == []
    assert dropin.timers.last.when == START


async def test_after_a_late_catch_up_the_start_post_is_on_time(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(REMINDER_15 + timedelta(minutes=3))

    (call,) = await dropin.refresh_at(START)

    assert call.announcement.embeds[0].title == "The weekly drop-in is starting now"
    assert "Posted late" not in call.announcement.embeds[0].description


async def test_only_one_late_catch_up_per_occurrence(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(REMINDER_15 + timedelta(minutes=3))  # late reminder

    # Offline again over the start: a second catch-up would be noise.
    assert await dropin.refresh_at(START + timedelta(minutes=20)) == []


async def test_no_catch_up_after_the_meeting_ended(dropin: Harness) -> None:
    await dropin.configure()

    assert await dropin.refresh_at(START + timedelta(minutes=90)) == []


# --- timers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "wake"),
    [
        (REMINDER_DAY - timedelta(hours=1), REMINDER_DAY),
        (REMINDER_15 - timedelta(hours=2), REMINDER_15),
        (REMINDER_15, START),
        (START, START + timedelta(minutes=60)),  # the note-taker reminder, as the minuted hour ends
        (START + timedelta(minutes=61), START + timedelta(minutes=61) + SAFETY_WAKEUP),  # then days away
    ],
)
async def test_refresh_sets_the_guild_timer_to_the_next_due_post(
    dropin: Harness, now: datetime, wake: datetime
) -> None:
    await dropin.configure()

    await dropin.refresh_at(now)

    last = dropin.timers.last
    assert (last.job_id, last.when, last.args) == (f"dropin:{GUILD}", wake, (GUILD,))


async def test_timer_never_sleeps_longer_than_the_safety_wakeup(dropin: Harness) -> None:
    await dropin.configure()

    await dropin.refresh_at(BEFORE)

    assert dropin.timers.last.when == BEFORE + SAFETY_WAKEUP


async def test_the_timer_callback_refreshes_and_posts(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(REMINDER_DAY - timedelta(hours=1))
    timer = dropin.timers.last
    dropin.clock.set(timer.when)

    await timer.func(*timer.args)

    assert [c.announcement.nonce for c in dropin.announcer.calls] == [post_nonce(GUILD, KEY, "reminder-1440")]


async def test_a_refresh_failure_in_the_timer_retries_in_a_minute(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(REMINDER_DAY)

    async def crash() -> None:
        raise ConnectionResetError("network down")

    dropin.announcer.during_post = crash
    await dropin.service.start_all()  # each guild goes through the timer's entry point

    assert dropin.timers.last.when == REMINDER_DAY + timedelta(minutes=1)


async def test_refresh_of_a_guild_without_schedule_cancels_its_timer(dropin: Harness) -> None:
    await dropin.service.refresh(OTHER_GUILD)

    assert dropin.timers.cancelled == [f"dropin:{OTHER_GUILD}"]
    assert dropin.timers.calls == []


async def test_start_all_reconciles_every_guild_with_a_schedule(dropin: Harness) -> None:
    await dropin.configure(GUILD)
    await dropin.configure(OTHER_GUILD, channel_id=CHANNEL + 1)
    dropin.clock.set(REMINDER_DAY)
    timers = FakeTimers()

    await dropin.process(timers=timers).start_all()

    assert sorted(c.channel_id for c in dropin.announcer.calls) == [CHANNEL, CHANNEL + 1]
    assert {c.job_id for c in timers.calls} == {f"dropin:{GUILD}", f"dropin:{OTHER_GUILD}"}


async def test_the_note_taker_is_reminded_once_when_the_minuted_hour_ends(dropin: Harness) -> None:
    review_channel = 1_300_000_000_000_000_001
    await dropin.configure()
    await dropin.settings.bootstrap(GUILD, channels={ChannelPurpose.MINUTES_REVIEW: review_channel}, roles={})

    before = await dropin.refresh_at(START + timedelta(minutes=59))
    first = await dropin.refresh_at(START + timedelta(minutes=60))
    again = await dropin.refresh_at(START + timedelta(minutes=61))

    assert [c for c in before if c.channel_id == review_channel] == []
    assert [c.channel_id for c in first] == [review_channel]
    assert "minuted hour is over" in first[0].announcement.embeds[0].title
    assert again == []


async def test_a_skipped_week_has_no_note_taker_reminder(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.settings.bootstrap(
        GUILD, channels={ChannelPurpose.MINUTES_REVIEW: 1_300_000_000_000_000_001}, roles={}
    )
    dropin.clock.set(BEFORE)
    await dropin.service.skip(GUILD, KEY.isoformat(), "holiday")

    assert await dropin.refresh_at(START + timedelta(minutes=60)) == []

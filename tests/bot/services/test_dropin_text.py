"""bot/services/dropin_text.py: what drop-in posts and Discord events say."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain.dropin import DropinException, DropinSchedule, PlannedPost, PostKind, build_occurrence
from bot.domain.reminders import ReminderOffsets
from bot.i18n import Catalog, Lang
from bot.services.dropin_text import EVENT_DESCRIPTION_MAX, EVENT_NAME_MAX, DropinText

LINK = "https://zoom.us/j/85012345678"
SCHEDULE = DropinSchedule(guild_id=1, join_url=LINK)
KEY = date(2026, 12, 3)
HELD = build_occurrence(SCHEDULE, KEY, None)
FOLLOWING = build_occurrence(SCHEDULE, date(2026, 12, 10), None)


@pytest.fixture(scope="module")
def text() -> DropinText:
    return DropinText(Catalog.load())


@pytest.mark.parametrize(
    ("key", "english", "french"),
    [
        (
            date(2026, 12, 3),
            "PT 10:00 · MT 11:00 · CT 12:00 · ET 12:00 · AT 13:00 · NT 13:30",
            "HP 10 h · HR 11 h · HC 12 h · HE 12 h · HA 13 h · HT 13 h 30",
        ),
        (
            date(2026, 7, 2),
            "PT 9:00 · MT 10:00 · CT 11:00 · ET 12:00 · AT 13:00 · NT 13:30",
            "HP 9 h · HR 10 h · HC 11 h · HE 12 h · HA 13 h · HT 13 h 30",
        ),
    ],
    ids=["winter", "summer"],
)
def test_details_carry_the_canada_line_in_each_language(
    text: DropinText, key: date, english: str, french: str
) -> None:
    occurrence = build_occurrence(SCHEDULE, key, None)

    assert english in text.details(SCHEDULE, occurrence, "en").description
    assert french in text.details(SCHEDULE, occurrence, "fr").description


def test_details_show_the_discord_timestamps(text: DropinText) -> None:
    unix = int(datetime(2026, 12, 3, 17, tzinfo=UTC).timestamp())

    description = text.details(SCHEDULE, HELD, "en").description

    assert f"**When:** <t:{unix}:F> (<t:{unix}:R>)" in description


@pytest.mark.parametrize(
    ("duration", "minuted", "expected"),
    [
        (90, 60, "The first 60 minutes are minuted, then 30 informal minutes follow."),
        (120, 45, "then 75 informal"),
    ],
)
def test_details_say_what_to_expect(text: DropinText, duration: int, minuted: int, expected: str) -> None:
    schedule = replace(SCHEDULE, duration_minutes=duration, minuted_minutes=minuted)

    description = text.details(schedule, build_occurrence(schedule, KEY, None), "en").description

    assert expected in description
    assert "cameras and speaking are optional" in description


@pytest.mark.parametrize(
    ("meeting_id", "passcode", "expected", "absent"),
    [
        ("850 1234 5678", "nss", "Meeting ID 850 1234 5678 · Passcode nss", None),
        ("850 1234 5678", "", "Meeting ID 850 1234 5678", "Passcode"),
        ("", "nss", LINK, "Passcode"),
    ],
)
def test_join_line_shows_meeting_id_and_passcode_when_set(
    text: DropinText, meeting_id: str, passcode: str, expected: str, absent: str | None
) -> None:
    schedule = replace(SCHEDULE, meeting_id=meeting_id, passcode=passcode)

    description = text.details(schedule, HELD, "en").description

    assert f"**Join on Zoom:** {LINK}" in description
    assert expected in description
    assert absent is None or absent not in description


def test_without_a_link_the_post_says_facilitators_will_share_it(text: DropinText) -> None:
    description = text.details(replace(SCHEDULE, join_url=""), HELD, "en").description

    assert "The join link will be shared by the facilitators." in description
    assert "Join on Zoom" not in description


@pytest.mark.parametrize(
    ("exception", "line"),
    [
        (DropinException(key=KEY, note="Guest: a nurse"), "**This week:** Guest: a nurse"),
        (DropinException(key=KEY, moved_to=time(14)), "**This week only:** a different time than usual."),
    ],
    ids=["note", "moved"],
)
def test_details_mention_this_weeks_change(text: DropinText, exception: DropinException, line: str) -> None:
    occurrence = build_occurrence(SCHEDULE, KEY, exception)

    assert line in text.details(SCHEDULE, occurrence, "en").description
    assert line not in text.details(SCHEDULE, HELD, "en").description


@pytest.mark.parametrize("late", [True, False])
def test_late_line_opens_the_post_only_when_late(text: DropinText, late: bool) -> None:
    description = text.details(SCHEDULE, HELD, "en", late=late).description

    assert description.startswith("_Posted late") is late


def test_skipped_notice_without_reason_or_next_has_a_non_empty_description(text: DropinText) -> None:
    skipped = build_occurrence(SCHEDULE, KEY, DropinException(key=KEY, skipped=True))

    embed = text.skipped(skipped, None, "fr")

    assert embed.title == "Pas de rencontre cette semaine (jeudi 3 décembre 2026)"
    assert embed.description
    assert "Pourquoi" not in embed.description
    assert "Prochaine" not in embed.description


@pytest.mark.parametrize(
    ("kind", "minutes", "title"),
    [
        (PostKind.REMINDER, 1440, "Weekly drop-in: Thursday, December 3, 2026"),
        (PostKind.START, 0, "The weekly drop-in is starting now"),
        (PostKind.SKIPPED, 1440, "No drop-in this week (Thursday, December 3, 2026)"),
    ],
)
def test_announcement_title_follows_the_post_kind(
    text: DropinText, kind: PostKind, minutes: int, title: str
) -> None:
    post = PlannedPost(kind, HELD.start - timedelta(minutes=minutes), minutes)

    announcement = text.announcement(
        SCHEDULE, HELD, post, language="en", late=False, nonce="n", topics=(), following=FOLLOWING
    )

    assert [e.title for e in announcement.embeds] == [title]
    assert announcement.nonce == "n"


def test_event_text_fits_discord_limits_even_with_a_long_note(text: DropinText) -> None:
    noted = build_occurrence(SCHEDULE, KEY, DropinException(key=KEY, note="n" * 1000))

    spec = text.event(SCHEDULE, noted, "both")

    assert len(spec.name) <= EVENT_NAME_MAX
    assert len(spec.description) <= EVENT_DESCRIPTION_MAX
    assert (spec.start, spec.end, spec.location) == (noted.start, noted.end, LINK)


# --- replies to /dropin commands -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "lang", "line"),
    [
        ((1440, 60, 10), "en", "**Reminders:** 1 day, 1 hour, 10 minutes before, and at the start"),
        ((2880, 15), "fr", "**Rappels\u00a0:** 2\u00a0jours, 15\u00a0minutes avant, et au début"),
        ((), "en", "**Reminders:** only at the start"),
    ],
)
def test_the_reminder_line_speaks_the_offsets(
    text: DropinText, minutes: tuple[int, ...], lang: Lang, line: str
) -> None:
    assert text.reminders_line(replace(SCHEDULE, reminder_minutes=minutes), lang) == line


def test_next_ends_with_the_reminders_and_the_latest_minutes(text: DropinText) -> None:
    (embed,) = text.next(SCHEDULE, HELD, FOLLOWING, "en", (date(2026, 11, 26), "https://discord.com/x"))

    *_, reminders, minutes = embed.description.splitlines()
    assert reminders.startswith("**Reminders:** 1 day, 15 minutes before")
    assert minutes == "Minutes of the Thursday, November 26, 2026 drop-in: https://discord.com/x"


def test_next_over_a_skipped_week_shows_its_notice_then_the_following_one(text: DropinText) -> None:
    skipped = build_occurrence(SCHEDULE, KEY, DropinException(KEY, skipped=True, reason="Holiday"))

    notice, details = text.next(SCHEDULE, skipped, FOLLOWING, "en")

    assert "Holiday" in notice.description and "Reminders" not in notice.description
    assert "**Reminders:**" in details.description


def test_next_answers_each_language_in_its_own_even_when_asked_in_turn(text: DropinText) -> None:
    (english,) = text.next(SCHEDULE, HELD, FOLLOWING, "en")
    (french,) = text.next(SCHEDULE, HELD, FOLLOWING, "fr")

    assert "**Reminders:**" in english.description and "**Rappels\u00a0:**" in french.description


def test_next_with_newer_minutes_links_to_them(text: DropinText) -> None:
    text.next(SCHEDULE, HELD, FOLLOWING, "en", (date(2026, 11, 19), "https://discord.com/old"))

    (embed,) = text.next(SCHEDULE, HELD, FOLLOWING, "en", (date(2026, 11, 26), "https://discord.com/new"))

    assert embed.description.endswith("https://discord.com/new")


def test_info_lists_the_reminders_in_words(text: DropinText) -> None:
    body = text.info(SCHEDULE, 42, "fr").description

    assert "1\u00a0jour, 15\u00a0minutes avant" in body and "<#42>" in body


def test_say_renders_dates_and_offsets_for_the_reader(text: DropinText) -> None:
    said = text.say("fr", "dropin.reminders.saved", offsets=ReminderOffsets((60,)), start=HELD.start)

    assert said.startswith("Les rappels seront publiés 1\u00a0heure avant") and "<t:1796317200:F>" in said

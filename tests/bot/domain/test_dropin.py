"""bot/domain/dropin.py: wall-clock occurrences, exceptions, which post is due when, and input parsing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain.dropin import (
    CATCH_UP_SKIP_WINDOW,
    LATE_AFTER,
    DropinException,
    DropinSchedule,
    DuePost,
    Occurrence,
    PlannedPost,
    PostKind,
    build_occurrence,
    check_duration,
    check_join_url,
    next_wakeup,
    occurrence_dates,
    parse_date,
    parse_time,
    parse_weekday,
    parse_zone,
    planned_posts,
    post_due_now,
    post_nonce,
    require_occurrence,
    upcoming,
)
from bot.errors import UserError

GUILD = 111111111111111111
SCHEDULE = DropinSchedule(guild_id=GUILD, join_url="https://zoom.us/j/85012345678")
# Thursday 2026-12-03, 12:00 in Toronto (EST, UTC-5): 17:00 UTC, ends 18:30 UTC.
KEY = date(2026, 12, 3)
START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
END = START + timedelta(minutes=90)
REMINDER_DAY = START - timedelta(minutes=1440)
REMINDER_15 = START - timedelta(minutes=15)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def occurrence(skipped: bool = False) -> Occurrence:
    exception = DropinException(key=KEY, skipped=True, reason="holiday") if skipped else None
    return build_occurrence(SCHEDULE, KEY, exception)


# --- occurrences in wall-clock time ------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        pytest.param(utc(2026, 3, 4), [utc(2026, 3, 5, 17), utc(2026, 3, 12, 16)], id="2026-spring-forward"),
        pytest.param(utc(2026, 10, 28), [utc(2026, 10, 29, 16), utc(2026, 11, 5, 17)], id="2026-fall-back"),
        pytest.param(
            utc(2027, 3, 10), [utc(2027, 3, 11, 17), utc(2027, 3, 18, 16)], id="2027-spring-forward"
        ),
        pytest.param(utc(2027, 11, 3), [utc(2027, 11, 4, 16), utc(2027, 11, 11, 17)], id="2027-fall-back"),
        pytest.param(utc(2026, 12, 30), [utc(2026, 12, 31, 17), utc(2027, 1, 7, 17)], id="year-boundary"),
    ],
)
def test_thursday_noon_toronto_keeps_noon_local_across_dst_and_new_year(
    now: datetime, expected: list[datetime]
) -> None:
    found = upcoming(SCHEDULE, {}, now, 2)

    assert [o.start for o in found] == expected
    assert [o.start.astimezone(SCHEDULE.zone).time() for o in found] == [time(12, 0)] * 2
    assert all(o.key.weekday() == 3 for o in found)


@pytest.mark.parametrize(
    ("key", "expected_start"),
    [(date(2026, 7, 2), utc(2026, 7, 2, 16)), (date(2026, 12, 3), utc(2026, 12, 3, 17))],
    ids=["summer-edt", "winter-est"],
)
def test_occurrence_ends_duration_after_its_start(key: date, expected_start: datetime) -> None:
    built = build_occurrence(SCHEDULE, key, None)

    assert (built.start, built.end) == (expected_start, expected_start + timedelta(minutes=90))
    assert built.start.tzinfo is UTC


def test_occurrence_dates_start_a_week_early_so_a_running_one_is_seen() -> None:
    assert occurrence_dates(SCHEDULE, START + timedelta(minutes=30), 2) == [
        date(2026, 11, 26),
        date(2026, 12, 3),
        date(2026, 12, 10),
        date(2026, 12, 17),
    ]


@pytest.mark.parametrize(
    ("include_running", "expected_first"), [(False, date(2026, 12, 10)), (True, date(2026, 12, 3))]
)
def test_upcoming_lists_a_running_occurrence_only_when_asked(
    include_running: bool, expected_first: date
) -> None:
    found = upcoming(SCHEDULE, {}, START + timedelta(minutes=30), 3, include_running=include_running)

    assert found[0].key == expected_first
    assert len(found) == 3


def test_upcoming_drops_an_occurrence_once_it_has_ended() -> None:
    assert upcoming(SCHEDULE, {}, END, 1, include_running=True)[0].key == date(2026, 12, 10)


def test_moved_occurrence_keeps_its_key_and_changes_its_start() -> None:
    moved = DropinException(key=KEY, moved_to=time(14, 30))

    found = upcoming(SCHEDULE, {KEY: moved}, utc(2026, 12, 1), 2)

    assert found[0].key == KEY
    assert found[0].start == utc(2026, 12, 3, 19, 30)
    assert found[0].end == utc(2026, 12, 3, 21, 0)
    assert found[0].moved is True
    assert (found[1].key, found[1].start, found[1].moved) == (
        date(2026, 12, 10),
        utc(2026, 12, 10, 17),
        False,
    )


def test_move_to_the_regular_time_is_not_reported_as_moved() -> None:
    built = build_occurrence(SCHEDULE, KEY, DropinException(key=KEY, moved_to=time(12, 0)))

    assert (built.start, built.moved) == (START, False)


def test_exception_carries_skip_reason_and_note_into_the_occurrence() -> None:
    exception = DropinException(key=KEY, skipped=True, reason="holiday", note="see you next week")

    built = build_occurrence(SCHEDULE, KEY, exception)

    assert (built.skipped, built.reason, built.note) == (True, "holiday", "see you next week")


# --- planned posts ----------------------------------------------------------------------------


def test_planned_posts_are_the_reminders_then_start_in_time_order() -> None:
    posts = planned_posts(SCHEDULE, occurrence())

    assert posts == [
        PlannedPost(PostKind.REMINDER, REMINDER_DAY, 1440),
        PlannedPost(PostKind.REMINDER, REMINDER_15, 15),
        PlannedPost(PostKind.START, START),
    ]
    assert [p.slug for p in posts] == ["reminder-1440", "reminder-15", "start"]


def test_planned_posts_ignore_the_order_reminders_were_given_in() -> None:
    schedule = DropinSchedule(guild_id=GUILD, reminder_minutes=(15, 60, 1440))

    posts = planned_posts(schedule, build_occurrence(schedule, KEY, None))

    assert [p.slug for p in posts] == ["reminder-1440", "reminder-60", "reminder-15", "start"]


@pytest.mark.parametrize(
    ("reminders", "lead"), [((1440, 15), 1440), ((15, 60), 60), ((), 0)], ids=["default", "unordered", "none"]
)
def test_skipped_occurrence_plans_exactly_one_notice_at_the_earliest_reminder(
    reminders: tuple[int, ...], lead: int
) -> None:
    schedule = DropinSchedule(guild_id=GUILD, reminder_minutes=reminders)
    skipped = build_occurrence(schedule, KEY, DropinException(key=KEY, skipped=True))

    assert planned_posts(schedule, skipped) == [
        PlannedPost(PostKind.SKIPPED, START - timedelta(minutes=lead), lead)
    ]


# --- post_due_now: on time, already posted, catch-up ------------------------------------------


@pytest.mark.parametrize(
    ("now", "slug"),
    [
        (REMINDER_DAY, "reminder-1440"),
        (REMINDER_15, "reminder-15"),
        (REMINDER_15 + LATE_AFTER, "reminder-15"),
        (START, "start"),
    ],
    ids=["24h-reminder", "15m-reminder", "15m-reminder-2-min-later", "start"],
)
def test_post_made_on_time_is_not_late(now: datetime, slug: str) -> None:
    due = post_due_now(SCHEDULE, occurrence(), now, frozenset())

    assert due is not None
    assert (due.post.slug, due.late) == (slug, False)


def test_nothing_is_due_before_the_first_reminder() -> None:
    assert post_due_now(SCHEDULE, occurrence(), REMINDER_DAY - timedelta(seconds=1), frozenset()) is None


@pytest.mark.parametrize(
    ("now", "already"),
    [
        (REMINDER_15, {"reminder-15"}),
        (REMINDER_15 + timedelta(minutes=5), {"reminder-1440", "reminder-15"}),
        (START, {"start"}),
        # A later post was made (e.g. by another process whose clock ran ahead): no going back.
        (REMINDER_15, {"start"}),
    ],
    ids=["same-post", "all-so-far", "start", "later-post-already-made"],
)
def test_nothing_is_due_once_posted(now: datetime, already: set[str]) -> None:
    assert post_due_now(SCHEDULE, occurrence(), now, frozenset(already)) is None


def test_after_downtime_only_the_latest_overdue_post_is_made_and_marked_late() -> None:
    # Offline through both reminders; back 3 minutes after the 15-minute one, 12 minutes before the start.
    now = REMINDER_15 + timedelta(minutes=3)

    assert post_due_now(SCHEDULE, occurrence(), now, frozenset()) == DuePost(
        PlannedPost(PostKind.REMINDER, REMINDER_15, 15), late=True
    )


# --- a changed plan is not downtime ------------------------------------------------------------


def test_a_post_whose_time_passed_before_the_plan_changed_is_never_made() -> None:
    # The 15-minute reminder is added 5 minutes after its time: nothing, rather than "posted late".
    replanned = replace(SCHEDULE, plan_from=REMINDER_15 + timedelta(minutes=5))
    now = REMINDER_15 + timedelta(minutes=5)

    assert post_due_now(replanned, build_occurrence(replanned, KEY, None), now, frozenset()) is None


def test_a_post_due_after_the_plan_changed_is_made_on_time() -> None:
    replanned = replace(SCHEDULE, plan_from=REMINDER_15 - timedelta(minutes=5))

    due = post_due_now(replanned, build_occurrence(replanned, KEY, None), REMINDER_15, frozenset())

    assert due == DuePost(PlannedPost(PostKind.REMINDER, REMINDER_15, 15), late=False)


def test_downtime_after_a_plan_change_is_still_caught_up_as_late() -> None:
    replanned = replace(SCHEDULE, plan_from=REMINDER_DAY - timedelta(hours=1))
    now = REMINDER_15 + timedelta(minutes=3)  # offline through both reminders

    due = post_due_now(replanned, build_occurrence(replanned, KEY, None), now, frozenset())

    assert due == DuePost(PlannedPost(PostKind.REMINDER, REMINDER_15, 15), late=True)


def test_a_week_brought_back_after_its_reminders_passed_posts_only_what_is_still_ahead() -> None:
    unskipped = DropinException(KEY, plan_from=REMINDER_15 + timedelta(minutes=1))
    occurrence = build_occurrence(SCHEDULE, KEY, unskipped)

    assert post_due_now(SCHEDULE, occurrence, REMINDER_15 + timedelta(minutes=1), frozenset()) is None
    assert post_due_now(SCHEDULE, occurrence, START, frozenset()) == DuePost(
        PlannedPost(PostKind.START, START), late=False
    )


def test_a_skip_notice_decided_after_the_first_reminder_time_is_still_posted() -> None:
    skipped = DropinException(KEY, skipped=True, reason="holiday", plan_from=REMINDER_15)
    occurrence = build_occurrence(SCHEDULE, KEY, skipped)

    due = post_due_now(SCHEDULE, occurrence, REMINDER_15, frozenset())

    assert due is not None and due.post.kind is PostKind.SKIPPED


@pytest.mark.parametrize(
    ("created", "key", "held"),
    [
        (None, date(2020, 1, 2), True),
        (utc(2026, 11, 30, 15), date(2026, 11, 26), False),
        (utc(2026, 12, 3, 20), date(2026, 12, 3), True),  # created later the same local day
        (utc(2026, 12, 4, 2), date(2026, 12, 3), True),  # 21:00 on Dec 3 in Toronto
    ],
    ids=["unknown-creation", "before-creation", "same-day", "same-local-day"],
)
def test_held_since_compares_local_days(created: datetime | None, key: date, held: bool) -> None:
    assert replace(SCHEDULE, created_at=created).held_since(key) is held


def test_late_start_post_is_made_while_the_meeting_runs() -> None:
    due = post_due_now(SCHEDULE, occurrence(), START + timedelta(minutes=30), frozenset({"reminder-15"}))

    assert due == DuePost(PlannedPost(PostKind.START, START), late=True)


@pytest.mark.parametrize(
    "now",
    [START - CATCH_UP_SKIP_WINDOW, START - timedelta(minutes=5), START - timedelta(seconds=1)],
    ids=["exactly-10-min-before-next", "5-min-before-next", "1-s-before-next"],
)
def test_no_catch_up_when_the_next_post_is_due_within_ten_minutes(now: datetime) -> None:
    assert post_due_now(SCHEDULE, occurrence(), now, frozenset()) is None


def test_catch_up_just_outside_the_ten_minute_window_is_made() -> None:
    now = START - CATCH_UP_SKIP_WINDOW - timedelta(seconds=1)

    due = post_due_now(SCHEDULE, occurrence(), now, frozenset())

    assert due is not None
    assert (due.post.slug, due.late) == ("reminder-15", True)


@pytest.mark.parametrize("now", [END, END + timedelta(minutes=1), END + timedelta(days=1)])
def test_no_post_after_the_meeting_ended(now: datetime) -> None:
    assert post_due_now(SCHEDULE, occurrence(), now, frozenset()) is None


@pytest.mark.parametrize(
    "now",
    [
        REMINDER_DAY,
        REMINDER_DAY + timedelta(hours=3),
        START - timedelta(minutes=5),
        START - timedelta(seconds=1),
    ],
    ids=["at-lead-time", "3-h-after", "5-min-before-start", "1-s-before-start"],
)
def test_skip_notice_is_never_late(now: datetime) -> None:
    due = post_due_now(SCHEDULE, occurrence(skipped=True), now, frozenset())

    assert due == DuePost(PlannedPost(PostKind.SKIPPED, REMINDER_DAY, 1440), late=False)


@pytest.mark.parametrize("now", [START, START + timedelta(minutes=30), END])
def test_no_skip_notice_once_the_meeting_would_have_started(now: datetime) -> None:
    assert post_due_now(SCHEDULE, occurrence(skipped=True), now, frozenset()) is None


def test_skip_notice_is_made_once() -> None:
    assert post_due_now(SCHEDULE, occurrence(skipped=True), REMINDER_15, frozenset({"skipped"})) is None


@pytest.mark.parametrize(
    ("caught_up_before", "expected"),
    [(False, DuePost(PlannedPost(PostKind.START, START), late=True)), (True, None)],
)
def test_at_most_one_late_catch_up_per_occurrence(caught_up_before: bool, expected: DuePost | None) -> None:
    now = START + timedelta(minutes=20)

    due = post_due_now(
        SCHEDULE, occurrence(), now, frozenset({"reminder-1440"}), caught_up_before=caught_up_before
    )

    assert due == expected


def test_an_earlier_catch_up_does_not_stop_an_on_time_post() -> None:
    due = post_due_now(SCHEDULE, occurrence(), START, frozenset({"reminder-15"}), caught_up_before=True)

    assert due == DuePost(PlannedPost(PostKind.START, START), late=False)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 12, 1), REMINDER_DAY),
        (REMINDER_DAY, REMINDER_15),
        (REMINDER_15, START),
        # After the start, the next occurrence's 24-hour reminder.
        (START, utc(2026, 12, 9, 17)),
    ],
)
def test_next_wakeup_is_the_earliest_future_due_time(now: datetime, expected: datetime) -> None:
    found = upcoming(SCHEDULE, {}, now, 3, include_running=True)

    assert next_wakeup(SCHEDULE, found, now) == expected


def test_next_wakeup_without_occurrences_is_none() -> None:
    assert next_wakeup(SCHEDULE, [], START) is None


# --- what facilitators type -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12:00", time(12, 0)),
        ("9:30", time(9, 30)),
        ("09:30", time(9, 30)),
        ("13h30", time(13, 30)),
        ("13 h 30", time(13, 30)),
        ("13 h", time(13, 0)),
        (" 23:59 ", time(23, 59)),
        ("0:00", time(0, 0)),
    ],
)
def test_parse_time_accepts_24_hour_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["", "noon", "24:00", "12:60", "1200", "12", "12:5", "-1:00", "12:00pm", "12:00:00", "ab:cd"]
)
def test_parse_time_rejects_malformed_times(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_time(text)

    assert caught.value.key == "dropin.error.bad_time"
    assert caught.value.params == {"value": text}


def test_parse_date_reads_iso_dates() -> None:
    assert parse_date(" 2026-12-03 ") == KEY


@pytest.mark.parametrize(
    "text", ["", "2026-13-01", "2026-02-30", "next thursday", "03/12/2026", "2026-12-03T12:00"]
)
def test_parse_date_rejects_malformed_dates(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_date(text)

    assert caught.value.key == "dropin.error.bad_date"


@pytest.mark.parametrize("text", ["America/Toronto", "America/Vancouver", " America/St_Johns ", "UTC"])
def test_parse_zone_accepts_iana_names(text: str) -> None:
    assert parse_zone(text) == text.strip()


@pytest.mark.parametrize(
    "text",
    ["", " ", "Mars/Olympus", "Eastern", "america/toronto", "../etc/passwd", "/etc/localtime", "America/"],
)
def test_parse_zone_rejects_unknown_zones(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_zone(text)

    assert caught.value.key == "dropin.error.bad_zone"


@pytest.mark.parametrize("text", ["America", "Etc"])
def test_parse_zone_rejects_a_zone_directory_name(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_zone(text)

    assert caught.value.key == "dropin.error.bad_zone"


@pytest.mark.parametrize(
    ("text", "expected"), [("thursday", 3), ("Monday", 0), (" SUNDAY ", 6), ("wednesday", 2)]
)
def test_parse_weekday_reads_english_day_names(text: str, expected: int) -> None:
    assert parse_weekday(text) == expected


@pytest.mark.parametrize("text", ["", "thu", "thursdays", "someday", "7"])
def test_parse_weekday_rejects_other_text(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_weekday(text)

    assert caught.value.key == "dropin.error.bad_weekday"


@pytest.mark.parametrize(
    "url",
    [
        "https://zoom.us/j/85012345678",
        "https://us02web.zoom.us/j/85012345678?pwd=abc.1",
        " https://zoom.us/j/85012345678 ",
    ],
)
def test_check_join_url_accepts_https_links(url: str) -> None:
    assert check_join_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "http://zoom.us/j/85012345678",
        "zoom.us/j/85012345678",
        "not a link",
        "https://",
        "https://zoom",
        "https://zoom.us/j/1 extra",
        "ftp://zoom.us/j/1",
        "javascript:alert(1)",
        "",
    ],
)
def test_check_join_url_rejects_non_https_and_non_urls(url: str) -> None:
    with pytest.raises(UserError) as caught:
        check_join_url(url)

    assert caught.value.key == "dropin.error.bad_link"


def test_require_occurrence_accepts_a_future_occurrence_date() -> None:
    require_occurrence(SCHEDULE, KEY, START - timedelta(seconds=1))


@pytest.mark.parametrize("day", [date(2026, 12, 2), date(2026, 12, 4), date(2026, 12, 6)])
def test_require_occurrence_rejects_a_day_that_is_not_a_thursday(day: date) -> None:
    with pytest.raises(UserError) as caught:
        require_occurrence(SCHEDULE, day, utc(2026, 11, 1))

    assert caught.value.key == "dropin.error.not_an_occurrence"
    assert caught.value.params["date"] == day


@pytest.mark.parametrize(
    ("day", "now"),
    [(KEY, START), (KEY, START + timedelta(minutes=1)), (date(2026, 11, 26), START)],
    ids=["starting-now", "started", "last-week"],
)
def test_require_occurrence_rejects_a_started_or_past_date(day: date, now: datetime) -> None:
    with pytest.raises(UserError) as caught:
        require_occurrence(SCHEDULE, day, now)

    assert caught.value.key == "dropin.error.past_date"


@pytest.mark.parametrize("minutes", [15, 90, 480])
def test_check_duration_accepts_15_to_480_minutes(minutes: int) -> None:
    assert check_duration(minutes) == minutes


@pytest.mark.parametrize("minutes", [-5, 0, 14, 481, 1440])
def test_check_duration_rejects_out_of_range(minutes: int) -> None:
    with pytest.raises(UserError) as caught:
        check_duration(minutes)

    assert caught.value.key == "dropin.error.bad_duration"


# --- nonces -----------------------------------------------------------------------------------

SLUGS = ["reminder-1440", "reminder-15", "start", "skipped"]


@pytest.mark.parametrize("slug", SLUGS)
def test_post_nonce_fits_discord_and_is_deterministic(slug: str) -> None:
    nonce = post_nonce(GUILD, KEY, slug)

    assert len(nonce) <= 25
    assert nonce == post_nonce(GUILD, KEY, slug)


def test_post_nonce_differs_per_slug_date_and_guild() -> None:
    nonces = {post_nonce(GUILD, KEY, slug) for slug in SLUGS}
    nonces |= {post_nonce(GUILD, date(2026, 12, 10), "start"), post_nonce(GUILD + 1, KEY, "start")}

    assert len(nonces) == len(SLUGS) + 2

"""ReminderOffsets: the one rule for reminder times (parsing, limits, syntax shown, spoken form)."""

from __future__ import annotations

import pytest

from bot.domain.reminders import (
    LIMIT_MAX,
    LIMIT_MIN,
    MAX_COUNT,
    MAX_MINUTES,
    MIN_MINUTES,
    SYNTAX,
    ReminderOffsets,
)
from bot.errors import UserError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h, 1h, 10m", (1440, 60, 10)),
        ("10m,24h", (1440, 10)),
        ("2j, 15min", (2880, 15)),
        ("1 jour, 2 heures, 30 minutes", (1440, 120, 30)),
        ("2 days; 90 mins", (2880, 90)),
        ("1d", (1440,)),
        ("2h,120m", (120,)),
        ("5m, 7d", (MAX_MINUTES, MIN_MINUTES)),
    ],
)
def test_parse_reads_english_and_french_units(text: str, expected: tuple[int, ...]) -> None:
    assert ReminderOffsets.parse(text).minutes == expected


@pytest.mark.parametrize("text", ["", " , ", "24", "24x", "h", "24h,", "-5m", "demain", "1.5h"])
def test_parse_refuses_what_is_not_a_list_of_times(text: str) -> None:
    with pytest.raises(UserError) as caught:
        ReminderOffsets.parse(text)

    assert caught.value.key == "dropin.reminders.error.syntax"
    assert caught.value.params["syntax"] is SYNTAX


def test_parse_refuses_more_than_the_limit() -> None:
    with pytest.raises(UserError) as caught:
        ReminderOffsets.parse("5h, 4h, 3h, 2h, 1h")

    assert (caught.value.key, caught.value.params) == (
        "dropin.reminders.error.too_many",
        {"limit": MAX_COUNT, "count": 5},
    )


@pytest.mark.parametrize("text", ["4m", "0m", "8d", "10081m"])
def test_parse_refuses_offsets_outside_5_minutes_to_7_days(text: str) -> None:
    with pytest.raises(UserError) as caught:
        ReminderOffsets.parse(f"24h, {text}")

    assert caught.value.key == "dropin.reminders.error.out_of_range"
    assert caught.value.params == {"value": text, "min": LIMIT_MIN, "max": LIMIT_MAX}


@pytest.mark.parametrize(
    ("minutes", "en", "fr"),
    [
        ((1440, 60, 10), "24h, 1h, 10m", "24h, 1h, 10min"),
        ((2880, 90), "2d, 90m", "2j, 90min"),
        ((MAX_MINUTES,), "7d", "7j"),
    ],
)
def test_syntax_is_what_a_facilitator_would_type_and_parses_back(
    minutes: tuple[int, ...], en: str, fr: str
) -> None:
    offsets = ReminderOffsets(minutes)

    assert (offsets.syntax("en"), offsets.syntax("fr")) == (en, fr)
    assert ReminderOffsets.parse(en) == ReminderOffsets.parse(fr) == offsets


def test_offsets_are_kept_longest_first_without_duplicates() -> None:
    assert ReminderOffsets((15, 1440, 15)).minutes == (1440, 15)


@pytest.mark.parametrize(
    ("minutes", "spoken"),
    [
        (1440, ((1, "day"),)),
        (90, ((1, "hour"), (30, "minute"))),
        (1800, ((30, "hour"),)),
        (2880, ((2, "day"),)),
        (5, ((5, "minute"),)),
    ],
)
def test_spoken_splits_each_offset_into_units(minutes: int, spoken: tuple[tuple[int, str], ...]) -> None:
    assert ReminderOffsets((minutes,)).spoken() == (spoken,)

"""bot/domain/questions.py: accepting a question's text, flagging urgent ones, the rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.questions import (
    OPEN_STATUSES,
    QuestionStatus,
    check_rate,
    check_text,
    is_urgent,
    random_delay,
)
from bot.errors import UserError

LIMIT = 1800


# --- check_text ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n", "\u3000"])
def test_check_text_refuses_empty_or_blank_text(text: str) -> None:
    with pytest.raises(UserError) as raised:
        check_text(text, LIMIT)
    assert raised.value.key == "questions.error.empty"


def test_check_text_refuses_one_character_over_the_limit_giving_count_and_limit() -> None:
    with pytest.raises(UserError) as raised:
        check_text("x" * (LIMIT + 1), LIMIT)
    assert raised.value.key == "questions.error.too_long"
    assert raised.value.params == {"count": LIMIT + 1, "limit": LIMIT}


@pytest.mark.parametrize("limit", [100, 500])
def test_check_text_uses_the_given_limit(limit: int) -> None:
    with pytest.raises(UserError) as raised:
        check_text("y" * (limit + 5), limit)
    assert raised.value.params == {"count": limit + 5, "limit": limit}


def test_check_text_accepts_exactly_the_limit() -> None:
    assert check_text("x" * LIMIT, LIMIT) == "x" * LIMIT


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("  what is safer supply?  ", "what is safer supply?"),
        ("\n\nline one\nline two\n", "line one\nline two"),
        ("\tquestion", "question"),
    ],
)
def test_check_text_strips_surrounding_whitespace(text: str, cleaned: str) -> None:
    assert check_text(text, LIMIT) == cleaned


def test_check_text_counts_after_stripping() -> None:
    assert check_text("   " + "x" * LIMIT + "   ", LIMIT) == "x" * LIMIT


def test_check_text_keeps_drug_vocabulary_untouched() -> None:
    text = "Is fentanyl in the dope supply here? Where do I get hydromorphone through safer supply?"
    assert check_text(text, LIMIT) == text


# --- is_urgent -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I think my friend is having an overdose",
        "He's overdosing right now what do I do",
        "my roommate is not breathing",
        "I can't breathe after using",
        "i cant breathe",
        "She's unresponsive",
        "his lips are turning blue",
        "I feel suicidal tonight",
        "I want to kill myself",
        "some days I want to die",
        "thinking about self-harm again",
        "it's an emergency",
        "I'm in crisis",
        "we need narcan now",
    ],
)
def test_is_urgent_flags_english_crisis_words(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mon ami fait une surdose",
        "il ne respire pas",
        "elle ne respire plus",
        "Il est inconscient",
        "elle est inconsciente",
        "j'ai envie de mourir",
        "je veux me suicider",
        "je veux en finir",
        "c'est une urgence",
        "je suis en crise",
    ],
)
def test_is_urgent_flags_french_crisis_words(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        "OVERDOSE",
        "OverDose happening",
        "SURDOSE",
        "Il est INCONSCIENT",
        "c'est une URGENCE",
        "I CAN’T BREATHE",  # typographic apostrophe, as phones type it
        "Ne Respire Pas",
    ],
)
def test_is_urgent_ignores_case_and_apostrophe_style(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize(
    "text",
    ["il a fait une surdosé", "Il est inconscïent", "c'est une ùrgence", "ne respìre pas", "SÜRDOSE"],
)
def test_is_urgent_ignores_accents(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        "Where can I get fentanyl test strips?",
        "Are opioids covered by safer supply in Ontario?",
        "How does safer supply work with my pharmacist?",
        "Where can I get naloxone kits?",
        "Is the dope around here cut with benzos?",
        "How long does a high from hydromorphone last?",
        "I use meth and crack, is that OK to mention?",
        "Où trouver de la naloxone et des bandelettes de fentanyl?",
        "L'approvisionnement plus sécuritaire, ça marche comment?",
        "",
    ],
)
def test_is_urgent_does_not_flag_ordinary_drug_vocabulary(text: str) -> None:
    assert not is_urgent(text)


@pytest.mark.parametrize(
    "text", ["Should I call the nonemergency line?", "Is there research on suicidality and opioids?"]
)
def test_is_urgent_matches_whole_words_only(text: str) -> None:
    assert not is_urgent(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("he's OD right now", True),
        ("OD.", True),
        ("(od)", True),
        ("that's odd", False),
        ("my body hurts", False),
        ("code words", False),
        ("a period", False),
    ],
)
def test_is_urgent_extra_words_match_whole_words_only(text: str, expected: bool) -> None:
    assert is_urgent(text, ("od",)) is expected


EXTRA_CASES = [
    ("someone's FALLING OUT", ("falling out",)),
    ("il fait une CRISE CARDIAQUE", ("crise cardiaque",)),
    ("elle est en détresse", ("detresse",)),
    ("elle est en detresse", ("détresse",)),
]


@pytest.mark.parametrize(("text", "extra"), EXTRA_CASES)
def test_is_urgent_flags_extra_words_without_case_or_accents(text: str, extra: tuple[str, ...]) -> None:
    assert is_urgent(text, extra)


@pytest.mark.parametrize(("text", "extra"), EXTRA_CASES)
def test_is_urgent_does_not_flag_those_texts_without_the_extra_words(
    text: str, extra: tuple[str, ...]
) -> None:
    assert not is_urgent(text)


@pytest.mark.parametrize(
    "text",
    ["I think my friend overdosed last night", "two overdoses on my block today", "il a fait deux surdoses"],
)
def test_is_urgent_flags_inflected_overdose_words(text: str) -> None:
    assert is_urgent(text)


# --- check_rate ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("recent", "limit"), [(0, 5), (4, 5), (0, 1)])
def test_check_rate_accepts_below_the_limit(recent: int, limit: int) -> None:
    check_rate(recent, limit)


@pytest.mark.parametrize(("recent", "limit"), [(5, 5), (6, 5), (1, 1)])
def test_check_rate_refuses_at_or_over_the_limit(recent: int, limit: int) -> None:
    with pytest.raises(UserError) as raised:
        check_rate(recent, limit)
    assert raised.value.key == "questions.error.rate_limited"
    assert raised.value.params == {"limit": limit}


# --- statuses --------------------------------------------------------------------------------------


def test_open_statuses_are_pending_and_held() -> None:
    assert set(OPEN_STATUSES) == {QuestionStatus.PENDING, QuestionStatus.HELD}


@pytest.mark.parametrize("status", list(QuestionStatus))
def test_status_values_fit_the_16_character_column(status: QuestionStatus) -> None:
    assert QuestionStatus(status.value) is status
    assert len(status.value) <= 16


def test_random_delays_are_spread_over_the_whole_range() -> None:
    low, high = timedelta(minutes=1), timedelta(minutes=5)
    waits = [random_delay(low, high) for _ in range(200)]

    assert min(waits) >= low and max(waits) <= high
    assert max(waits) - min(waits) > timedelta(minutes=3)


@pytest.mark.parametrize("delay", [timedelta(0), timedelta(seconds=7)])
def test_an_empty_range_gives_its_single_value(delay: timedelta) -> None:
    assert random_delay(delay, delay) == delay

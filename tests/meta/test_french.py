"""Issue 13: French is written in French. OQLF typography, real plurals, « vous », epicene wording,
the glossary's words, checked over every rendered French message and every date and time the bot
renders (docs/fr-style.md holds the rules these tests enforce)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import canada_line
from bot.i18n import default_catalog, placeholders
from bot.i18n.dates import clock, durations, long_datetime, long_day, short_time
from bot.i18n.plural import PLURAL

CATALOG = default_catalog()
FR_KEYS = sorted(CATALOG.keys("fr"))
NBSP = "\u00a0"
# Parameters that carry a count. A French message must put their noun through a plural spec.
COUNTS = {"count", "drafts", "relays", "recorded", "skipped", "published", "held", "raised", "rejected"}
# Counts that can never be one: a text longer than a limit, or the days of a rule that starts at 7.
ALWAYS_MANY = {
    "dropin.error.link_too_long",
    "questions.error.too_long",
    "groups.error.too_long",
    "minutes.error.too_long",
    "groups.inactive",
}


def _rendered(key: str, number: int) -> str:
    template = CATALOG.raw("fr", key) or ""
    return CATALOG.t("fr", key, **dict.fromkeys(placeholders(template), number))


def _all_rendered() -> list[tuple[str, str]]:
    return [(key, _rendered(key, n)) for key in FR_KEYS for n in (0, 1, 2, 12)]


RENDERED = _all_rendered()


def _offenders(pattern: str, flags: int = 0) -> list[str]:
    found = re.compile(pattern, flags)
    return sorted({key for key, text in RENDERED if found.search(text)})


def test_a_colon_is_preceded_by_a_non_breaking_space() -> None:
    assert _offenders(r"[^\u00a0]:(?=[\s*_]|$)") == []


def test_guillemets_hold_non_breaking_spaces() -> None:
    assert _offenders(r"«(?!\u00a0)|(?<!\u00a0)»") == []


def test_no_space_before_semicolon_exclamation_or_question_mark() -> None:
    assert _offenders(r"\s[;!?]") == []


def test_numero_is_no_never_the_degree_sign() -> None:
    assert _offenders(r"°|#\d") == []


def test_no_english_quotes() -> None:
    assert _offenders(r"[“”]") == []


def test_no_parenthesised_plural_or_point_median() -> None:
    assert _offenders(r"\((?:s|e|es|x)\)|\w[·.](?:e|es|s)\b(?!\.)") == []


def test_times_never_show_zero_minutes() -> None:
    assert _offenders(r"\d h 00\b") == []


def test_french_says_vous_never_tu() -> None:
    assert _offenders(r"\b(?:tu|toi|ton|tes|ta)\b", re.IGNORECASE) == []


@pytest.mark.parametrize("key", FR_KEYS)
def test_a_count_agrees_with_its_noun(key: str) -> None:
    """`{count} membres` reads « 1 membres »: counts go through `{count:plural:…}`."""
    template = CATALOG.raw("fr", key) or ""
    bare = re.findall(r"\{(\w+)\}\s+[a-zéèêàç]+[sx]\b", template)

    assert key in ALWAYS_MANY or [name for name in bare if name in COUNTS] == []


@pytest.mark.parametrize(
    ("key", "one", "many"),
    [
        ("members.forget.item.drafts", "1 brouillon supprimé", "2 brouillons supprimés"),
        ("groups.members_count", "1 membre", "2 membres"),
        ("minutes.export_ready", "1 fichier", "2 fichiers"),
        ("questions.unblocked", "1 personne débloquée", "2 personnes débloquées"),
    ],
)
def test_plural_messages_agree_in_both_numbers(key: str, one: str, many: str) -> None:
    assert one in _rendered(key, 1)
    assert many in _rendered(key, 2)


def test_plural_specs_always_have_an_other_form() -> None:
    specs = [
        (key, spec)
        for key in FR_KEYS + sorted(CATALOG.keys("en"))
        for spec in re.findall(r"\{\w+:(plural:[^}]*)\}", CATALOG.raw("fr", key) or "")
    ]
    assert [key for key, spec in specs if "other=" not in spec or not spec.startswith(PLURAL)] == []


# Words the glossary rules out (docs/fr-style.md), and the literal passages the review found.
AVOIDED = [
    r"plus sûr\b",
    r"consomm\w+ des drogues",
    r"toxicoman",
    r"\(animation\)",
    r"se joindre",
    r"\bjoindre\b(?! des fichiers)",
    r"scellée",
    r"Votre suite",
    r"Répondre à la réponse",
    r"Sa note",
    r"L'heure avec compte rendu",
    r"commence maintenant à",
    r"fait mentionner",
    r"devriez en faire partie",
    r"\bTrue\b|\bFalse\b",
    r"oublie-moi",
    r"procès-verbal",
    r"\bdrop-?in\b",
    r"\bfacilitat",
]


@pytest.mark.parametrize("pattern", AVOIDED)
def test_the_catalog_avoids_words_the_glossary_rules_out(pattern: str) -> None:
    assert _offenders(pattern, re.IGNORECASE) == []


# --- rendered dates and times ---------------------------------------------------------------------
TORONTO = ZoneInfo("America/Toronto")
DAYS = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 730, 3)] + [
    date(2026, m, 1) for m in range(1, 13)
]
INSTANTS = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * n) for n in range(0, 96 * 3)]


def test_every_french_date_is_readable_and_says_1er() -> None:
    bad = [
        text
        for day in DAYS
        if (text := long_day(day, "fr")) != text.lower()
        or re.search(r"\d{4}-\d{2}|,", text)
        or (day.day == 1) != (" 1er " in text)
    ]
    assert bad == []


def test_every_french_time_is_h_with_no_zero_minutes() -> None:
    texts = [short_time(moment, "fr", TORONTO) for moment in INSTANTS]

    assert [t for t in texts if not re.fullmatch(r"\d{1,2} h(?: [0-5]\d)?", t) or t.endswith(" h 00")] == []


def test_every_french_canada_line_uses_french_labels_and_times() -> None:
    pattern = r"HP \d+ h( \d\d)? · HR \d+ h( \d\d)? · HC \d+ h( \d\d)? · HE \d+ h( \d\d)? · HA \d+ h( \d\d)? · HT \d+ h( \d\d)?"
    bad = [
        line for m in INSTANTS if not re.fullmatch(pattern, line := canada_line(m, "fr")) or " h 00" in line
    ]

    assert bad == []


def test_the_thursday_canada_line_in_french() -> None:
    noon = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)

    assert canada_line(noon, "fr") == "HP 10 h · HR 11 h · HC 12 h · HE 12 h · HA 13 h · HT 13 h 30"


def test_french_datetime_reads_a() -> None:
    assert (
        long_datetime(datetime(2026, 10, 1, 16, 30, tzinfo=UTC), "fr", TORONTO)
        == "jeudi 1er octobre 2026 à 12 h 30"
    )


def test_french_units() -> None:
    assert (durations((1440, 15), "fr"), clock(13, 30, "fr")) == ("1 j, 15 min", "13 h 30")


def test_english_has_real_plurals_too() -> None:
    assert sorted(key for key in CATALOG.keys("en") if "(s)" in (CATALOG.raw("en", key) or "")) == []

"""bot/i18n/typography.py: OQLF spacing applied to French catalog text."""

from __future__ import annotations

import pytest

from bot.i18n.typography import NBSP, french


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**Quand :** {start}", f"**Quand{NBSP}:** {{start}}"),
        ("**Quand:** {start}", f"**Quand{NBSP}:** {{start}}"),
        ("Salon « {purpose} »", f"Salon «{NBSP}{{purpose}}{NBSP}»"),
        ("«x»", f"«{NBSP}x{NBSP}»"),
        ("Merci !", "Merci!"),
        ("Vraiment ?", "Vraiment?"),
        ("a ; b", "a; b"),
        ("Question n° {number}", "Question no {number}"),
        ("N° 3", "No 3"),
        ("_Publié en retard : oui._", f"_Publié en retard{NBSP}: oui._"),
        ("fin :", f"fin{NBSP}:"),
    ],
)
def test_french_applies_oqlf_spacing(text: str, expected: str) -> None:
    assert french(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://nss-aps.ca",
        "p. ex. 12:00 ou 13:30",
        "HH:MM",
        "<t:1796317200:F>",
        "{count:plural:one=#|other=#}",
    ],
)
def test_french_leaves_colons_that_are_not_punctuation(text: str) -> None:
    assert french(text) == text


def test_french_is_idempotent() -> None:
    once = french("**Quand :** « x » ! n° 3")

    assert french(once) == once

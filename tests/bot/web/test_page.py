"""The page's language choice and its Eastern times (OQLF: `12 h`, `13 h 30`)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.web.page import choose_language, eastern_time, render_minutes

TORONTO = ZoneInfo("America/Toronto")


@pytest.mark.parametrize(
    ("asked", "header", "lang"),
    [
        (None, "fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        (None, "en-US,fr;q=0.5", "en"),
        (None, "de-DE,fr;q=0.3", "fr"),
        (None, "de-DE", "en"),
        (None, "", "en"),
        (None, "en;q=0.2, fr;q=0.8", "fr"),
        ("en", "fr-CA", "en"),
        ("xx", "fr-CA", "fr"),
    ],
)
def test_choose_language(asked: str | None, header: str, lang: str) -> None:
    assert choose_language(asked, header) == lang


@pytest.mark.parametrize(
    ("moment", "lang", "shown"),
    [
        (datetime(2026, 12, 3, 17, 0, tzinfo=UTC), "fr", "12 h (heure de l'Est)"),
        (datetime(2026, 12, 3, 18, 30, tzinfo=UTC), "fr", "13 h 30 (heure de l'Est)"),
        (datetime(2026, 12, 3, 17, 0, tzinfo=UTC), "en", "12:00 p.m. ET"),
        (datetime(2026, 7, 2, 13, 5, tzinfo=UTC), "en", "9:05 a.m. ET"),
    ],
)
def test_eastern_time(moment: datetime, lang: str, shown: str) -> None:
    assert eastern_time(moment, lang, TORONTO) == shown  # type: ignore[arg-type]


def test_minutes_lose_raw_html_and_keep_formatting() -> None:
    html = render_minutes("**Bold** <img src=x onerror=alert(1)> <t:1796317200:F>", TORONTO, "en")

    assert "<strong>Bold</strong>" in html
    assert "<img" not in html  # shown as text at most, never as an element
    assert "<t:" not in html and "&lt;t:" not in html  # the Discord timestamp became a date

"""bot/services/members_text.py and members_chart.py: table, CSV and chart say only what may be said."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from bot.domain.forget import Erased, ForgetReport
from bot.domain.members import CommunityRole, MemberFacts, membership_report
from bot.i18n import default_catalog
from bot.services.members_chart import report_png
from bot.services.members_text import MembersText

TEXT = MembersText(default_catalog())
NURSE = CommunityRole("nurse", "Nurse", "Personnel infirmier")
PHYSICIAN = CommunityRole("physician", "Physician", "Médecin")
MEMBERS = [MemberFacts(frozenset({1}), None)] * 12 + [MemberFacts(frozenset({2}), None)] * 3
REPORT = membership_report(MEMBERS, [(NURSE, 1), (PHYSICIAN, 2)], date(2026, 12, 1))


def test_the_table_shows_small_counts_as_under_the_threshold() -> None:
    table = TEXT.report_table(REPORT, "en")
    assert "Nurse" in table and " 12" in table
    assert "Physician" in table and "<5" in table
    assert " 3\n" not in table


def test_the_csv_suppresses_small_counts_too() -> None:
    rows = list(csv.reader(io.StringIO(TEXT.report_csv(REPORT, "fr").decode())))
    assert rows[0] == ["section", "libellé", "nombre"]
    assert ["role", "Médecin", "<5"] in rows
    assert ["role", "Personnel infirmier", "12"] in rows


def test_the_chart_is_a_png_whose_description_is_in_the_callers_language() -> None:
    png = report_png(REPORT, "fr", TEXT)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"Personnel infirmier" in png or b"Personnel infirmier" in png
    summary = TEXT.chart_summary(REPORT, "fr")
    assert "Médecin\u00a0: <5" in summary


def test_the_forget_summary_uses_real_plurals_and_french_typography() -> None:
    report = ForgetReport((Erased("questions", deleted=(("drafts", 2), ("relays", 1))), Erased("dropin")))
    en = TEXT.forgotten(report, "en")
    fr = TEXT.forgotten(report, "fr")
    assert "2 drafts deleted; 1 answer record removed" in en
    assert "(s)" not in en + fr
    assert "Questions anonymes\u00a0: 2 brouillons supprimés" in fr
    assert "Rencontre hebdomadaire\u00a0: rien n'était conservé" in fr


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_welcome_names_the_dropin_roles_questions_and_privacy(lang: str) -> None:
    from datetime import UTC, datetime

    card = TEXT.welcome(datetime(2026, 12, 3, 17, tzinfo=UTC), (lang,))
    (embed,) = card.embeds
    assert "<t:1796317200:F>" in embed.description
    assert ("PT 10:00" if lang == "en" else "HP 10 h") in embed.description
    assert ("/roles" if lang == "en" else "/rôles") in embed.description
    assert ("/privacy" if lang == "en" else "/confidentialité") in embed.description


class Axes:
    """Records what the chart draws."""

    def __init__(self) -> None:
        self.bars: list[int] = []
        self.labels: list[str] = []

    def barh(self, labels: list[str], values: list[int], color: str) -> None:
        self.bars = values

    def bar(self, labels: list[str], values: list[int], color: str) -> None:
        self.bars = values

    def invert_yaxis(self) -> None:
        pass

    def text(self, x: float, y: float, text: str, **_: object) -> None:
        self.labels.append(text)


@pytest.mark.parametrize("horizontal", [True, False])
def test_a_suppressed_count_draws_no_bar_and_reads_under_the_threshold(horizontal: bool) -> None:
    from bot.domain.members import Count
    from bot.services.members_chart import _bars

    axes = Axes()
    _bars(axes, ["a", "b"], [Count(12, 5), Count(3, 5)], "#000000", horizontal)
    assert axes.bars == [12, 0]
    assert axes.labels == ["12", "<5"]

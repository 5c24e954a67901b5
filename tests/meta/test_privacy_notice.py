"""/privacy and docs/privacy*.md come from one source: the docs hold the notice verbatim between markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import Lang, default_catalog
from bot.i18n.privacy import END_MARKER, START_MARKER, notice, sections

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS: dict[Lang, Path] = {"en": REPO_ROOT / "docs" / "privacy.md", "fr": REPO_ROOT / "docs" / "privacy.fr.md"}


def marked(text: str) -> str:
    assert text.count(START_MARKER) == 1 and text.count(END_MARKER) == 1
    return text.split(START_MARKER, 1)[1].split(END_MARKER, 1)[0].strip()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_docs_hold_the_notice_verbatim(lang: Lang) -> None:
    assert marked(DOCS[lang].read_text("utf-8")) == notice(lang)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_notice_covers_storage_access_anonymity_and_deletion(lang: Lang) -> None:
    headings = [line for line in notice(lang).splitlines() if line.startswith("## ")]
    assert len(headings) == 4
    command = default_catalog().raw(lang, "cmd.forget-me.name") or "forget-me"
    assert f"/{command}" in notice(lang)


def test_both_notices_have_the_same_shape() -> None:
    def shape(text: str) -> list[str]:
        return [line[:2] for line in text.splitlines() if line.startswith(("## ", "- "))]

    assert shape(notice("en")) == shape(notice("fr"))


def test_french_typography_uses_non_breaking_spaces() -> None:
    text = notice("fr")
    assert " :" not in text and "« " not in text and " »" not in text
    assert " ;" not in text and " !" not in text and " ?" not in text


@pytest.mark.parametrize("limit", [200, 1000, 4096])
def test_sections_fit_the_limit_and_give_back_the_notice(limit: int) -> None:
    pieces = sections(notice("fr"), limit)
    assert all(len(p) <= limit for p in pieces)
    if all(len(p) < limit for p in pieces):
        assert "\n\n".join(pieces) == notice("fr")

"""bot/i18n/plural.py: CLDR plural rules through Babel, no « (s) »."""

from __future__ import annotations

import pytest

from bot.i18n import Catalog
from bot.i18n.plural import formatter, plural_category

SPEC = "{n:plural:one=# membre|other=# membres}"


@pytest.mark.parametrize(("n", "expected"), [(0, "one"), (1, "one"), (2, "other"), (10, "other")])
def test_french_counts_zero_and_one_as_singular(n: int, expected: str) -> None:
    assert plural_category("fr", n) == expected


@pytest.mark.parametrize(("n", "expected"), [(0, "other"), (1, "one"), (2, "other")])
def test_english_counts_only_one_as_singular(n: int, expected: str) -> None:
    assert plural_category("en", n) == expected


@pytest.mark.parametrize(("n", "expected"), [(0, "0 membre"), (1, "1 membre"), (2, "2 membres")])
def test_formatter_picks_the_french_form(n: int, expected: str) -> None:
    assert formatter("fr").format(SPEC, n=n) == expected


def test_formatter_keeps_ordinary_format_specs() -> None:
    assert formatter("en").format("{n:>3}", n=7) == "  7"


def test_missing_category_falls_back_to_other() -> None:
    assert formatter("fr").format("{n:plural:other=# fois}", n=1) == "1 fois"


def test_non_numeric_value_uses_the_other_form() -> None:
    assert formatter("fr").format(SPEC, n="x") == "x membres"


def test_catalog_renders_plurals_per_language() -> None:
    catalog = Catalog(
        {
            "en": {"k": "{n:plural:one=# file|other=# files}"},
            "fr": {"k": "{n:plural:one=# fichier|other=# fichiers}"},
        }
    )

    assert (catalog.t("en", "k", n=0), catalog.t("fr", "k", n=0)) == ("0 files", "0 fichier")

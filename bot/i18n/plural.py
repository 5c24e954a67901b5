"""Message formatting with real plural rules (CLDR, through Babel), never « (s) ».

A catalog message writes a plural as a format spec on its number:

    {count:plural:one=# membre|other=# membres}

`#` stands for the number. The categories are CLDR's (`zero`, `one`, `two`, `few`, `many`,
`other`); `other` is required, and a category a message leaves out falls back to it. French
counts 0 and 1 as `one` (« 0 brouillon supprimé »), English only 1.
"""

from __future__ import annotations

import string
from functools import cache, lru_cache
from typing import Any

from babel import Locale

BABEL_LOCALES = {"en": "en_CA", "fr": "fr_CA"}
PLURAL = "plural:"


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang, "en_CA"))


@lru_cache(maxsize=1024, typed=True)  # the same few counts in every message; 1 and 1.0 differ
def plural_category(lang: str, number: int | float) -> str:
    return str(_locale(lang).plural_form(number))


def plural_forms(spec: str) -> dict[str, str]:
    """`plural:one=# x|other=# xs` → {"one": "# x", "other": "# xs"}."""
    forms = {}
    for part in spec[len(PLURAL) :].split("|"):
        category, _, text = part.partition("=")
        forms[category.strip()] = text
    return forms


class MessageFormatter(string.Formatter):
    """`str.format` plus `{n:plural:…}` chosen by the language's plural rules."""

    def __init__(self, lang: str) -> None:
        self._lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if not format_spec.startswith(PLURAL):
            return super().format_field(value, format_spec)
        forms = plural_forms(format_spec)
        try:
            number: int | float = value if isinstance(value, int | float) else int(str(value))
        except ValueError:
            return forms.get("other", "#").replace("#", str(value))
        text = forms.get(plural_category(self._lang, number), forms.get("other", "#"))
        return text.replace("#", str(value))


@cache
def formatter(lang: str) -> MessageFormatter:
    return MessageFormatter(lang)

"""Keyed message catalogs (English source, Canadian French) and language choice."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal

from bot.i18n.plural import PLURAL, formatter
from bot.i18n.typography import french

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")
LOCALES_DIR = Path(__file__).parent / "locales"
BOTH_SEPARATOR = "\n\n"


def lang_for_locale(locale: str | None) -> Lang:
    """Discord locales `fr` (and any `fr-*`) read French; everything else English."""
    return "fr" if locale and str(locale).lower().startswith("fr") else "en"


def guild_langs(language: str) -> tuple[Lang, ...]:
    """The languages of a post the bot makes on its own: the guild's choice, or English then French."""
    return LANGS if language == "both" else (lang_for_locale(language),)


def dm_langs(known: Lang | None, guild_languages: Sequence[str]) -> tuple[Lang, ...]:
    """The languages of a DM: the person's own when known (from an interaction); else the language
    of the guilds they share with the bot when those agree on one; else both, French first when
    the guilds lean French (DESIGN §6)."""
    if known is not None:
        return (known,)
    chosen = set(guild_languages)
    if len(chosen) == 1 and (only := next(iter(chosen))) in LANGS:
        return (lang_for_locale(only),)
    return ("fr", "en") if "fr" in chosen and "en" not in chosen else LANGS


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = str(value)
    return flat


def placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


class Catalog:
    def __init__(self, messages: Mapping[Lang, Mapping[str, str]]) -> None:
        self._messages = messages

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Catalog:
        return cls(
            {lang: _flatten(tomllib.loads((directory / f"{lang}.toml").read_text("utf-8"))) for lang in LANGS}
        )

    def keys(self, lang: Lang) -> frozenset[str]:
        return frozenset(self._messages[lang])

    def raw(self, lang: Lang, key: str) -> str | None:
        return self._messages[lang].get(key) or self._messages["en"].get(key)

    def has(self, key: str) -> bool:
        return key in self._messages["en"]

    def t(self, lang: Lang, key: str, **params: Any) -> str:
        """The message `key` in `lang`, falling back to English, then to the key itself.

        French goes through the OQLF typography rules (bot/i18n/typography.py) before the
        parameters are inserted, so user text is never altered; plurals follow CLDR rules.
        """
        template = self.raw(lang, key)
        if template is None:
            return key
        if lang == "fr" and self._messages["fr"].get(key):
            template = french(template)
        if not params and "{" not in template:
            return template
        if PLURAL in template:  # `{n:plural:…}` needs the CLDR-aware formatter
            return formatter(lang).format(template, **params)
        return template.format(**params)  # the same result, without string.Formatter's Python-level parse

    def for_guild(self, language: str, key: str, **params: Any) -> str:
        """A post the bot makes on its own: the guild's language, or English then French."""
        return BOTH_SEPARATOR.join(self.t(lang, key, **params) for lang in guild_langs(language))


@cache
def default_catalog() -> Catalog:
    return Catalog.load()

"""DESIGN §6: en.toml and fr.toml hold the same keys with the same {placeholders}, none empty.

The files are read here directly (not through Catalog, whose lookups fall back to English and
would hide an empty or missing French message).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from typing import Any

import pytest

from bot.domain.settings import LANGUAGES, REQUIRED_CHANNEL_PERMISSIONS, ChannelPurpose, RolePurpose
from bot.i18n import LANGS, LOCALES_DIR, Lang, default_catalog, placeholders
from bot.i18n.plural import formatter


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


FILES = {lang: flatten(tomllib.loads((LOCALES_DIR / f"{lang}.toml").read_text("utf-8"))) for lang in LANGS}
SHARED_KEYS = sorted(FILES["en"].keys() & FILES["fr"].keys())


def fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def test_catalogs_are_not_empty() -> None:
    assert len(FILES["en"]) > 20


@pytest.mark.parametrize(("lang", "other"), [("en", "fr"), ("fr", "en")])
def test_every_key_exists_in_both_languages(lang: Lang, other: Lang) -> None:
    assert sorted(FILES[lang].keys() - FILES[other].keys()) == []


@pytest.mark.parametrize("key", SHARED_KEYS)
def test_placeholders_match_between_languages(key: str) -> None:
    assert sorted(set(fields(FILES["fr"][key]))) == sorted(set(fields(FILES["en"][key])))


@pytest.mark.parametrize("lang", LANGS)
def test_every_value_is_a_non_empty_string(lang: Lang) -> None:
    bad = [key for key, value in FILES[lang].items() if not isinstance(value, str) or not value.strip()]

    assert bad == []


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_are_named(lang: Lang) -> None:
    """`{}` or `{0}` would break `Catalog.t(**params)`; every placeholder needs a name."""
    positional = [
        key for key, value in FILES[lang].items() if any(f == "" or f.isdigit() for f in fields(value))
    ]

    assert positional == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_template_formats_with_its_own_placeholders(lang: Lang) -> None:
    broken = []
    for key, template in FILES[lang].items():
        try:
            formatter(lang).format(template, **dict.fromkeys(placeholders(template), "x"))
        except (KeyError, IndexError, ValueError):
            broken.append(key)

    assert broken == []


def test_loaded_catalog_serves_each_files_own_text() -> None:
    catalog = default_catalog()

    for lang in LANGS:
        assert {key: catalog.raw(lang, key) for key in FILES[lang]} == FILES[lang]


def test_every_value_the_domain_renders_has_a_message() -> None:
    needed = (
        {f"purpose.channel.{p.value}" for p in ChannelPurpose}
        | {f"purpose.role.{p.value}" for p in RolePurpose}
        | {f"permission.{name}" for names in REQUIRED_CHANNEL_PERMISSIONS.values() for name in names}
        | {f"language.{lang}" for lang in LANGUAGES}
    )

    assert sorted(needed - FILES["en"].keys()) == []

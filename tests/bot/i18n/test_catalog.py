"""bot/i18n: language choice and the keyed catalog."""

from __future__ import annotations

import discord
import pytest

from bot.i18n import BOTH_SEPARATOR, Catalog, default_catalog, dm_langs, lang_for_locale


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", "fr"),
        ("FR", "fr"),
        ("fr-CA", "fr"),
        (discord.Locale.french, "fr"),
        ("en-US", "en"),
        ("en-GB", "en"),
        (discord.Locale.american_english, "en"),
        ("es-ES", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_lang_for_locale_reads_french_only_for_french_locales(locale: object, expected: str) -> None:
    assert lang_for_locale(locale) == expected  # type: ignore[arg-type]


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        {
            "en": {"greet": "Hello {name}", "only_en": "English only", "plain": "Plain"},
            "fr": {"greet": "Bonjour {name}", "plain": "Simple"},
        }
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Hello Ana"),
        ("fr", "Bonjour Ana"),
        ("both", f"Hello Ana{BOTH_SEPARATOR}Bonjour Ana"),
    ],
)
def test_for_guild_follows_the_guild_language(catalog: Catalog, language: str, expected: str) -> None:
    assert catalog.for_guild(language, "greet", name="Ana") == expected


def test_for_guild_both_puts_english_first() -> None:
    text = default_catalog().for_guild("both", "error.guild_only")

    english, french = text.split(BOTH_SEPARATOR)
    assert english == default_catalog().t("en", "error.guild_only")
    assert french == default_catalog().t("fr", "error.guild_only")


def test_missing_french_message_falls_back_to_english(catalog: Catalog) -> None:
    assert catalog.t("fr", "only_en") == "English only"


def test_unknown_key_renders_as_the_key_itself(catalog: Catalog) -> None:
    assert catalog.t("fr", "no.such.key") == "no.such.key"


def test_template_without_placeholders_ignores_no_params(catalog: Catalog) -> None:
    assert catalog.t("fr", "plain") == "Simple"


def test_default_catalog_loads_nested_tables_as_dotted_keys() -> None:
    catalog = default_catalog()

    assert catalog.has("cmd.settings.show.name")
    assert catalog.t("fr", "cmd.settings.show.name") == "afficher"


@pytest.mark.parametrize(
    ("known", "guilds", "expected"),
    [
        ("fr", ["en"], ("fr",)),
        ("en", ["fr"], ("en",)),
        (None, ["fr"], ("fr",)),
        (None, ["en"], ("en",)),
        (None, ["fr", "fr"], ("fr",)),
        (None, ["both"], ("en", "fr")),
        (None, [], ("en", "fr")),
        (None, ["fr", "both"], ("fr", "en")),
        (None, ["fr", "en"], ("en", "fr")),
    ],
)
def test_dm_langs_prefers_the_person_then_their_guilds(
    known: str | None, guilds: list[str], expected: tuple[str, ...]
) -> None:
    assert dm_langs(known, guilds) == expected  # type: ignore[arg-type]


def test_french_messages_get_oqlf_spacing_but_user_values_do_not() -> None:
    catalog = Catalog({"en": {"k": "Note: {note}"}, "fr": {"k": "Note : {note}"}})

    assert catalog.t("fr", "k", note="Quoi ? ok : oui") == "Note\u00a0: Quoi ? ok : oui"

"""Every slash command, group, option and choice reaches Discord with a valid French localization.

The command tree is built without network: the real app (on a temporary SQLite) and every
extension in EXTENSIONS, then each command's sync payload is produced with CatalogTranslator,
exactly as `tree.sync()` would send it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.adapters.translator import CatalogTranslator
from bot.app import App, build_app
from bot.clock import FixedClock
from bot.discord_bot import EXTENSIONS
from bot.i18n import Catalog
from bot.sandbox_mode import sandbox_config

NAME_RULE = re.compile(r"^[-_\w]{1,32}$")  # Discord's rule for command and option names (Unicode \w)
FRENCH = discord.Locale.french.value


class RecordingTranslator(app_commands.Translator):
    """CatalogTranslator, plus a record of every string Discord would ask about in French."""

    def __init__(self, catalog: Catalog) -> None:
        self.inner = CatalogTranslator(catalog)
        self.seen: list[tuple[app_commands.locale_str, app_commands.TranslationContextLocation]] = []

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale is discord.Locale.french:
            self.seen.append((string, context.location))
        return await self.inner.translate(string, locale, context)


@dataclass
class Tree:
    payloads: list[dict[str, Any]]
    seen: list[tuple[app_commands.locale_str, app_commands.TranslationContextLocation]]
    catalog: Catalog


@dataclass(frozen=True)
class Node:
    path: str
    kind: str  # "command" (slash command, group or subcommand), "context_menu", "option" or "choice"
    payload: dict[str, Any]


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    config = sandbox_config(tmp_path, 10**17)  # a config with keys, as the sandbox makes it
    app = await build_app(config, FixedClock(datetime(2026, 12, 3, 16, 0, tzinfo=UTC)), sync_guild_ids=())
    try:
        for extension in EXTENSIONS:
            await app.bot.load_extension(extension)
        yield app
    finally:
        await app.close()


@pytest.fixture
async def tree(app: App) -> Tree:
    translator = RecordingTranslator(app.services.catalog)
    payloads = [
        await command.get_translated_payload(app.bot.tree, translator)
        for command in app.bot.tree.get_commands()
    ]
    return Tree(payloads, translator.seen, app.services.catalog)


def nodes(payloads: list[dict[str, Any]], parent: str = "") -> Iterator[Node]:
    for payload in payloads:
        path = f"{parent} {payload['name']}".strip()
        if not parent:  # top level: a slash command or group (type 1), or a user/message context menu
            kind = "command" if payload["type"] == discord.AppCommandType.chat_input.value else "context_menu"
        else:  # inside a command: a subcommand (1) or subcommand group (2), else a parameter
            kind = "command" if payload["type"] in (1, 2) else "option"
        yield Node(path, kind, payload)
        for choice in payload.get("choices", []):
            yield Node(f"{path}={choice['value']}", "choice", choice)
        yield from nodes(payload.get("options", []), path)


def test_the_tree_holds_every_extensions_commands(tree: Tree) -> None:
    top_level = {payload["name"] for payload in tree.payloads}

    assert {"about", "help", "settings"} <= top_level
    assert {"command", "option", "choice"} <= {node.kind for node in nodes(tree.payloads)}


def test_every_name_has_a_french_localization(tree: Tree) -> None:
    missing = [
        node.path
        for node in nodes(tree.payloads)
        if not node.payload.get("name_localizations", {}).get(FRENCH)
    ]

    assert missing == []


def test_every_description_has_a_french_localization(tree: Tree) -> None:
    missing = [
        node.path
        for node in nodes(tree.payloads)
        if node.kind in ("command", "option")
        and not node.payload.get("description_localizations", {}).get(FRENCH)
    ]

    assert missing == []


def test_names_follow_discords_rule_in_both_languages(tree: Tree) -> None:
    invalid = [
        (node.path, name)
        for node in nodes(tree.payloads)
        if node.kind in ("command", "option")
        for name in (node.payload["name"], node.payload.get("name_localizations", {}).get(FRENCH, ""))
        if not NAME_RULE.fullmatch(name) or name != name.lower()
    ]

    assert invalid == []


def test_descriptions_fit_discords_limits_in_both_languages(tree: Tree) -> None:
    invalid = [
        (node.path, text)
        for node in nodes(tree.payloads)
        if node.kind in ("command", "option")
        for text in (
            node.payload["description"],
            node.payload.get("description_localizations", {}).get(FRENCH, ""),
        )
        if not 1 <= len(text) <= 100
    ]

    assert invalid == []


def test_choice_names_fit_discords_limits_in_both_languages(tree: Tree) -> None:
    invalid = [
        (node.path, name)
        for node in nodes(tree.payloads)
        if node.kind == "choice"
        for name in (node.payload["name"], node.payload.get("name_localizations", {}).get(FRENCH, ""))
        if not 1 <= len(name) <= 100
    ]

    assert invalid == []


def test_sibling_names_are_unique_in_both_languages(tree: Tree) -> None:
    """Discord refuses a sync where two commands, or two options of one command, share a name."""

    def clashes(siblings: list[dict[str, Any]], where: str) -> Iterator[str]:
        for names in (
            [s["name"] for s in siblings],
            [s.get("name_localizations", {}).get(FRENCH, s["name"]) for s in siblings],
        ):
            yield from (f"{where}: {name}" for name in {n for n in names if names.count(n) > 1})
        for sibling in siblings:
            yield from clashes(sibling.get("options", []), f"{where} {sibling['name']}".strip())

    assert list(clashes(tree.payloads, "")) == []


def test_every_translated_string_carries_a_catalog_key(tree: Tree) -> None:
    unkeyed = sorted(
        {
            f"{location.name}: {string.message!r}"
            for string, location in tree.seen
            if not tree.catalog.has(string.extras.get("key", ""))
        }
    )

    assert tree.seen
    assert unkeyed == []


def filled(template: str | None, string: app_commands.locale_str) -> str | None:
    """A catalog template with the placeholders the command fills (e.g. the reminder syntax)."""
    params = string.extras.get("params")
    return (
        template.format(**{k: v["en"] for k, v in params.items()})
        if template is not None and params
        else template
    )


def test_english_text_in_code_matches_the_en_catalog(tree: Tree) -> None:
    drift = sorted(
        {
            (key, string.message, tree.catalog.raw("en", key))
            for string, _ in tree.seen
            if (key := string.extras.get("key"))
            and string.message != filled(tree.catalog.raw("en", key), string)
        }
    )

    assert drift == []


@pytest.mark.parametrize(
    "location",
    ["command_name", "command_description", "parameter_name", "parameter_description", "choice_name"],
)
def test_translator_is_asked_about_every_kind_of_text(tree: Tree, location: str) -> None:
    assert app_commands.TranslationContextLocation[location] in {loc for _, loc in tree.seen}


async def test_catalog_translator_answers_only_for_french(app: App) -> None:
    translator = CatalogTranslator(app.services.catalog)
    text = app_commands.locale_str("about", key="cmd.about.name")
    context: app_commands.TranslationContext[Any, None] = app_commands.TranslationContext(
        app_commands.TranslationContextLocation.other, None
    )

    assert await translator.translate(text, discord.Locale.french, context) == "à-propos"
    assert await translator.translate(text, discord.Locale.american_english, context) is None
    assert (
        await translator.translate(app_commands.locale_str("about"), discord.Locale.french, context) is None
    )


def test_the_reminder_option_shows_the_syntax_in_each_language(tree: Tree) -> None:
    descriptions = {
        (string.message, tree.catalog.raw("fr", key))
        for string, _ in tree.seen
        if (key := string.extras.get("key")) == "opt.reminder_times.description"
    }
    ((english, _),) = descriptions
    translated = [
        option.get("description_localizations", {}).get(FRENCH)
        for payload in tree.payloads
        for option in _options_named(payload, "times")
    ]

    assert english.endswith("e.g. 24h, 1h, 10m")
    assert translated == ["Délais avant le début, séparés par des virgules, p. ex. 24h, 1h, 10min"]


def _options_named(payload: dict[str, Any], name: str) -> list[dict[str, Any]]:
    found = [o for o in payload.get("options", []) if o.get("name") == name and o.get("type", 1) > 2]
    for option in payload.get("options", []):
        found += _options_named(option, name) if option.get("type") in (1, 2) else []
    return found

"""cogs/help.py without Discord: which commands count as facilitator-only, and their localized paths."""

from __future__ import annotations

from typing import Any

import pytest
from discord import app_commands

from bot.i18n import default_catalog
from bot.services.help_text import HelpText
from cogs.about import AboutCog
from cogs.help import HelpCog, _leaf_commands, _needs_facilitator
from cogs.settings import SettingsCog

TOP_LEVEL: list[Any] = [AboutCog.about, HelpCog.help, SettingsCog.settings]


def by_name(name: str) -> app_commands.Command[Any, ..., Any]:
    return next(command for command in _leaf_commands(TOP_LEVEL) if command.qualified_name == name)


def test_leaf_commands_descend_into_groups() -> None:
    assert [command.qualified_name for command in _leaf_commands(TOP_LEVEL)] == [
        "about",
        "help",
        "settings show",
        "settings channel",
        "settings role",
        "settings language",
        "settings welcome",
        "settings web-minutes",
    ]


@pytest.mark.parametrize(
    ("name", "facilitator_only"),
    [
        ("about", False),
        ("help", False),
        ("settings show", True),
        ("settings channel", True),
        ("settings role", True),
        ("settings language", True),
    ],
)
def test_settings_commands_are_facilitator_only(name: str, facilitator_only: bool) -> None:
    assert _needs_facilitator(by_name(name)) is facilitator_only


@pytest.mark.parametrize(
    ("lang", "name", "path", "description"),
    [
        ("en", "settings show", "settings show", "Show this server's settings and any missing permissions"),
        (
            "fr",
            "settings show",
            "paramètres afficher",
            "Afficher les paramètres du serveur et les permissions manquantes",
        ),
        (
            "fr",
            "about",
            "à-propos",
            "Ce que font ce bot et la CdP-NSS, et comment votre vie privée est protégée",
        ),
    ],
)
def test_help_lines_use_the_callers_language(lang: str, name: str, path: str, description: str) -> None:
    cog = HelpCog(HelpText(default_catalog()))

    assert cog._localized_path(lang, by_name(name)) == path  # type: ignore[arg-type]
    assert cog._describe(lang, by_name(name)) == description  # type: ignore[arg-type]


def test_a_long_help_is_split_into_pages_that_fit_an_embed() -> None:
    from cogs.help import _pages

    lines = [f"/command-{n} — " + "x" * 90 for n in range(100)]
    pages = _pages(lines, 4096)
    assert len(pages) > 1 and all(len(page) <= 4096 for page in pages)
    assert "\n".join(pages) == "\n".join(lines)

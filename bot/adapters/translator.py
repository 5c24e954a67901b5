"""Fills French command names, descriptions and choices from the catalog when commands sync."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.i18n import Catalog


class CatalogTranslator(app_commands.Translator):
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale is not discord.Locale.french:
            return None
        key = string.extras.get("key")
        text = self._catalog.raw("fr", key) if key else None
        params = string.extras.get("params")
        return text.format(**{k: v["fr"] for k, v in params.items()}) if text is not None and params else text

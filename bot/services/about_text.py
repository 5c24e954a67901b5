"""What /about says: the bot and the community, the next drop-in in one line, the privacy promise.

The about cog's one home for text: cogs/about.py only sends what this module returns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.schedule import canada_line
from bot.i18n import Catalog, Lang
from bot.i18n.dates import discord_timestamp
from bot.i18n.render import render
from bot.services.ports import EmbedText


class AboutText:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def say(self, lang: Lang, key: str, **params: Any) -> str:
        """A one-line reply; dates, times and offsets in `params` are rendered for `lang`."""
        return render(self._catalog, lang, key, params)

    def about(self, next_start: datetime, lang: Lang) -> EmbedText:
        t = self._catalog.t
        return EmbedText(
            title=t(lang, "about.title"),
            description=t(
                lang,
                "about.body",
                next_start=discord_timestamp(next_start, "F"),
                next_relative=discord_timestamp(next_start, "R"),
                canada_line=canada_line(next_start, lang),
            ),
        )

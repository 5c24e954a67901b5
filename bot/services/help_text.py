"""What /help says: the intro, one line per command (its localized name and description), the note.

The help cog's one home for text: cogs/help.py only sends what this module returns.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import Catalog, Lang
from bot.i18n.render import render


class HelpText:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def say(self, lang: Lang, key: str, **params: Any) -> str:
        """A one-line reply; dates, times and offsets in `params` are rendered for `lang`."""
        return render(self._catalog, lang, key, params)

    def command_name(self, lang: Lang, key: str) -> str:
        """A command's (or group's) localized name, from its `cmd.…` key."""
        return self._catalog.t(lang, f"{key}.name")

    def command_description(self, lang: Lang, key: str) -> str:
        return self._catalog.t(lang, f"{key}.description")

    def line(self, lang: Lang, name: str, description: str) -> str:
        return self._catalog.t(lang, "help.line", name=name, description=description)

    def body(self, lang: Lang, lines: list[str], *, facilitator: bool) -> list[str]:
        """The intro, the command lines, and for facilitators the note that follows them."""
        body = [self._catalog.t(lang, "help.intro"), "", *lines]
        if facilitator:
            body += ["", self._catalog.t(lang, "help.facilitator_note")]
        return body

"""Expected failures, carried to the edge as catalog keys and translated there."""

from __future__ import annotations

import unicodedata
from typing import Any

QUOTE_MAX = 100  # characters of the user's own input an answer may quote back


def quoted(text: str, limit: int = QUOTE_MAX) -> str:
    """User input fit to be quoted back: on one line, without control or direction-override
    characters, and cut (with an ellipsis) so that no answer outgrows Discord's 2,000 characters."""
    cleaned = "".join(
        " " if ch in "\r\n\t" else ch
        for ch in text
        if ch in "\r\n\t" or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


class UserError(Exception):
    """A failure the user can act on. `key` names a message in the i18n catalog.

    String params are what the user typed (a name, a date, a code): they are quoted back shortened."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        # type() rather than isinstance(): str enums (purposes, sections) are rendered, not quoted
        self.params = {name: quoted(value) if type(value) is str else value for name, value in params.items()}

    def __repr__(self) -> str:  # params may hold user text: keep it out of logs
        return f"UserError({self.key!r})"

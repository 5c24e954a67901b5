"""Expected failures, carried to the edge as catalog keys and translated there."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """A failure the user can act on. `key` names a message in the i18n catalog."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __repr__(self) -> str:  # params may hold user text: keep it out of logs
        return f"UserError({self.key!r})"

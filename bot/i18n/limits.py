"""Discord's text limits and the one way text is cut to them (shared by text modules and adapters)."""

from __future__ import annotations

CONTENT_MAX = 2000
DESCRIPTION_MAX = 4096


def fit(text: str, limit: int = CONTENT_MAX) -> str:
    """Text cut to a Discord limit at a line break where possible, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip() + "…"

"""The privacy notice: one source (`notice.en.md`, `notice.fr.md`) for /privacy and docs/privacy.md."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.i18n import Lang

NOTICE_DIR = Path(__file__).parent
START_MARKER = "<!-- notice:start -->"
END_MARKER = "<!-- notice:end -->"


@cache
def notice(lang: Lang) -> str:
    return (NOTICE_DIR / f"notice.{lang}.md").read_text("utf-8").strip()


def sections(text: str, limit: int) -> list[str]:
    """The notice cut at its `## ` headings into pieces of at most `limit` characters each."""
    pieces: list[str] = []
    for block in text.split("\n## "):
        part = block if not pieces else "## " + block
        if pieces and len(pieces[-1]) + 2 + len(part) <= limit:
            pieces[-1] += "\n\n" + part
        else:
            pieces.append(part[:limit])
    return pieces

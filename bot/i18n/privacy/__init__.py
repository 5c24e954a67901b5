"""The privacy notice: one source (`notice.en.md`, `notice.fr.md`) for /privacy and docs/privacy.md."""

from __future__ import annotations

import re
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
    """The notice cut before its `## ` headings into pieces of at most `limit` characters each;
    joined with a blank line they give back the notice."""
    pieces: list[str] = []
    for block in re.split(r"\n\n(?=## )", text):
        if pieces and len(pieces[-1]) + 2 + len(block) <= limit:
            pieces[-1] += "\n\n" + block
        else:
            pieces.append(block[:limit])
    return pieces

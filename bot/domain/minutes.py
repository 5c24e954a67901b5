"""Meeting minutes: the template's sections, checks, Markdown rendering, splitting within Discord's
limits, and ranked search. Pure rules; storage and Discord come later (issue 6)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.errors import UserError

MESSAGE_LIMIT = 2000  # Discord message content
SECTION_LIMIT = 4000  # one modal text input


class Section(StrEnum):
    """In the order the minutes read. Action items name owner roles rather than people by default."""

    FACILITATORS = "facilitators"
    NOTE_TAKER = "note_taker"
    ATTENDANCE = "attendance"
    TOPICS = "topics"
    RESOURCES = "resources"
    DECISIONS = "decisions"
    ACTIONS = "actions"
    NEXT_MEETING = "next_meeting"


REQUIRED = frozenset({Section.TOPICS})
# Modal pages: Discord allows five inputs per modal; four per page keeps each page light.
PAGES: tuple[tuple[Section, ...], ...] = (
    (Section.FACILITATORS, Section.NOTE_TAKER, Section.ATTENDANCE, Section.NEXT_MEETING),
    (Section.TOPICS, Section.RESOURCES, Section.DECISIONS, Section.ACTIONS),
)


@dataclass(frozen=True)
class Draft:
    sections: Mapping[Section, str]

    def text(self, section: Section) -> str:
        return self.sections.get(section, "").strip()


def check_sections(values: Mapping[Section, str]) -> dict[Section, str]:
    """Trimmed sections; too-long text is refused with its length, an unreadable count too."""
    cleaned: dict[Section, str] = {}
    for section, text in values.items():
        value = text.strip()
        if len(value) > SECTION_LIMIT:
            raise UserError("minutes.error.too_long", section=section, count=len(value), limit=SECTION_LIMIT)
        cleaned[section] = value
    attendance = cleaned.get(Section.ATTENDANCE, "")
    if attendance and not attendance.isdigit():
        raise UserError("minutes.error.attendance_not_a_number", value=attendance)
    return cleaned


def missing_required(draft: Draft) -> list[Section]:
    return [section for section in Section if section in REQUIRED and not draft.text(section)]


def render(title: str, subtitle: str, draft: Draft, headings: Mapping[Section, str]) -> str:
    """The whole minutes as Markdown: a title, a subtitle line, then each non-empty section."""
    parts = [f"# {title}", subtitle]
    for section in Section:
        body = draft.text(section)
        if body:
            parts.append(f"## {headings[section]}\n{body}")
    return "\n\n".join(parts) + "\n"


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Chunks of at most `limit` characters, cut at the best boundary available: a section heading,
    then a blank line, then a line break, then a space; a single overlong word is cut as a last resort."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = _best_cut(window, limit)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest:
        chunks.append(rest)
    return chunks


def _best_cut(window: str, limit: int) -> int:
    for pattern in ("\n## ", "\n\n", "\n", " "):
        position = window.rfind(pattern, 0, limit)
        if position > limit // 4:
            return position + (1 if pattern in ("\n## ", "\n\n") else len(pattern))
    return limit


def mentions_people(text: str, member_names: Iterable[str | tuple[str, ...]]) -> list[str]:
    """Mentions and server members found in the text, each person once: the author is warned before
    submitting. A member given as (display name, username, …) is listed by the first name that is
    found in the text, however many of their names are."""
    found = [f"<@{m}>" for m in re.findall(r"<@!?(\d+)>", text)]
    folded = _fold(text)
    for person in member_names:
        names = (person,) if isinstance(person, str) else person
        hit = next(
            (n for n in names if len(n) >= 3 and re.search(rf"(?<!\w){re.escape(_fold(n))}(?!\w)", folded)),
            None,
        )
        if hit is not None:
            found.append(hit)
    unique: dict[str, str] = {}
    for name in found:
        unique.setdefault(_fold(name), name)
    return list(unique.values())


def rank(query: str, documents: Mapping[int, str]) -> list[tuple[int, int]]:
    """(document id, score) for documents containing every query word, best first: each occurrence
    counts one, and a whole-phrase match adds five. Case and accents are ignored."""
    words = [w for w in re.findall(r"\w+", _fold(query)) if len(w) > 1]
    if not words:
        return []
    phrase = " ".join(words)
    scored = []
    for doc_id, text in documents.items():
        folded = _fold(text)
        counts = [len(re.findall(rf"(?<!\w){re.escape(w)}", folded)) for w in words]
        if all(counts):
            scored.append(
                (doc_id, sum(counts) + (5 if phrase in " ".join(re.findall(r"\w+", folded)) else 0))
            )
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Minutes:
    id: int
    guild_id: int
    meeting_key: str
    meeting_date: date
    status: str  # draft, review, changes, published, amending
    author_id: int
    sections: dict[Section, str]
    published_sections: dict[Section, str]
    review_message_id: int | None
    published_channel_id: int | None
    published_message_ids: tuple[int, ...]
    version: int


@dataclass(frozen=True)
class Revision:
    version: int
    author_id: int
    approved_by: int
    sections_changed: tuple[Section, ...]
    at: datetime

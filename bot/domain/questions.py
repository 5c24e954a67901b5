"""Anonymous questions: their states and the rules for accepting them. Drug vocabulary is never filtered."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.errors import UserError

# Overdose and crisis words, English and French, matched without case or accents, as whole words;
# an entry ending in * is a stem (overdos* matches overdose, overdosed, overdoses, overdosing).
URGENT_WORDS = (
    "overdos*", "surdos*", "od'ing", "not breathing", "can't breathe", "cant breathe", "unresponsive",
    "turning blue", "suicide", "suicidal", "kill myself", "end my life", "want to die", "self harm",
    "self-harm", "emergency", "crisis", "narcan now",
    "ne respire pas", "respire plus", "inconscient", "inconsciente", "me suicider",
    "me tuer", "en finir", "envie de mourir", "urgence", "en crise",
)  # fmt: skip


class QuestionStatus(StrEnum):
    PENDING = "pending"  # waiting for a reviewer
    PUBLISHED = "published"  # posted in the questions channel
    HELD = "held"  # approved, kept for the next drop-in
    RAISED = "raised"  # listed in a drop-in reminder
    REJECTED = "rejected"
    BLOCKED = "blocked"


OPEN_STATUSES = (QuestionStatus.PENDING, QuestionStatus.HELD)


@dataclass(frozen=True)
class Question:
    id: int
    guild_id: int
    number: int
    text: str
    pseudonym: str
    status: QuestionStatus
    urgent: bool
    hold: bool
    relay: bool  # the asker asked for answers by DM and the sealed target is still kept
    created_at: datetime
    lang: str = "en"
    review_message_id: int | None = None
    published_message_id: int | None = None
    thread_id: int | None = None
    follows_number: int | None = None  # set for an asker's follow-up: the number of the question
    follows_id: int | None = None
    deliver_after: datetime | None = None  # the random delay: not shown to reviewers before this


@dataclass(frozen=True)
class Forgotten:
    """What forget-me did, item by item (a plain value other features' replies can render)."""

    drafts: int  # drafts deleted
    relays: int  # sealed answer records deleted
    questions: int  # earlier questions whose alias was replaced by one nothing links to the person
    review_cards: int  # review cards from which the asker's code was removed


@dataclass(frozen=True)
class Draft:
    id: int
    text: str
    guild_id: int | None
    relay: bool


def check_text(text: str, max_length: int) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise UserError("questions.error.empty")
    if len(cleaned) > max_length:
        raise UserError("questions.error.too_long", count=len(cleaned), limit=max_length)
    return cleaned


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_urgent(text: str, extra_words: tuple[str, ...] = ()) -> bool:
    folded = _fold(text)
    for word in (*URGENT_WORDS, *extra_words):
        stem = word.endswith("*")
        pattern = re.escape(_fold(word.rstrip("*"))) + (r"\w*" if stem else "")
        if re.search(rf"(?<!\w){pattern}(?!\w)", folded):
            return True
    return False


def check_rate(recent_count: int, limit: int) -> None:
    if recent_count >= limit:
        raise UserError("questions.error.rate_limited", limit=limit)


def random_delay(low: timedelta, high: timedelta) -> timedelta:
    """Uniform in [low, high] to the millisecond, from the system's secure random source."""
    span = int((high - low).total_seconds() * 1000)
    return low + timedelta(milliseconds=secrets.randbelow(span + 1)) if span > 0 else low

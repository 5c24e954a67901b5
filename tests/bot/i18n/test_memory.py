"""bot/i18n/memory.py: each person's language from their last interaction, bounded, in memory."""

from __future__ import annotations

from bot.i18n.memory import LanguageMemory


def test_recall_gives_the_last_language_remembered() -> None:
    memory = LanguageMemory()
    memory.remember(1, "en")
    memory.remember(1, "fr")

    assert memory.recall(1) == "fr"


def test_an_unknown_person_has_no_language() -> None:
    assert LanguageMemory().recall(1) is None


def test_the_oldest_person_is_forgotten_past_capacity() -> None:
    memory = LanguageMemory(capacity=2)
    for user_id in (1, 2, 3):
        memory.remember(user_id, "fr")

    assert (memory.recall(1), memory.recall(3)) == (None, "fr")

"""bot/services/question_text.py: the draft card an asker gets for each DM."""

from __future__ import annotations

import pytest

from bot.domain.questions import Draft
from bot.i18n import Catalog, Lang
from bot.services.question_text import QuestionText
from tests.bot.services.question_fakes import SUPPORT


@pytest.fixture
def text() -> QuestionText:
    return QuestionText(Catalog.load(), SUPPORT, 30)


def test_each_draft_card_carries_its_own_question_and_id(text: QuestionText) -> None:
    first = text.draft(Draft(1, "first question", 5, True), ("en",), choose_guild=False)
    second = text.draft(Draft(2, "second question", 5, True), ("en",), choose_guild=False)

    assert (first.embeds[0].description, second.embeds[0].description) == (
        "first question",
        "second question",
    )
    assert {a.target_id for a in first.actions if a.kind != "forget"} == {1}
    assert {a.target_id for a in second.actions if a.kind != "forget"} == {2}
    assert first.embeds[1:] == second.embeds[1:]


def test_the_relay_state_shows_on_a_card_drawn_after_the_other_state(text: QuestionText) -> None:
    relayed = text.draft(Draft(1, "q", 5, True), ("en",), choose_guild=False)
    kept = text.draft(Draft(1, "q", 5, False), ("en",), choose_guild=False)

    assert "Answers will be sent to you by DM." in relayed.embeds[1].description
    assert "Answers will be sent to you by DM." not in kept.embeds[1].description
    assert [a.label for a in relayed.actions] != [a.label for a in kept.actions]


def test_the_community_choice_is_asked_only_when_there_is_one_to_make(text: QuestionText) -> None:
    choose = text.draft(Draft(1, "q", None, True), ("en",), choose_guild=True)
    one = text.draft(Draft(1, "q", 5, True), ("en",), choose_guild=False)

    assert "choose where to ask" in choose.embeds[1].description
    assert "choose where to ask" not in one.embeds[1].description


@pytest.mark.parametrize(("langs", "notes"), [(("en",), 1), (("fr",), 1), (("en", "fr"), 2)])
def test_a_card_has_one_note_per_language(text: QuestionText, langs: tuple[Lang, ...], notes: int) -> None:
    card = text.draft(Draft(1, "q", 5, True), langs, choose_guild=False)

    assert len(card.embeds) == 1 + notes
    assert "30" in card.embeds[1].description  # the retention period, in each language
    assert "30" in card.embeds[-1].description

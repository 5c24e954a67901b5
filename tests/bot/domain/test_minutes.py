"""Minutes rules: sections, rendering, splitting within Discord's limits, name warnings, ranked search."""

from __future__ import annotations

import pytest

from bot.domain.minutes import (
    MESSAGE_LIMIT,
    PAGES,
    SECTION_LIMIT,
    Draft,
    Section,
    check_sections,
    mentions_people,
    missing_required,
    rank,
    render,
    split_message,
)
from bot.errors import UserError

HEADINGS = {section: section.value.replace("_", " ").title() for section in Section}


def test_every_section_is_on_exactly_one_modal_page_of_at_most_five_inputs() -> None:
    placed = [section for page in PAGES for section in page]
    assert sorted(placed) == sorted(Section) and len(placed) == len(set(placed))
    assert all(len(page) <= 5 for page in PAGES)


def test_topics_are_required() -> None:
    assert missing_required(Draft({Section.DECISIONS: "none"})) == [Section.TOPICS]
    assert missing_required(Draft({Section.TOPICS: "Safer supply access"})) == []


def test_whitespace_only_topics_count_as_missing() -> None:
    assert missing_required(Draft({Section.TOPICS: "   \n "})) == [Section.TOPICS]


def test_a_section_over_the_input_limit_is_refused_with_its_length() -> None:
    with pytest.raises(UserError) as caught:
        check_sections({Section.TOPICS: "x" * (SECTION_LIMIT + 1)})
    assert caught.value.key == "minutes.error.too_long"
    assert caught.value.params["count"] == SECTION_LIMIT + 1


@pytest.mark.parametrize("value", ["about 20", "Sam, Riley", "-3"])
def test_attendance_must_be_a_count_not_names(value: str) -> None:
    with pytest.raises(UserError) as caught:
        check_sections({Section.ATTENDANCE: value})
    assert caught.value.key == "minutes.error.attendance_not_a_number"


def test_render_keeps_section_order_and_skips_empty_ones() -> None:
    draft = Draft(
        {
            Section.ACTIONS: "Facilitators: share the guide",
            Section.TOPICS: "Prescribing",
            Section.RESOURCES: "",
        }
    )
    text = render("Drop-in minutes", "Thursday", draft, HEADINGS)
    assert text.index("## Topics") < text.index("## Actions")
    assert "## Resources" not in text
    assert text.startswith("# Drop-in minutes\n\nThursday")


def test_short_text_is_one_message() -> None:
    assert split_message("hello") == ["hello"]


def test_long_minutes_split_within_the_limit_at_section_boundaries() -> None:
    sections = {section: ("word " * 150).strip() for section in Section if section is not Section.ATTENDANCE}
    text = render("Minutes", "date", Draft(sections), HEADINGS)
    chunks = split_message(text)
    assert len(chunks) > 1
    assert all(len(chunk) <= MESSAGE_LIMIT for chunk in chunks)
    assert all(chunk.startswith(("# ", "## ")) for chunk in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())


def test_a_single_huge_paragraph_splits_at_spaces() -> None:
    text = ("safer supply " * 400).strip()
    chunks = split_message(text, limit=500)
    assert all(len(chunk) <= 500 for chunk in chunks)
    assert all(not chunk.startswith(" ") and not chunk.endswith(" ") for chunk in chunks)
    assert " ".join(chunks) == text


def test_an_unbreakable_word_is_cut_at_the_limit() -> None:
    chunks = split_message("x" * 1200, limit=500)
    assert [len(c) for c in chunks] == [500, 500, 200]


def test_mentions_and_member_names_are_found_for_the_warning() -> None:
    found = mentions_people(
        "Thanks <@123456789012345678> and riley for the notes; Éloïse shared a link",
        ["Riley", "Eloise", "Al"],
    )
    assert found == ["<@123456789012345678>", "Riley", "Eloise"]


def test_each_person_is_listed_once_whatever_names_match() -> None:
    found = mentions_people(
        "Fiona opened; fiona.b took notes; Farah closed",
        [("Fiona", "fiona"), ("Fiona", "fiona.b"), ("Farah", "farah")],
    )
    assert found == ["Fiona", "Farah"]


def test_a_person_is_listed_by_the_name_the_text_uses() -> None:
    assert mentions_people("thanks to fsmith", [("Farah Smith", "fsmith")]) == ["fsmith"]


def test_short_names_and_parts_of_words_do_not_warn() -> None:
    assert mentions_people("Alexandra's report on alcohol", ["Al", "Alex"]) == []


def test_search_ranks_by_occurrences_and_phrase() -> None:
    documents = {
        1: "Naloxone kits were discussed. Naloxone training next week.",
        2: "Safer supply and naloxone.",
        3: "Nothing relevant here.",
        4: "naloxone kits, naloxone kits, and more naloxone kits",
    }
    ranked = rank("naloxone kits", documents)
    assert [doc for doc, _ in ranked] == [4, 1]


def test_search_ignores_case_and_accents() -> None:
    assert rank("DECISION equite", {7: "Décision sur l'équité"}) == [(7, 2)]


def test_an_empty_query_finds_nothing() -> None:
    assert rank("  ", {1: "anything"}) == []

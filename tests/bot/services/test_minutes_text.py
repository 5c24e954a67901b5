"""MinutesText: the Markdown document, file names, the review card and the change-request DM."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.minutes import Minutes, Section
from bot.domain.settings import Language
from bot.i18n import default_catalog
from bot.services.minutes_text import PREVIEW, MinutesText
from tests.bot.services.minutes_fakes import DROPIN_DAY, DROPIN_START, FIONA, SHORT, card_text

TEXT = MinutesText(default_catalog())


def minutes(key: str = "dropin", sections: dict[Section, str] = SHORT, day: date = DROPIN_DAY) -> Minutes:
    return Minutes(
        id=7,
        guild_id=1,
        meeting_key=key,
        meeting_date=day,
        status="draft",
        author_id=FIONA,
        sections=dict(sections),
        published_sections={},
        review_message_id=None,
        published_channel_id=None,
        published_message_ids=(),
        version=0,
    )


@pytest.mark.parametrize(
    ("key", "expected"),
    [("dropin", "minutes-dropin-2026-12-03.md"), ("wg:12", "minutes-wg-12-2026-12-03.md")],
)
def test_the_file_name_says_which_meeting_and_when(key: str, expected: str) -> None:
    assert TEXT.filename(minutes(key)) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [("dropin", "compte-rendu-rencontre-2026-12-03.md"), ("wg:12", "compte-rendu-gt-12-2026-12-03.md")],
)
def test_the_file_name_follows_a_french_guild(key: str, expected: str) -> None:
    assert TEXT.filename(minutes(key), "fr") == expected


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "# Drop-in minutes, Thursday, December 3, 2026\n"),
        ("fr", "# Compte rendu de la rencontre du jeudi 3 décembre 2026\n"),
    ],
)
def test_the_title_is_in_the_guilds_language(language: Language, title: str) -> None:
    assert TEXT.markdown(minutes(), "", DROPIN_START, language).startswith(title)


def test_a_bilingual_title_gives_each_language_its_own_date() -> None:
    text = TEXT.markdown(minutes(), "", DROPIN_START, "both")

    assert text.startswith(
        "# Drop-in minutes, Thursday, December 3, 2026 · Compte rendu de la rencontre du jeudi 3 décembre 2026\n"
    )


def test_dropin_minutes_give_the_start_across_canada() -> None:
    text = TEXT.markdown(minutes(), "", DROPIN_START, "en")

    assert "ET 12:00" in text and "PT 10:00" in text


def test_exported_minutes_never_carry_discord_timestamp_codes() -> None:
    text = TEXT.markdown(minutes(), "", DROPIN_START, "fr")

    assert "<t:" not in text
    assert "jeudi 3 décembre 2026" in text and "HE 12 h" in text


def test_the_review_card_shows_a_readable_date() -> None:
    card = TEXT.review_card(minutes(), "# x\n", "fr")

    (embed,) = card.embeds
    assert embed.title == "Compte rendu à réviser\u00a0: jeudi 3 décembre 2026"
    assert card.files[0][0] == "compte-rendu-rencontre-2026-12-03.md"


def test_group_minutes_are_titled_with_the_group_and_no_time() -> None:
    text = TEXT.markdown(minutes("wg:12"), "Peer Support", None, "en")

    assert text.startswith("# Peer Support: minutes, Thursday, December 3, 2026\n")
    assert "<t:" not in text


def test_the_review_card_previews_long_minutes_and_attaches_them_whole() -> None:
    markdown = "x" * (PREVIEW + 500)

    card = TEXT.review_card(minutes(), markdown, "en")

    (embed,) = card.embeds
    assert f"x{'x' * (PREVIEW - 2)}…" in embed.description
    assert len(embed.description) <= 4000
    assert card.files == (("minutes-dropin-2026-12-03.md", markdown.encode()),)


def test_the_review_card_names_the_author_by_mention() -> None:
    card = TEXT.review_card(minutes(), "# Minutes\n", "en")

    assert f"<@{FIONA}>" in card_text(card)


@pytest.mark.parametrize("comment", ["Action items by role, please.", ""], ids=["comment", "none"])
def test_the_change_request_dm_is_in_both_languages(comment: str) -> None:
    card = TEXT.changes_dm(minutes(), comment)

    said = card_text(card)
    assert "Changes were requested on the minutes of Thursday, December 3, 2026" in said
    assert "Des modifications sont demandées pour le compte rendu du jeudi 3 décembre 2026" in said
    assert said.count(comment or "—") == 2


def test_the_change_request_dm_in_french_only_has_no_english_date_or_command() -> None:
    card = TEXT.changes_dm(minutes(), "Retirer les noms", ("fr",))

    said = card_text(card)
    assert "jeudi 3 décembre 2026" in said
    assert "/comptes-rendus commencer" in said
    assert not any(word in said for word in ("Thursday", "/minutes", "2026-12-03", "Changes"))


@pytest.mark.parametrize(
    ("key", "group", "language", "title"),
    [
        ("dropin", "", "en", "Drop-in minutes, Thursday, December 3, 2026"),
        ("dropin", "", "fr", "Compte rendu de la rencontre du jeudi 3 décembre 2026"),
        (
            "dropin",
            "",
            "both",
            "Drop-in minutes, Thursday, December 3, 2026 · Compte rendu de la rencontre du jeudi 3 décembre 2026",
        ),
        ("wg:12", "Peer Support", "en", "Peer Support: minutes, Thursday, December 3, 2026"),
    ],
)
def test_a_forum_post_is_titled_with_the_kind_and_date(
    key: str, group: str, language: Language, title: str
) -> None:
    assert TEXT.forum_title(minutes(key), group, language) == title


def test_a_forum_title_too_long_for_both_languages_keeps_the_first_within_100() -> None:
    title = TEXT.forum_title(minutes("wg:12"), "A very long working group name " * 2, "both")

    assert len(title) <= 100 and " · " not in title


@pytest.mark.parametrize(
    ("key", "available", "expected"),
    [
        ("dropin", {"drop-in": 1, "working group": 2, "2026": 3}, (1, 3)),
        ("dropin", {"rencontre": 4, "2027": 5}, (4,)),
        ("wg:12", {"drop-in": 1, "groupe de travail": 6, "2026": 3}, (6, 3)),
        ("dropin", {}, ()),
    ],
    ids=["english-tags", "french-tag-other-year", "group", "forum-without-tags"],
)
def test_forum_tags_are_taken_from_those_the_forum_has(
    key: str, available: dict[str, int], expected: tuple[int, ...]
) -> None:
    assert TEXT.forum_tags(minutes(key), available) == expected

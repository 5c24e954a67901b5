"""Issue 13: a DM draft preview follows the asker's communities' language (the DM carries no locale)."""

from __future__ import annotations

from tests.bot.services.question_fakes import ASKER, GUILD, OTHER_GUILD, QuestionHarness, card_text


async def test_a_draft_in_a_french_guild_is_previewed_in_french_only(questions: QuestionHarness) -> None:
    await questions.settings.set_language(GUILD, "fr")

    _, card = await questions.service.intake.start_draft(ASKER, "Une question", 0, [GUILD])

    said = card_text(card)
    assert "Votre question anonyme" in said
    assert "How anonymity works" not in said
    assert card.actions[0].label == "Envoyer maintenant"


async def test_a_draft_in_a_bilingual_guild_is_previewed_in_english_then_french(
    questions: QuestionHarness,
) -> None:
    await questions.settings.set_language(GUILD, "both")

    _, card = await questions.service.intake.start_draft(ASKER, "A question", 0, [GUILD])

    said = card_text(card)
    assert said.index("How anonymity works") < said.index("Comment fonctionne l")


async def test_french_and_bilingual_guilds_put_french_first(questions: QuestionHarness) -> None:
    await questions.settings.set_language(GUILD, "fr")

    assert await questions.service.intake.dm_langs([GUILD, OTHER_GUILD], ASKER) == ("fr", "en")


async def test_a_known_language_wins_over_the_guilds(questions: QuestionHarness) -> None:
    await questions.settings.set_language(GUILD, "both")
    questions.settings.languages.remember(ASKER, "fr")

    _, card = await questions.service.intake.start_draft(ASKER, "Une question", 0, [GUILD])

    said = card_text(card)
    assert "Comment fonctionne l" in said and "How anonymity works" not in said

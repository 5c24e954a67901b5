"""What the question commands, buttons and modals share: who may review, and telling the asker their
question was received before handing it on."""

from __future__ import annotations

import logging

import discord

from bot.adapters.checks import NotFacilitator, caller_is_facilitator
from bot.adapters.discord_text import reply
from bot.i18n import Lang
from bot.services.ports import DeliveryError
from bot.services.question_intake import Submitted
from bot.services.question_review import QuestionReview
from bot.services.question_text import QuestionText

log = logging.getLogger(__name__)


async def deliver(review: QuestionReview, submitted: Submitted) -> None:
    """After the asker was told: the review card (or publication). A failure is retried by a timer."""
    if submitted.question_id is None:
        return
    try:
        await review.deliver(submitted.question_id)
    except DeliveryError as exc:
        log.warning("question delivery postponed: %s", exc.reason)


async def tell_then_deliver(
    interaction: discord.Interaction,
    text: QuestionText,
    review: QuestionReview,
    submitted: Submitted,
    lang: Lang,
) -> None:
    """The asker hears their question was received (privately), then it goes on its way."""
    await reply(interaction, text.received(submitted, lang))
    await deliver(review, submitted)


async def require_facilitator(interaction: discord.Interaction) -> None:
    if not await caller_is_facilitator(interaction):
        raise NotFacilitator()

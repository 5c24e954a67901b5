"""What the question commands, buttons and modals share: who may review, and handing a submitted
question on once its asker was told."""

from __future__ import annotations

import logging

import discord

from bot.adapters.checks import NotFacilitator, caller_is_facilitator
from bot.services.ports import DeliveryError
from bot.services.question_intake import Submitted
from bot.services.question_review import QuestionReview

log = logging.getLogger(__name__)


async def deliver(review: QuestionReview, submitted: Submitted) -> None:
    """After the asker was told: the review card (or publication). A failure is retried by a timer."""
    if submitted.question_id is None:
        return
    try:
        await review.deliver(submitted.question_id)
    except DeliveryError as exc:
        log.warning("question delivery postponed: %s", exc.reason)


async def require_facilitator(interaction: discord.Interaction) -> None:
    if not await caller_is_facilitator(interaction):
        raise NotFacilitator()

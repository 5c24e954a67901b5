"""What the question buttons do: the asker's draft buttons and community choice, forget-me, the
reviewers' Approve / Reject / Block / Urgent, and Answer / Follow-up under a published question.

Nothing here logs or renders who is pressing: the services get the user id and give back only
numbers, codes and localized cards.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.adapters.discord_text import caller_lang, embeds_of, reply
from bot.domain.questions import QuestionStatus
from bot.logs import exception_summary
from bot.services.forget import ForgetMe
from bot.services.questions import Questions
from cogs.questions._interaction import deliver, require_facilitator, tell_then_deliver
from cogs.questions._views import Handler, TextModal

log = logging.getLogger(__name__)


class QuestionButtons:
    def __init__(self, bot: Any, questions: Questions, forget: ForgetMe) -> None:
        self._bot = bot
        self._text = questions.text
        self._questions = questions
        self._intake = questions.intake
        self._review = questions.review
        self._answers = questions.answers
        self._forget = forget  # "forget me" forgets everything, in every feature (cogs/members: /forget-me)

    def handler(self, kind: str) -> Handler:
        handlers: dict[str, Handler] = {
            "draft-submit": lambda i, d: self._submit_draft(i, d, hold=False),
            "draft-hold": lambda i, d: self._submit_draft(i, d, hold=True),
            "draft-relay": self._toggle_relay,
            "draft-cancel": self._cancel_draft,
            "forget": self._forget_button,
            "approve": self._approve,
            "reject": self._reject,
            "block": self._block,
            "urgent": self._urgent,
            "answer": lambda i, q: self._answer(i, q, as_facilitator=False),
            "answer-facilitator": lambda i, q: self._answer(i, q, as_facilitator=True),
            "follow-up": self._follow_up,
        }
        return handlers[kind]

    # --- the asker's draft -----------------------------------------------------------------------
    async def _submit_draft(self, interaction: discord.Interaction, draft_id: int, *, hold: bool) -> None:
        await interaction.response.defer()
        lang = caller_lang(interaction)
        submitted = await self._intake.submit_draft(draft_id, interaction.user.id, hold=hold, lang=lang)
        await interaction.edit_original_response(
            content=self._text.received(submitted, lang), embeds=[], view=None
        )
        await deliver(self._review, submitted)

    async def _toggle_relay(self, interaction: discord.Interaction, draft_id: int) -> None:
        await interaction.response.defer()  # acknowledge within Discord's 3 s, then do the work
        draft = await self._intake.toggle_relay(draft_id, interaction.user.id)
        card = await self._intake.draft_card(draft, caller_lang(interaction))
        view = self._bot.components.view_for(card.actions)
        await interaction.edit_original_response(embeds=embeds_of(card), view=view)

    async def _cancel_draft(self, interaction: discord.Interaction, draft_id: int) -> None:
        await interaction.response.defer()
        await self._intake.cancel_draft(draft_id, interaction.user.id)
        text = self._text.say(caller_lang(interaction), "questions.intake.cancelled")
        await interaction.edit_original_response(content=text, embeds=[], view=None)

    async def choose_guild(self, interaction: discord.Interaction, draft_id: int, guild_id: int) -> None:
        await interaction.response.defer()
        draft = await self._intake.choose_guild(draft_id, interaction.user.id, guild_id)
        card = await self._intake.draft_card(draft, caller_lang(interaction))
        await interaction.edit_original_response(
            embeds=embeds_of(card), view=self._bot.components.view_for(card.actions)
        )

    async def _forget_button(self, interaction: discord.Interaction, _: int) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self._forget.forget(interaction.user.id)
        await reply(interaction, self._forget.describe(report, caller_lang(interaction)))

    # --- review ------------------------------------------------------------------------------------
    async def _approve(self, interaction: discord.Interaction, question_id: int) -> None:
        await require_facilitator(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        question = await self._review.approve(question_id)
        key = "questions.approved_held" if question.status is QuestionStatus.HELD else "questions.approved"
        await reply(interaction, self._text.say(caller_lang(interaction), key, number=question.number))

    async def _reject(self, interaction: discord.Interaction, question_id: int) -> None:
        await require_facilitator(interaction)
        lang = caller_lang(interaction)
        question = await self._questions.question(question_id)

        async def on_reason(modal_interaction: discord.Interaction, reason: str) -> None:
            await modal_interaction.response.defer(ephemeral=True, thinking=True)
            rejected = await self._review.reject(question_id, reason)
            await reply(modal_interaction, self._text.say(lang, "questions.rejected", number=rejected.number))

        t = self._text.say
        await interaction.response.send_modal(
            TextModal(
                t(lang, "questions.modal.reject_title", number=question.number),
                t(lang, "questions.modal.reject_label"),
                on_reason,
                required=False,
                max_length=1000,
            )
        )

    async def _block(self, interaction: discord.Interaction, question_id: int) -> None:
        await require_facilitator(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        question, code = await self._review.block(question_id)
        lang = caller_lang(interaction)
        if code is None:
            text = self._text.say(lang, "questions.privacy.block_forgotten", number=question.number)
        else:
            text = self._text.say(lang, "questions.blocked", code=code, number=question.number)
        await reply(interaction, text)

    async def _urgent(self, interaction: discord.Interaction, question_id: int) -> None:
        await require_facilitator(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        question = await self._review.toggle_urgent(question_id)
        key = "questions.urgent_marked" if question.urgent else "questions.urgent_unmarked"
        await reply(interaction, self._text.say(caller_lang(interaction), key, number=question.number))

    # --- under a published question ----------------------------------------------------------------
    async def _answer(
        self, interaction: discord.Interaction, question_id: int, *, as_facilitator: bool
    ) -> None:
        if as_facilitator:
            await require_facilitator(interaction)
        lang = caller_lang(interaction)
        question = await self._questions.question(question_id)
        signature = None if as_facilitator else interaction.user.display_name

        async def on_answer(modal_interaction: discord.Interaction, text: str) -> None:
            await modal_interaction.response.defer(ephemeral=True, thinking=True)
            await self._answers.answer(question_id, text, signature)
            # The same acknowledgement whatever happens next: the DM to the asker comes after it.
            await reply(modal_interaction, self._text.say(lang, "questions.answered"))
            try:  # whatever happens to the relay, the answerer hears nothing more
                await self._answers.relay_answer(question_id, text)
            except Exception as exc:
                log.warning("answer relay failed: %s", exception_summary(exc))

        t = self._text.say
        own = await self._intake.is_asker(question_id, interaction.user.id)  # the presser alone sees it
        await interaction.response.send_modal(
            TextModal(
                t(lang, "questions.modal.answer_title", number=question.number),
                t(lang, "questions.modal.answer_label"),
                on_answer,
                placeholder=t(lang, "questions.privacy.answer_named") if own else None,
            )
        )

    async def _follow_up(self, interaction: discord.Interaction, question_id: int) -> None:
        lang = caller_lang(interaction)

        async def on_text(modal_interaction: discord.Interaction, text: str) -> None:
            await modal_interaction.response.defer(ephemeral=True, thinking=True)
            submitted = await self._intake.follow_up(question_id, modal_interaction.user.id, text, lang)
            await tell_then_deliver(modal_interaction, self._text, self._review, submitted, lang)

        t = self._text.say
        await interaction.response.send_modal(
            TextModal(
                t(lang, "questions.modal.follow_up_title"),
                t(lang, "questions.modal.follow_up_label"),
                on_text,
            )
        )

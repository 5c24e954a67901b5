"""Question commands, the DM listener and the button handlers: read input, call the service, answer.

Nothing here logs or renders who is asking: the service gets the user id and gives back only
numbers, codes and localized cards.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, locale_str
from discord.ext import commands

from bot.adapters.checks import NotFacilitator, caller_is_facilitator, facilitator_only
from bot.adapters.discord_text import NONE, caller_lang, embeds_of, guild_id_of, loc, reply
from bot.domain.questions import QuestionStatus
from bot.errors import UserError
from bot.i18n import LANGS, Lang
from bot.logs import exception_summary
from bot.services.forget import ForgetMe
from bot.services.ports import DeliveryError, Menu
from bot.services.question_text import QuestionText
from bot.services.questions import QuestionService, Submitted
from cogs.questions._views import TextModal

log = logging.getLogger(__name__)
FORGET_WORDS = {"forget me", "forget-me", "oublie-moi", "oubliez-moi", "oublie moi"}
STATE_CHOICES = [
    Choice(name=locale_str("On", key="choice.state.on"), value="on"),
    Choice(name=locale_str("Off", key="choice.state.off"), value="off"),
]


class QuestionsCog(commands.Cog):
    questions = app_commands.Group(
        name=loc("questions", "cmd.questions.name"),
        description=loc("The anonymous-question queue (facilitators)", "cmd.questions.description"),
        guild_only=True,
    )

    def __init__(self, bot: Any, text: QuestionText, service: QuestionService, forget: ForgetMe) -> None:
        self._bot = bot
        self._text = text
        self._service = service
        self._forget = forget  # "forget me" forgets everything, in every feature (cogs/members: /forget-me)

    # --- DM intake --------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is not None or message.author.bot:
            return
        langs = LANGS
        try:
            names = await self._bot.shared_guilds.of(message.author.id)  # across shards: docs/scaling.md
            shared = list(names)
            langs = await self._service.dm_langs(shared, message.author.id)
            if message.content.strip().lower() in FORGET_WORDS:
                await self._forget_dm(message, langs)
                return
            await self._start_draft(message, names, langs)
        except UserError as error:
            await self._send_dm(message.channel, content=self._in(langs, error.key, error.params))
        except Exception as exc:  # the asker gets an answer, the log gets no content
            log.error("DM intake failed: %s", exception_summary(exc))
            await self._send_dm(message.channel, content=self._in(langs, "error.generic", {}))

    async def _start_draft(
        self, message: discord.Message, shared: dict[int, str], langs: tuple[Lang, ...]
    ) -> None:
        accepting = await self._service.accepting_guilds(list(shared))
        draft, card = await self._service.start_draft(
            message.author.id, message.content, len(message.attachments), accepting
        )
        menu = None
        if draft.guild_id is None:  # in several communities: the asker chooses one
            options = tuple((shared[gid], str(gid)) for gid in accepting)
            menu = Menu("draft-guild", draft.id, self._text.choose_placeholder(langs), options)
        view = self._bot.components.view_for(card.actions, menu)
        await self._send_dm(message.channel, embeds=embeds_of(card), view=view)

    async def _forget_dm(self, message: discord.Message, langs: tuple[Lang, ...]) -> None:
        report = await self._forget.forget(message.author.id)
        await self._send_dm(message.channel, content=self._forget.describe(report, *langs))

    async def _send_dm(self, channel: discord.abc.Messageable, **fields: Any) -> None:
        """Replies in DMs share the bot's pace, so a burst of askers never exhausts Discord's retries."""
        async with self._bot.rest_limiter:
            await channel.send(allowed_mentions=NONE, **fields)

    def _in(self, langs: tuple[Lang, ...], key: str, params: dict[str, Any]) -> str:
        """A DM carries no locale: answer in the languages of the person's communities (dm_langs)."""
        return self._text.say_in(langs, key, params)

    # --- button handlers ----------------------------------------------------------------------------
    def handler(self, kind: str) -> Callable[[discord.Interaction, int], Awaitable[None]]:
        handlers: dict[str, Callable[[discord.Interaction, int], Awaitable[None]]] = {
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

    async def _submit_draft(self, interaction: discord.Interaction, draft_id: int, *, hold: bool) -> None:
        await interaction.response.defer()
        lang = caller_lang(interaction)
        submitted = await self._service.submit_draft(draft_id, interaction.user.id, hold=hold, lang=lang)
        await interaction.edit_original_response(
            content=self._received(submitted, lang), embeds=[], view=None
        )
        await self._deliver(submitted)

    async def _toggle_relay(self, interaction: discord.Interaction, draft_id: int) -> None:
        await interaction.response.defer()  # acknowledge within Discord's 3 s, then do the work
        draft = await self._service.toggle_relay(draft_id, interaction.user.id)
        card = await self._service.draft_card(draft, caller_lang(interaction))
        view = self._bot.components.view_for(card.actions)
        await interaction.edit_original_response(embeds=embeds_of(card), view=view)

    async def _cancel_draft(self, interaction: discord.Interaction, draft_id: int) -> None:
        await interaction.response.defer()
        await self._service.cancel_draft(draft_id, interaction.user.id)
        text = self._text.say(caller_lang(interaction), "questions.intake.cancelled")
        await interaction.edit_original_response(content=text, embeds=[], view=None)

    async def choose_guild(self, interaction: discord.Interaction, draft_id: int, guild_id: int) -> None:
        await interaction.response.defer()
        draft = await self._service.choose_guild(draft_id, interaction.user.id, guild_id)
        card = await self._service.draft_card(draft, caller_lang(interaction))
        await interaction.edit_original_response(
            embeds=embeds_of(card), view=self._bot.components.view_for(card.actions)
        )

    async def _forget_button(self, interaction: discord.Interaction, _: int) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self._forget.forget(interaction.user.id)
        await self._done(interaction, self._forget.describe(report, caller_lang(interaction)))

    async def _approve(self, interaction: discord.Interaction, question_id: int) -> None:
        await self._require_facilitator(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        question = await self._service.approve(question_id)
        key = "questions.approved_held" if question.status is QuestionStatus.HELD else "questions.approved"
        await self._done(interaction, self._text.say(caller_lang(interaction), key, number=question.number))

    async def _reject(self, interaction: discord.Interaction, question_id: int) -> None:
        await self._require_facilitator(interaction)
        lang = caller_lang(interaction)
        question = await self._service.get(question_id)

        async def on_reason(modal_interaction: discord.Interaction, reason: str) -> None:
            await modal_interaction.response.defer(ephemeral=True, thinking=True)
            rejected = await self._service.reject(question_id, reason)
            await self._done(
                modal_interaction, self._text.say(lang, "questions.rejected", number=rejected.number)
            )

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
        await self._require_facilitator(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        question, code = await self._service.block(question_id)
        lang = caller_lang(interaction)
        if code is None:
            text = self._text.say(lang, "questions.privacy.block_forgotten", number=question.number)
        else:
            text = self._text.say(lang, "questions.blocked", code=code, number=question.number)
        await self._done(interaction, text)

    async def _urgent(self, interaction: discord.Interaction, question_id: int) -> None:
        await self._require_facilitator(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        question = await self._service.toggle_urgent(question_id)
        key = "questions.urgent_marked" if question.urgent else "questions.urgent_unmarked"
        await self._done(interaction, self._text.say(caller_lang(interaction), key, number=question.number))

    async def _answer(
        self, interaction: discord.Interaction, question_id: int, *, as_facilitator: bool
    ) -> None:
        if as_facilitator:
            await self._require_facilitator(interaction)
        lang = caller_lang(interaction)
        question = await self._service.get(question_id)
        signature = None if as_facilitator else interaction.user.display_name

        async def on_answer(modal_interaction: discord.Interaction, text: str) -> None:
            await modal_interaction.response.defer(ephemeral=True, thinking=True)
            await self._service.answer(question_id, text, signature)
            # The same acknowledgement whatever happens next: the DM to the asker comes after it.
            await self._done(modal_interaction, self._text.say(lang, "questions.answered"))
            try:  # whatever happens to the relay, the answerer hears nothing more
                await self._service.relay_answer(question_id, text)
            except Exception as exc:
                log.warning("answer relay failed: %s", exception_summary(exc))

        t = self._text.say
        own = await self._service.is_asker(question_id, interaction.user.id)  # the presser alone sees it
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
            submitted = await self._service.follow_up(question_id, modal_interaction.user.id, text, lang)
            await self._done(modal_interaction, self._received(submitted, lang))
            await self._deliver(submitted)

        t = self._text.say
        await interaction.response.send_modal(
            TextModal(
                t(lang, "questions.modal.follow_up_title"),
                t(lang, "questions.modal.follow_up_label"),
                on_text,
            )
        )

    # --- slash commands --------------------------------------------------------------------------------
    @app_commands.command(
        name=loc("ask", "cmd.ask.name"),
        description=loc("Ask a question anonymously (nobody will see that you asked)", "cmd.ask.description"),
    )
    @app_commands.guild_only()
    @app_commands.rename(
        dm_answers=loc("dm-answers", "opt.dm_answers.name"), hold=loc("hold", "opt.hold.name")
    )
    @app_commands.describe(
        dm_answers=loc("Send answers to you by direct message (default: yes)", "opt.dm_answers.description"),
        hold=loc("Keep it for the next drop-in instead of posting it now", "opt.hold.description"),
    )
    async def ask(
        self, interaction: discord.Interaction, dm_answers: bool = True, hold: bool = False
    ) -> None:
        lang = caller_lang(interaction)
        guild_id = interaction.guild_id
        assert guild_id is not None

        async def on_question(modal_interaction: discord.Interaction, text: str) -> None:
            await modal_interaction.response.defer(ephemeral=True, thinking=True)
            submitted = await self._service.submit_direct(
                guild_id, modal_interaction.user.id, text, hold=hold, relay=dm_answers, lang=lang
            )
            await self._done(modal_interaction, self._received(submitted, lang))
            await self._deliver(submitted)

        t = self._text.say
        await interaction.response.send_modal(
            TextModal(
                t(lang, "questions.modal.ask_title"),
                t(lang, "questions.modal.ask_label"),
                on_question,
                max_length=self._service.max_length,
                placeholder=t(lang, "questions.modal.ask_placeholder"),
            )
        )

    @questions.command(
        name=loc("queue", "cmd.questions.queue.name"),
        description=loc(
            "Questions waiting for review or held for the drop-in", "cmd.questions.queue.description"
        ),
    )
    @facilitator_only()
    async def queue(self, interaction: discord.Interaction) -> None:
        waiting = await self._service.queue(guild_id_of(interaction))
        text = self._text.queue(waiting, caller_lang(interaction))
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    @questions.command(
        name=loc("unblock", "cmd.questions.unblock.name"),
        description=loc("Unblock an asker by their code", "cmd.questions.unblock.description"),
    )
    @app_commands.rename(code=loc("code", "opt.code.name"))
    @app_commands.describe(code=loc("The asker's code, e.g. 7F3A-91C2", "opt.code.description"))
    @facilitator_only()
    async def unblock(self, interaction: discord.Interaction, code: str) -> None:
        count = await self._service.unblock(guild_id_of(interaction), code)
        text = self._text.say(caller_lang(interaction), "questions.unblocked", count=count, code=code.upper())
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    @questions.command(
        name=loc("stats", "cmd.questions.stats.name"),
        description=loc("Counts of questions, answers and blocks", "cmd.questions.stats.description"),
    )
    @facilitator_only()
    async def stats(self, interaction: discord.Interaction) -> None:
        found = await self._service.stats(guild_id_of(interaction))
        text = self._text.stats(found, caller_lang(interaction))
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    @questions.command(
        name=loc("review", "cmd.questions.review.name"),
        description=loc(
            "Require a facilitator's approval before a question is published",
            "cmd.questions.review.description",
        ),
    )
    @app_commands.rename(state=loc("state", "opt.state.name"))
    @app_commands.describe(state=loc("On or off", "opt.state.description"))
    @app_commands.choices(state=STATE_CHOICES)
    @facilitator_only()
    async def review(self, interaction: discord.Interaction, state: Choice[str]) -> None:
        required = state.value == "on"
        await self._service.set_review_required(guild_id_of(interaction), required)
        text = self._text.say(
            caller_lang(interaction), "questions.review_on" if required else "questions.review_off"
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    # --- helpers -------------------------------------------------------------------------------------
    def _received(self, submitted: Submitted, lang: Lang) -> str:
        return self._text.received(submitted, lang)

    async def _deliver(self, submitted: Submitted) -> None:
        """After the asker was told: the review card (or publication). A failure is retried by a timer."""
        if submitted.question_id is None:
            return
        try:
            await self._service.deliver(submitted.question_id)
        except DeliveryError as exc:
            log.warning("question delivery postponed: %s", exc.reason)

    async def _require_facilitator(self, interaction: discord.Interaction) -> None:
        if not await caller_is_facilitator(interaction):
            raise NotFacilitator()

    async def _done(self, interaction: discord.Interaction, text: str) -> None:
        await reply(interaction, text)

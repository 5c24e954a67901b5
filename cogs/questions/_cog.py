"""/ask and /questions: read input, call the questions services, answer.

The DM listener is a cog of its own (cogs/questions/_dm.py); what the buttons do is QuestionButtons'
(cogs/questions/_buttons.py). Nothing here logs or renders who is asking: the services get the user id
and give back only numbers, codes and localized cards.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.adapters.checks import facilitator_only
from bot.adapters.discord_text import NONE, STATE_CHOICES, caller_lang, guild_id_of, loc
from bot.services.questions import Questions
from cogs.questions._interaction import tell_then_deliver
from cogs.questions._views import TextModal


class QuestionsCog(commands.Cog):
    questions = app_commands.Group(
        name=loc("questions", "cmd.questions.name"),
        description=loc("The anonymous-question queue (facilitators)", "cmd.questions.description"),
        guild_only=True,
    )

    def __init__(self, questions: Questions) -> None:
        self._text = questions.text
        self._questions = questions
        self._queue = questions.queue

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
            submitted = await self._questions.intake.submit_direct(
                guild_id, modal_interaction.user.id, text, hold=hold, relay=dm_answers, lang=lang
            )
            await tell_then_deliver(modal_interaction, self._text, self._questions.review, submitted, lang)

        t = self._text.say
        await interaction.response.send_modal(
            TextModal(
                t(lang, "questions.modal.ask_title"),
                t(lang, "questions.modal.ask_label"),
                on_question,
                max_length=self._questions.max_length,
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
        waiting = await self._queue.queue(guild_id_of(interaction))
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
        count = await self._queue.unblock(guild_id_of(interaction), code)
        text = self._text.say(caller_lang(interaction), "questions.unblocked", count=count, code=code.upper())
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    @questions.command(
        name=loc("stats", "cmd.questions.stats.name"),
        description=loc("Counts of questions, answers and blocks", "cmd.questions.stats.description"),
    )
    @facilitator_only()
    async def stats(self, interaction: discord.Interaction) -> None:
        found = await self._queue.stats(guild_id_of(interaction))
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
        await self._queue.set_review_required(guild_id_of(interaction), required)
        text = self._text.say(
            caller_lang(interaction), "questions.review_on" if required else "questions.review_off"
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

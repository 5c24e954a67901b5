"""The DM listener: a direct message becomes a draft question (or, in words, a forget-me request).

Nothing here logs or renders who is asking: the service gets the user id and gives back only
numbers, codes and localized cards.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.ext import commands

from bot.adapters.discord_text import embed_payloads, post_unread
from bot.errors import UserError
from bot.i18n import LANGS, Lang
from bot.logs import exception_summary
from bot.services.forget import ForgetMe
from bot.services.ports import Menu
from bot.services.question_intake import QuestionIntake
from bot.services.question_text import QuestionText

log = logging.getLogger(__name__)
FORGET_WORDS = {"forget me", "forget-me", "oublie-moi", "oubliez-moi", "oublie moi"}


class QuestionDMsCog(commands.Cog):
    def __init__(self, bot: Any, text: QuestionText, intake: QuestionIntake, forget: ForgetMe) -> None:
        self._bot = bot
        self._text = text
        self._intake = intake
        self._forget = forget  # "forget me" forgets everything, in every feature (cogs/members: /forget-me)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is not None or message.author.bot:
            return
        langs = LANGS
        try:
            names = await self._bot.shared_guilds.of(message.author.id)  # across shards: docs/scaling.md
            shared = list(names)
            langs = await self._intake.dm_langs(shared, message.author.id)
            if message.content.strip().lower() in FORGET_WORDS:
                await self._forget_dm(message, langs)
                return
            await self._start_draft(message, names, langs)
        except UserError as error:
            await self._send_dm(message.channel.id, content=self._in(langs, error.key, error.params))
        except Exception as exc:  # the asker gets an answer, the log gets no content
            log.error("DM intake failed: %s", exception_summary(exc))
            await self._send_dm(message.channel.id, content=self._in(langs, "error.generic", {}))

    async def _start_draft(
        self, message: discord.Message, shared: dict[int, str], langs: tuple[Lang, ...]
    ) -> None:
        accepting = await self._intake.accepting_guilds(list(shared))
        draft, card = await self._intake.start_draft(
            message.author.id, message.content, len(message.attachments), accepting
        )
        menu = None
        if draft.guild_id is None:  # in several communities: the asker chooses one
            options = tuple((shared[gid], str(gid)) for gid in accepting)
            menu = Menu("draft-guild", draft.id, self._text.choose_placeholder(langs), options)
        rows = self._bot.components.rows_for(card.actions, menu)
        await self._send_dm(message.channel.id, embeds=embed_payloads(card), components=rows)

    async def _forget_dm(self, message: discord.Message, langs: tuple[Lang, ...]) -> None:
        report = await self._forget.forget(message.author.id)
        await self._send_dm(message.channel.id, content=self._forget.describe(report, *langs))

    async def _send_dm(self, channel_id: int, **fields: Any) -> None:
        """Replies in DMs share the bot's pace, so a burst of askers never exhausts Discord's retries."""
        async with self._bot.rest_limiter:
            await post_unread(self._bot, channel_id, **fields)

    def _in(self, langs: tuple[Lang, ...], key: str, params: dict[str, Any]) -> str:
        """A DM carries no locale: answer in the languages of the person's communities (dm_langs)."""
        return self._text.say_in(langs, key, params)

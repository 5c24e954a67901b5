"""/roles, the #welcome role picker, the welcome DM, /privacy, /forget-me and /community report.

Thin glue: read the interaction, call one service method, render with MembersText, answer (ephemeral
for anything personal). Who holds which role is read from Discord, never stored.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.adapters.checks import facilitator_only
from bot.adapters.discord_text import DESCRIPTION_MAX, NONE, caller_lang, embed_of, guild_id_of, loc, reply
from bot.domain.members import MemberFacts
from bot.i18n.privacy import notice, sections
from bot.logs import exception_summary
from bot.services.forget import ForgetMe
from bot.services.members import MembersService
from bot.services.members_chart import report_png
from bot.services.members_text import MembersText
from bot.services.ports import EmbedText
from cogs.members._views import roles_view

log = logging.getLogger(__name__)
FORMAT_CHOICES = [
    Choice(name=loc("Table and chart", "choice.report_format.table"), value="table"),
    Choice(name=loc("CSV file", "choice.report_format.csv"), value="csv"),
]


def _facts(guild: discord.Guild) -> list[MemberFacts]:
    """From the gateway's member cache: no request per member."""
    return [MemberFacts(_role_ids(m), m.joined_at) for m in guild.members if not m.bot]


def _role_ids(member: discord.Member) -> frozenset[int]:
    return frozenset(role.id for role in member.roles)


class MembersCog(commands.Cog):
    community = app_commands.Group(
        name=loc("community", "cmd.community.name"),
        description=loc("The community's membership (facilitators)", "cmd.community.description"),
        guild_only=True,
    )

    def __init__(self, bot: Any, text: MembersText, service: MembersService, forget: ForgetMe) -> None:
        self._bot = bot
        self._text = text
        self._service = service
        self._forget = forget
        self.select_class: Any = None  # set by register_components

    # --- community roles ----------------------------------------------------------------------------
    @app_commands.command(
        name=loc("roles", "cmd.roles.name"),
        description=loc("Choose your community roles (you may pick several)", "cmd.roles.description"),
    )
    @app_commands.guild_only()
    async def roles(self, interaction: discord.Interaction) -> None:
        await self.open_picker(interaction, guild_id_of(interaction))

    async def open_picker(self, interaction: discord.Interaction, _target: int) -> None:
        member = interaction.user
        if interaction.guild_id is None or not isinstance(member, discord.Member):
            return await reply(
                interaction, self._text.say(caller_lang(interaction), "members.error.guild_only")
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        lang = caller_lang(interaction)
        options = await self._service.options(interaction.guild_id, _role_ids(member), lang)
        view = roles_view(
            self.select_class,
            interaction.guild_id,
            options,
            self._text.say(lang, "members.picker.placeholder"),
        )
        await interaction.followup.send(
            self._text.say(lang, "members.picker.prompt"), view=view, ephemeral=True, allowed_mentions=NONE
        )

    async def choose_roles(self, interaction: discord.Interaction, guild_id: int, keys: list[str]) -> None:
        member = interaction.user
        if not isinstance(member, discord.Member) or interaction.guild_id != guild_id:
            return await reply(
                interaction, self._text.say(caller_lang(interaction), "members.error.guild_only")
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        lang = caller_lang(interaction)
        changed = await self._service.choose(guild_id, member.id, _role_ids(member), keys)
        text = self._text.roles_saved(changed, lang)
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)

    @community.command(
        name=loc("picker", "cmd.community.picker.name"),
        description=loc(
            "Post or refresh the role picker in the welcome channel", "cmd.community.picker.description"
        ),
    )
    @facilitator_only()
    async def picker(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        channel_id, _ = await self._service.post_picker(guild_id_of(interaction))
        await reply(
            interaction,
            self._text.say(caller_lang(interaction), "members.picker.posted", channel=f"<#{channel_id}>"),
        )

    # --- welcome ------------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        if member.bot:
            return
        try:
            await self._service.welcome(member.guild.id, member.id)
        except Exception as exc:  # a welcome never fails loudly; the log names no one
            log.error("welcome failed: %s", exception_summary(exc))

    # --- privacy and forget-me ----------------------------------------------------------------------
    @app_commands.command(
        name=loc("privacy", "cmd.privacy.name"),
        description=loc(
            "What the bot keeps about you, who sees it, and how to delete it", "cmd.privacy.description"
        ),
    )
    async def privacy(self, interaction: discord.Interaction) -> None:
        lang = caller_lang(interaction)
        title = self._text.say(lang, "members.privacy.title")
        embeds = [
            embed_of(EmbedText(title if i == 0 else "", part))
            for i, part in enumerate(sections(notice(lang), DESCRIPTION_MAX))
        ]
        await interaction.response.send_message(embeds=embeds[:10], ephemeral=True, allowed_mentions=NONE)

    @app_commands.command(
        name=loc("forget-me", "cmd.forget-me.name"),
        description=loc(
            "Delete everything the bot keeps about you, in every feature", "cmd.forget-me.description"
        ),
    )
    async def forget_me(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self._forget.forget(interaction.user.id)
        await reply(interaction, self._forget.describe(report, caller_lang(interaction)))

    # --- the membership report ------------------------------------------------------------------------
    @community.command(
        name=loc("report", "cmd.community.report.name"),
        description=loc(
            "Members per community role and joins per month (counts only)", "cmd.community.report.description"
        ),
    )
    @app_commands.describe(kind=loc("A table with a chart, or a CSV file", "opt.report_format.description"))
    @app_commands.rename(kind=loc("format", "opt.report_format.name"))
    @app_commands.choices(kind=FORMAT_CHOICES)
    @facilitator_only()
    async def report(self, interaction: discord.Interaction, kind: str = "table") -> None:
        guild = interaction.guild
        assert guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        lang = caller_lang(interaction)
        report = await self._service.report(guild.id, _facts(guild))
        text = self._text
        if kind == "csv":
            data = text.report_csv(report, lang)
            file = discord.File(io.BytesIO(data), filename="membership.csv")
            await interaction.followup.send(
                text.say(lang, "members.report.csv_ready"), file=file, ephemeral=True
            )
            return
        png = await asyncio.to_thread(
            report_png, report, lang, text
        )  # off the event loop: the gateway keeps beating
        chart = discord.File(
            io.BytesIO(png), filename="membership.png", description=text.chart_summary(report, lang)
        )
        await interaction.followup.send(
            text.report_table(report, lang), file=chart, ephemeral=True, allowed_mentions=NONE
        )

"""/about: what the bot and the community are, the drop-in in one line, the privacy promise."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.adapters.discord_text import caller_lang
from bot.discord_bot import NssBot
from bot.domain.schedule import canada_line
from bot.i18n import Catalog
from bot.i18n.dates import discord_timestamp
from bot.services.community import CommunityService


class AboutCog(commands.Cog):
    def __init__(self, catalog: Catalog, community: CommunityService) -> None:
        self._catalog = catalog
        self._community = community

    @app_commands.command(
        name=locale_str("about", key="cmd.about.name"),
        description=locale_str(
            "What this bot and the NSS-CoP are, and how your privacy is protected",
            key="cmd.about.description",
        ),
    )
    async def about(self, interaction: discord.Interaction) -> None:
        lang = caller_lang(interaction)
        start = await self._community.next_dropin(interaction.guild_id)
        embed = discord.Embed(
            title=self._catalog.t(lang, "about.title"),
            description=self._catalog.t(
                lang,
                "about.body",
                next_start=discord_timestamp(start, "F"),
                next_relative=discord_timestamp(start, "R"),
                canada_line=canada_line(start, lang),
            ),
            colour=discord.Colour.teal(),
        )
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


async def setup(bot: NssBot) -> None:
    await bot.add_cog(AboutCog(bot.services.catalog, bot.services.community))

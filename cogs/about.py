"""/about: what the bot and the community are, the drop-in in one line, the privacy promise."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.adapters.discord_text import caller_lang
from bot.discord_bot import NssBot
from bot.services.about_text import AboutText
from bot.services.community import CommunityService


class AboutCog(commands.Cog):
    def __init__(self, text: AboutText, community: CommunityService) -> None:
        self._text = text
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
        text = self._text.about(start, lang)
        embed = discord.Embed(title=text.title, description=text.description, colour=discord.Colour.teal())
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


async def setup(bot: NssBot) -> None:
    await bot.add_cog(AboutCog(AboutText(bot.services.catalog), bot.services.community))

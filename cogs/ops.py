"""Operators' view of Discord traffic: each completed slash command feeds the metrics (name and latency
only; never who ran it or what they typed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_bot import NssBot

if TYPE_CHECKING:
    from bot.web.metrics import Metrics  # only loaded with the web server (bot/app.py)


class OpsCog(commands.Cog):
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: app_commands.Command | app_commands.ContextMenu
    ) -> None:
        elapsed = (discord.utils.utcnow() - interaction.created_at).total_seconds()
        self._metrics.command_latency.labels(command.qualified_name).observe(max(0.0, elapsed))
        self._metrics.events.labels("discord", "command", "completed").inc()


async def setup(bot: NssBot) -> None:
    if bot.services.metrics is not None:
        await bot.add_cog(OpsCog(bot.services.metrics))

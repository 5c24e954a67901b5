"""The bare discord.py bot the benchmark compares against: same intents, constant replies, no database.

`python -m bench.baseline BASE TOKEN GUILD_ID STATS_FILE`: answers every DM and `/dropin next` with a
constant; on SIGUSR1 it writes {"seq", "cpu_s"} to STATS_FILE (bench/stats.py).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands

from bench.stats import report_on_signal

base, token, guild_id, stats = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
discord.http.Route.BASE = base + "/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(base.replace("http", "ws", 1) + "/")
intents = discord.Intents.none()
intents.guilds = intents.members = intents.dm_messages = True


class Bare(discord.Client):
    def __init__(self) -> None:
        super().__init__(intents=intents, guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self)
        group = app_commands.Group(name="dropin", description="Drop-in")

        @group.command(name="next", description="The next drop-in")
        async def next_(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Thursday at noon.", ephemeral=True)

        self.tree.add_command(group)

    async def setup_hook(self) -> None:
        report_on_signal(stats)
        guild = discord.Object(guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)

    async def on_ready(self) -> None:
        print(f"READY {time.monotonic()}", flush=True)

    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None and not message.author.bot:
            await message.channel.send("Thanks, received.")


Bare().run(token, log_handler=None)

"""/honoraria: members opt in to participation records, facilitators export them (ephemeral replies).

Leads record a meeting's participants with /wg attendance (cogs/groups/_cog.py)."""

from __future__ import annotations

from functools import partial

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.checks import facilitator_only
from bot.adapters.discord_text import NONE, caller_lang, guild_id_of, loc
from bot.adapters.uploads import send_in_batches
from bot.domain.dropin import parse_date
from bot.domain.uploads import Upload
from bot.i18n.dates import long_day
from bot.services.group_honoraria import GroupHonoraria
from bot.services.group_text import GroupText
from cogs.groups._interaction import say


class HonorariaCog(commands.Cog):
    honoraria = app_commands.Group(
        name=loc("honoraria", "cmd.honoraria.name"),
        description=loc("Participation records for honoraria", "cmd.honoraria.description"),
        guild_only=True,
    )

    def __init__(self, text: GroupText, honoraria: GroupHonoraria) -> None:
        self._text = text
        self._honoraria = honoraria

    @honoraria.command(
        name=loc("opt-in", "cmd.honoraria.opt-in.name"),
        description=loc(
            "Let leads record your participation, so you can be paid for it",
            "cmd.honoraria.opt-in.description",
        ),
    )
    async def opt_in(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._honoraria.opt_in(guild_id_of(interaction), interaction.user.id, True)
        await say(interaction, self._text, "groups.opted_in")

    @honoraria.command(
        name=loc("opt-out", "cmd.honoraria.opt-out.name"),
        description=loc("Stop recording your participation", "cmd.honoraria.opt-out.description"),
    )
    async def opt_out(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._honoraria.opt_in(guild_id_of(interaction), interaction.user.id, False)
        await say(interaction, self._text, "groups.opted_out")

    @honoraria.command(
        name=loc("export", "cmd.honoraria.export.name"),
        description=loc(
            "Participation records as a CSV file (facilitators)", "cmd.honoraria.export.description"
        ),
    )
    @app_commands.rename(start=loc("from", "opt.start.name"), end=loc("to", "opt.end.name"))
    @app_commands.describe(
        start=loc("First day, YYYY-MM-DD", "opt.start.description"),
        end=loc("Last day, YYYY-MM-DD", "opt.end.description"),
    )
    @facilitator_only()
    async def export(self, interaction: discord.Interaction, start: str, end: str) -> None:
        first, last = parse_date(start), parse_date(end)
        await interaction.response.defer(ephemeral=True, thinking=True)
        csv_text = await self._honoraria.export(guild_id_of(interaction), first, last)
        lang = caller_lang(interaction)
        count = max(csv_text.count("\n") - 1, 0)
        text = self._text.say(
            lang, "groups.export_ready", start=long_day(first, lang), end=long_day(last, lang), count=count
        )
        filename = await self._honoraria.export_filename(guild_id_of(interaction), first, last)
        await send_in_batches(
            partial(interaction.followup.send, ephemeral=True, allowed_mentions=NONE),
            text,
            [Upload(filename, csv_text.encode())],
        )

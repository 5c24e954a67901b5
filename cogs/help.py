"""/help: the commands the caller may use, in the caller's language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.adapters.checks import caller_is_facilitator, requires_facilitator
from bot.adapters.discord_text import caller_lang
from bot.discord_bot import NssBot
from bot.i18n import Lang
from bot.services.help_text import HelpText

AnyCommand = app_commands.Command[Any, ..., Any]


class HelpCog(commands.Cog):
    def __init__(self, text: HelpText) -> None:
        self._text = text

    @app_commands.command(
        name=locale_str("help", key="cmd.help.name"),
        description=locale_str("The commands you can use here", key="cmd.help.description"),
    )
    async def help(self, interaction: discord.Interaction) -> None:
        lang = caller_lang(interaction)
        facilitator = await caller_is_facilitator(interaction)
        lines = [
            self._text.line(lang, self._localized_path(lang, command), self._describe(lang, command))
            for command in _leaf_commands(interaction.client.tree.get_commands())  # type: ignore[attr-defined]
            if facilitator or not _needs_facilitator(command)
        ]
        body = self._text.body(lang, lines, facilitator=facilitator)
        title = self._text.say(lang, "help.title")
        first, *rest = _pages(body)  # one embed holds 4096 characters; a long list goes on in follow-ups
        await interaction.response.send_message(
            embed=discord.Embed(title=title, description=first), ephemeral=True
        )
        for page in rest:
            await interaction.followup.send(embed=discord.Embed(description=page), ephemeral=True)

    def _localized_path(self, lang: Lang, command: AnyCommand) -> str:
        parts: list[str] = []
        node: AnyCommand | app_commands.Group | None = command
        while node is not None:
            parts.append(self._text.command_name(lang, _key(node)))
            node = node.parent
        return " ".join(reversed(parts))

    def _describe(self, lang: Lang, command: AnyCommand) -> str:
        return self._text.command_description(lang, _key(command))


def _pages(lines: list[str], limit: int = 4000) -> list[str]:
    """Whole lines, in order, grouped into texts of at most `limit` characters."""
    pages: list[str] = [""]
    for line in lines:
        candidate = f"{pages[-1]}\n{line}" if pages[-1] else line
        if len(candidate) > limit and pages[-1]:
            pages.append(line[:limit])
        else:
            pages[-1] = candidate[:limit]
    return pages


def _key(command: AnyCommand | app_commands.Group) -> str:
    return "cmd." + command.qualified_name.replace(" ", ".")


def _leaf_commands(commands_: list[Any]) -> Iterator[AnyCommand]:
    for command in commands_:
        if isinstance(command, app_commands.Group):
            yield from _leaf_commands(command.commands)
        elif isinstance(command, app_commands.Command):
            yield command


def _needs_facilitator(command: AnyCommand) -> bool:
    node: AnyCommand | app_commands.Group | None = command
    while node is not None:
        if requires_facilitator(node):
            return True
        node = node.parent
    return False


async def setup(bot: NssBot) -> None:
    await bot.add_cog(HelpCog(HelpText(bot.services.catalog)))

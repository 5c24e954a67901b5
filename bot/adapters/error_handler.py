"""The one place where failures become localized answers. Users never see a traceback."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.adapters.checks import GuildOnly, NotFacilitator
from bot.adapters.discord_text import caller_lang, fit, reply
from bot.errors import UserError
from bot.i18n import Catalog
from bot.i18n.render import render
from bot.logs import exception_summary

log = logging.getLogger(__name__)


def _unwrap(error: BaseException) -> BaseException:
    while isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    return error


def message_for(catalog: Catalog, interaction: discord.Interaction, error: BaseException) -> tuple[str, bool]:
    """The localized answer for `error`, and whether it was unexpected (worth a log line with a trace)."""
    lang = caller_lang(interaction)
    error = _unwrap(error)
    if isinstance(error, UserError):
        return render(catalog, lang, error.key, error.params), False
    if isinstance(error, NotFacilitator):
        return catalog.t(lang, "error.not_facilitator"), False
    if isinstance(error, GuildOnly | app_commands.NoPrivateMessage):
        return catalog.t(lang, "error.guild_only"), False
    if isinstance(error, app_commands.TransformerError):
        return catalog.t(lang, "error.bad_option", option=_option_name(interaction, error)), False
    if isinstance(error, discord.DiscordServerError):
        return catalog.t(lang, "error.discord_unavailable"), False
    if isinstance(error, discord.Forbidden):
        return catalog.t(lang, "error.bot_missing_permission"), True
    if isinstance(error, discord.RateLimited) or (
        isinstance(error, discord.HTTPException) and error.status == 429
    ):
        return catalog.t(lang, "error.rate_limited"), False
    return catalog.t(lang, "error.generic"), True


def _option_name(interaction: discord.Interaction, error: app_commands.TransformerError) -> str:
    namespace = interaction.namespace
    for name, value in namespace:
        if value is error.value:
            return name
    return "?"


async def report_error(catalog: Catalog, interaction: discord.Interaction, error: BaseException) -> None:
    text, unexpected = message_for(catalog, interaction, error)
    command = (
        interaction.command.qualified_name if interaction.command else f"component:{interaction.type.name}"
    )
    cause = _unwrap(error)
    if unexpected:
        log.error("/%s failed: %s", command, exception_summary(cause))
    else:
        log.info("/%s refused: %s", command, getattr(cause, "key", type(cause).__name__))
    try:
        await reply(interaction, fit(text))
    except discord.HTTPException as exc:
        # Discord refused the answer itself (too long, bad form): the person must still hear something.
        log.error("could not deliver the answer for /%s: %s %s", command, type(exc).__name__, exc.code)
        generic = catalog.t(caller_lang(interaction), "error.generic")
        if text == generic:
            return
        try:
            await reply(interaction, generic)
        except discord.HTTPException as again:
            log.error("could not deliver the generic answer for /%s: %s", command, type(again).__name__)


class ErrorHandlingTree(app_commands.CommandTree):
    """A command tree whose failures all go through `report_error`."""

    catalog: Catalog

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(self.catalog, interaction, error)

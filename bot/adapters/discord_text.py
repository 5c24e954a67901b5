"""Small conversions between discord.py objects and the plain values services use."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.http import handle_message_parameters
from discord.ui import DynamicItem

from bot.i18n import Lang, lang_for_locale
from bot.i18n.limits import CONTENT_MAX as CONTENT_MAX  # re-exported for the cogs
from bot.i18n.limits import DESCRIPTION_MAX as DESCRIPTION_MAX
from bot.i18n.limits import fit as fit
from bot.services.ports import Card, EmbedText


def caller_lang(interaction: discord.Interaction) -> Lang:
    return lang_for_locale(interaction.locale.value if interaction.locale else None)


def granted_permissions(permissions: discord.Permissions) -> frozenset[str]:
    """Every flag name that is set, aliases included (iterating Permissions yields `read_messages`
    but never its alias `view_channel`)."""
    return frozenset(name for name in discord.Permissions.VALID_FLAGS if getattr(permissions, name))


async def reply(interaction: discord.Interaction, content: str, *, ephemeral: bool = True) -> None:
    """Answer whether or not the interaction was already acknowledged; never pings anyone."""
    mentions = NONE
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=ephemeral, allowed_mentions=mentions)
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, allowed_mentions=mentions)


NONE = discord.AllowedMentions.none()


def loc(english: str, key: str, **params: dict[Lang, str]) -> locale_str:
    """A command name, description or choice: English here, French from the catalog at sync.

    `params` fill placeholders with a value per language (e.g. the reminder syntax)."""
    return locale_str(english.format(**{k: v["en"] for k, v in params.items()}), key=key, params=params)


# The choices of every on/off option (`/settings welcome`, `/dropin notify`, `/questions review`...).
STATE_CHOICES = [
    app_commands.Choice(name=loc("On", "choice.state.on"), value="on"),
    app_commands.Choice(name=loc("Off", "choice.state.off"), value="off"),
]


def guild_id_of(interaction: discord.Interaction) -> int:
    """For guild-only commands, whose interactions always carry a guild id."""
    assert interaction.guild_id is not None
    return interaction.guild_id


EMBED_COLOUR = discord.Colour.teal()


def embed_of(text: EmbedText) -> discord.Embed:
    return discord.Embed(title=text.title, description=text.description, colour=EMBED_COLOUR)


def embeds_of(card: Card) -> list[discord.Embed]:
    return [embed_of(text) for text in card.embeds]


async def post_unread(client: discord.Client, channel_id: int, **fields: Any) -> None:
    """Posts a message that nobody reads back, never pinging anyone: `Messageable.send` without the
    discord.Message it builds from Discord's answer (embeds, components, author), on the same route
    and rate limits. About a tenth of a DM's CPU (`python -m bench`). Views must be made of
    DynamicItems, which discord.py dispatches without a per-message store."""
    view = fields.get("view")
    if view is not None and not all(isinstance(item, DynamicItem) for item in view.walk_children()):
        raise ValueError("post_unread takes only views of DynamicItems: other items need send()")
    with handle_message_parameters(allowed_mentions=NONE, **fields) as params:
        await client.http.send_message(channel_id, params=params)

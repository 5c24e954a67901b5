"""Small conversions between discord.py objects and the plain values services use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.http import MultipartParameters

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


def embed_payload(text: EmbedText) -> dict[str, Any]:
    """An embed as Discord receives it: the one place its look is decided. Empty fields are left out,
    as discord.Embed leaves them out."""
    payload: dict[str, Any] = {"type": "rich", "color": EMBED_COLOUR.value}
    if text.title:
        payload["title"] = text.title
    if text.description:
        payload["description"] = text.description
    return payload


def embed_of(text: EmbedText) -> discord.Embed:
    return discord.Embed.from_dict(cast(Any, embed_payload(text)))


def embeds_of(card: Card) -> list[discord.Embed]:
    return [embed_of(text) for text in card.embeds]


def embed_payloads(card: Card) -> list[dict[str, Any]]:
    return [embed_payload(text) for text in card.embeds]


async def post_unread(
    client: discord.Client,
    channel_id: int,
    *,
    content: str | None = None,
    embeds: Sequence[dict[str, Any]] = (),
    components: Sequence[dict[str, Any]] = (),
) -> None:
    """Posts a message that nobody reads back, never pinging anyone, on `Messageable.send`'s route and
    rate limits. It skips what send() builds only to throw away, about 0.5 ms of CPU per DM (`python -m
    bench`): the discord.Message made from Discord's answer (0.4), and the Embed and View objects made
    only to be serialized (0.1). So it takes their wire forms: `embed_payloads` and `ComponentRegistry.rows_for`,
    whose buttons discord.py dispatches without a per-message store (they are DynamicItems)."""
    payload: dict[str, Any] = {"allowed_mentions": NONE.to_dict()}
    if content is not None:
        payload["content"] = content
    if embeds:
        payload["embeds"] = list(embeds)
    if components:
        payload["components"] = list(components)
    await client.http.send_message(
        channel_id, params=MultipartParameters(payload=payload, multipart=None, files=None)
    )

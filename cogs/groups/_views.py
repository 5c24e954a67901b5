"""Persistent components of working groups: Approve / Decline on join requests, the directory menu."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord

from bot.adapters.components import dynamic_button, dynamic_select, select_from
from bot.errors import UserError
from bot.services.group_membership import GroupMembership
from bot.services.group_text import GroupText
from cogs.groups._interaction import acting, say

if TYPE_CHECKING:
    from bot.discord_bot import NssBot
    from cogs.groups._cog import GroupsCog


def register_components(bot: NssBot, cog: GroupsCog, membership: GroupMembership, text: GroupText) -> None:
    classes = {
        kind: dynamic_button(kind, _decision(membership, text, approve=kind == "wg-approve"))
        for kind in ("wg-approve", "wg-deny")
    }
    for kind, cls in classes.items():
        bot.components.register(kind, cls)

    async def join_from_directory(interaction: discord.Interaction, _guild_id: int, name: str) -> None:
        await cog.join_by_name(interaction, name)

    directory = dynamic_select("wg-join", join_from_directory)
    bot.components.register_menu("wg-join", lambda menu: select_from(menu, directory))
    bot.add_dynamic_items(*classes.values(), directory)


def _decision(
    membership: GroupMembership, text: GroupText, *, approve: bool
) -> Callable[[discord.Interaction, int], Awaitable[None]]:
    """What Approve (or Decline) on a join request's card does: a lead's decision, then a reply to them."""

    async def decide(interaction: discord.Interaction, request_id: int) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            group, member = await membership.decide(request_id, await acting(interaction), approve)
        except UserError as exc:
            if exc.key == "groups.error.already_decided":
                await _close_card(interaction)
            raise
        await _close_card(interaction)
        await say(
            interaction,
            text,
            "groups.approved" if approve else "groups.denied",
            member=member,
            name=group.name,
        )

    return decide


async def _close_card(interaction: discord.Interaction) -> None:
    """A decided join request's card loses its Approve / Decline buttons (its text stays)."""
    if interaction.message is not None and interaction.message.components:
        await interaction.message.edit(view=None)

"""Persistent components of working groups: Approve / Decline on join requests, the directory menu."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.components import button, dynamic_button, dynamic_select, select_from
from bot.services.ports import Action

if TYPE_CHECKING:
    from bot.discord_bot import NssBot
    from cogs.groups._cog import GroupsCog


def register_components(bot: NssBot, cog: GroupsCog) -> None:
    classes = {
        kind: dynamic_button(kind, cog.request_handler(approve=kind == "wg-approve"))
        for kind in ("wg-approve", "wg-deny")
    }
    for kind, cls in classes.items():

        def factory(action: Action, cls: Any = cls) -> discord.ui.Item[Any]:
            return cls(action.target_id, button(action, f"nss:{action.kind}:{action.target_id}"))

        bot.components.register(kind, factory)

    async def join_from_directory(interaction: discord.Interaction, _guild_id: int, name: str) -> None:
        await cog.join_by_name(interaction, name)

    directory = dynamic_select("wg-join", join_from_directory)
    bot.components.register_menu("wg-join", lambda menu: select_from(menu, directory))
    bot.add_dynamic_items(*classes.values(), directory)

"""Persistent components of working groups: Approve / Decline on join requests, the directory menu."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from re import Match
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.components import button, catalog_of, dynamic_button
from bot.adapters.error_handler import report_error
from bot.services.ports import Action, Menu

if TYPE_CHECKING:
    from bot.discord_bot import NssBot
    from cogs.groups._cog import GroupsCog


class DirectoryMenu(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"nss:wg-join:(?P<id>\d+)"):
    """The directory's "join a working group" menu; its values are group names."""

    on_choice: Callable[[discord.Interaction, str], Awaitable[None]] | None = None

    def __init__(self, guild_id: int, item: discord.ui.Select[Any] | None = None) -> None:
        super().__init__(item or discord.ui.Select(custom_id=f"nss:wg-join:{guild_id}", options=[]))

    @classmethod
    def build(cls, menu: Menu) -> DirectoryMenu:
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=f"nss:wg-join:{menu.target_id}",
            placeholder=menu.placeholder[:150],
            options=[
                discord.SelectOption(label=label[:100], value=label[:100]) for label, _ in menu.options[:25]
            ],
        )
        return cls(menu.target_id, select)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Match[str], /
    ) -> DirectoryMenu:
        assert isinstance(item, discord.ui.Select)
        return cls(int(match["id"]), item)

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            assert DirectoryMenu.on_choice is not None
            await DirectoryMenu.on_choice(interaction, self.item.values[0])
        except Exception as exc:
            await report_error(catalog_of(interaction), interaction, exc)


def register_components(bot: NssBot, cog: GroupsCog) -> None:
    classes = {
        kind: dynamic_button(kind, cog.request_handler(approve=kind == "wg-approve"))
        for kind in ("wg-approve", "wg-deny")
    }
    for kind, cls in classes.items():

        def factory(action: Action, cls: Any = cls) -> discord.ui.Item[Any]:
            return cls(action.target_id, button(action, f"nss:{action.kind}:{action.target_id}"))

        bot.components.register(kind, factory)
    bot.components.register_menu("wg-join", DirectoryMenu.build)
    DirectoryMenu.on_choice = cog.join_by_name
    bot.add_dynamic_items(*classes.values(), DirectoryMenu)

"""Persistent components of the members feature: the "Choose my roles" button on the #welcome picker
and the multi-select that sets a member's community roles. Each hands its input to the cog."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from re import Match
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.components import catalog_of, dynamic_button
from bot.adapters.error_handler import report_error
from bot.services.members import RoleOption

if TYPE_CHECKING:
    from bot.discord_bot import NssBot
    from cogs.members._cog import MembersCog

ChoiceHandler = Callable[[discord.Interaction, int, list[str]], Awaitable[None]]
SELECT_KIND = "roles-set"


def roles_select_class(handler: ChoiceHandler) -> type[discord.ui.DynamicItem[discord.ui.Select[Any]]]:
    """A multi-select (custom id `nss:roles-set:<guild id>`) alive across restarts; the handler gets
    every chosen key, so choosing fewer roles removes the others."""

    class RolesSelect(
        discord.ui.DynamicItem[discord.ui.Select[Any]], template=rf"nss:{SELECT_KIND}:(?P<id>\d+)"
    ):
        def __init__(self, guild_id: int, item: discord.ui.Select[Any] | None = None) -> None:
            super().__init__(item or discord.ui.Select(custom_id=f"nss:{SELECT_KIND}:{guild_id}", options=[]))
            self.guild_id = guild_id

        @classmethod
        async def from_custom_id(
            cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Match[str], /
        ) -> RolesSelect:
            assert isinstance(item, discord.ui.Select)
            return cls(int(match["id"]), item)

        async def callback(self, interaction: discord.Interaction) -> None:
            try:
                await handler(interaction, self.guild_id, list(self.item.values))
            except Exception as exc:
                await report_error(catalog_of(interaction), interaction, exc)

    return RolesSelect


def roles_view(
    cls: type[discord.ui.DynamicItem[discord.ui.Select[Any]]],
    guild_id: int,
    options: Sequence[RoleOption],
    placeholder: str,
) -> discord.ui.View:
    select: discord.ui.Select[Any] = discord.ui.Select(
        custom_id=f"nss:{SELECT_KIND}:{guild_id}",
        placeholder=placeholder[:150],
        min_values=0,
        max_values=len(options),
        options=[discord.SelectOption(label=o.label[:100], value=o.key, default=o.held) for o in options],
    )
    factory: Any = cls
    view = discord.ui.View(timeout=None)
    view.add_item(factory(guild_id, select))
    return view


def register_components(bot: NssBot, cog: MembersCog) -> type[discord.ui.DynamicItem[discord.ui.Select[Any]]]:
    opener = dynamic_button("roles-open", cog.open_picker)  # its target: the guild id
    bot.components.register("roles-open", opener)
    select = roles_select_class(cog.choose_roles)
    bot.add_dynamic_items(opener, select)
    return select

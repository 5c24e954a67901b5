"""Turns the services' semantic buttons (`Action`) into persistent discord.py components.

Cogs register a factory per action kind (a DynamicItem whose custom id carries the target id), so
buttons keep working after a restart and no per-message view is kept in memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from re import Match
from typing import Any

import discord

from bot.adapters.error_handler import report_error
from bot.i18n import Catalog
from bot.services.ports import Action, Menu

Handler = Callable[[discord.Interaction, int], Awaitable[None]]
ComponentFactory = Callable[[Action], discord.ui.Item[Any]]
MenuFactory = Callable[[Menu], discord.ui.Item[Any]]
STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


class ComponentRegistry:
    def __init__(self) -> None:
        self._factories: dict[str, ComponentFactory] = {}
        self._menus: dict[str, MenuFactory] = {}

    def register(self, kind: str, factory: ComponentFactory) -> None:
        self._factories[kind] = factory

    def register_menu(self, kind: str, factory: MenuFactory) -> None:
        self._menus[kind] = factory

    def view_for(self, actions: Sequence[Action], menu: Menu | None = None) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        if menu is not None and menu.options:
            menu_factory = self._menus.get(menu.kind)
            if menu_factory is None:
                raise LookupError(f"no menu registered for {menu.kind!r}")
            view.add_item(menu_factory(menu))
        for action in actions:
            factory = self._factories.get(action.kind)
            if factory is None:
                raise LookupError(f"no component registered for action {action.kind!r}")
            view.add_item(factory(action))
        return view


def button(action: Action, custom_id: str) -> discord.ui.Button[Any]:
    return discord.ui.Button(
        label=action.label[:80],
        style=STYLES.get(action.style, discord.ButtonStyle.secondary),
        custom_id=custom_id,
    )


def catalog_of(interaction: discord.Interaction) -> Catalog:
    client: Any = interaction.client
    catalog: Catalog = client.services.catalog
    return catalog


def dynamic_button(kind: str, handler: Handler) -> type[discord.ui.DynamicItem[discord.ui.Button[Any]]]:
    """A button class for `kind`: custom id `nss:<kind>:<id>`, alive across restarts."""

    class PersistentButton(
        discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"nss:{kind}:(?P<id>\d+)"
    ):
        def __init__(self, target_id: int, item: discord.ui.Button[Any] | None = None) -> None:
            super().__init__(item or discord.ui.Button(label="…", custom_id=f"nss:{kind}:{target_id}"))
            self.target_id = target_id

        @classmethod
        async def from_custom_id(
            cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Match[str], /
        ) -> PersistentButton:
            assert isinstance(item, discord.ui.Button)
            return cls(int(match["id"]), item)

        async def callback(self, interaction: discord.Interaction) -> None:
            try:
                await handler(interaction, self.target_id)
            except Exception as exc:
                await report_error(catalog_of(interaction), interaction, exc)

    PersistentButton.__name__ = PersistentButton.__qualname__ = f"{kind.title().replace('-', '')}Button"
    return PersistentButton


ChoiceHandler = Callable[[discord.Interaction, int, str], Awaitable[None]]


def dynamic_select(kind: str, handler: ChoiceHandler) -> type[discord.ui.DynamicItem[discord.ui.Select[Any]]]:
    """A select class for `kind` (custom id `nss:<kind>:<id>`); the handler gets the id and the choice."""

    class PersistentSelect(
        discord.ui.DynamicItem[discord.ui.Select[Any]], template=rf"nss:{kind}:(?P<id>\d+)"
    ):
        def __init__(self, target_id: int, item: discord.ui.Select[Any] | None = None) -> None:
            super().__init__(item or discord.ui.Select(custom_id=f"nss:{kind}:{target_id}", options=[]))
            self.target_id = target_id

        @classmethod
        async def from_custom_id(
            cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Match[str], /
        ) -> PersistentSelect:
            assert isinstance(item, discord.ui.Select)
            return cls(int(match["id"]), item)

        async def callback(self, interaction: discord.Interaction) -> None:
            try:
                await handler(interaction, self.target_id, self.item.values[0])
            except Exception as exc:
                await report_error(catalog_of(interaction), interaction, exc)

    PersistentSelect.__name__ = PersistentSelect.__qualname__ = f"{kind.title().replace('-', '')}Select"
    return PersistentSelect


def select_from(
    menu: Menu, cls: type[discord.ui.DynamicItem[discord.ui.Select[Any]]]
) -> discord.ui.Item[Any]:
    """An instance of a `dynamic_select` class built from the service's semantic menu."""
    select: discord.ui.Select[Any] = discord.ui.Select(
        custom_id=f"nss:{menu.kind}:{menu.target_id}",
        placeholder=menu.placeholder[:150],
        options=[
            discord.SelectOption(label=label[:100], value=value[:100]) for label, value in menu.options[:25]
        ],
    )
    factory: Any = cls  # a dynamic_select class: (target id, select item)
    item: discord.ui.Item[Any] = factory(menu.target_id, select)
    return item

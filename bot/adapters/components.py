"""Turns the services' semantic buttons (`Action`) into persistent discord.py components.

Cogs register a class per action kind (a DynamicItem whose custom id carries the target id), so
buttons keep working after a restart and no per-message view is kept in memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from re import Match
from typing import Any, cast

import discord
from discord.components import Button as ButtonComponent

from bot.adapters.error_handler import report_error
from bot.i18n import Catalog
from bot.services.ports import Action, Menu

Handler = Callable[[discord.Interaction, int], Awaitable[None]]
ButtonClass = type[discord.ui.DynamicItem[discord.ui.Button[Any]]]
MenuFactory = Callable[[Menu], discord.ui.Item[Any]]
STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}
BUTTON_LABEL_MAX = 80
BUTTONS_PER_ROW = 5
MAX_ROWS = 5


def custom_id(kind: str, target_id: int) -> str:
    """Every persistent component's custom id: the kind, then the id of what it acts on."""
    return f"nss:{kind}:{target_id}"


class ComponentRegistry:
    def __init__(self) -> None:
        self._buttons: dict[str, ButtonClass] = {}
        self._menus: dict[str, MenuFactory] = {}

    def register(self, kind: str, cls: ButtonClass) -> None:
        """`cls` is the `dynamic_button(kind, ...)` class that handles the clicks of `kind`: checked here,
        once, since `rows_for` builds no item that would check it."""
        template: Any = getattr(cls, "__discord_ui_compiled_template__", None)
        if template is None or not template.fullmatch(custom_id(kind, 0)):
            raise ValueError(f"{cls.__name__} does not handle the custom ids of {kind!r}")
        self._buttons[kind] = cls

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
            factory: Any = self._class_of(action)  # a dynamic_button class: (target id, button)
            view.add_item(factory(action.target_id, button(action)))
        return view

    def rows_for(self, actions: Sequence[Action], menu: Menu | None = None) -> list[dict[str, Any]]:
        """The wire form of `view_for(actions, menu)`. Without a menu it is written out directly: a view
        (its items, their dynamic wrappers, its layout) cost about 0.1 ms of CPU per DM only to be
        serialized. tests/bot/adapters/test_components.py holds the two to the same output."""
        if menu is not None and menu.options:
            return self.view_for(actions, menu).to_components()
        if len(actions) > BUTTONS_PER_ROW * MAX_ROWS:  # what View.add_item refuses
            raise ValueError(f"{len(actions)} buttons: a message holds at most {BUTTONS_PER_ROW * MAX_ROWS}")
        buttons = []
        for action in actions:
            self._class_of(action)  # an unregistered kind fails here as it does in view_for
            buttons.append(button_payload(action))
        return [
            {"type": 1, "components": buttons[start : start + BUTTONS_PER_ROW]}
            for start in range(0, len(buttons), BUTTONS_PER_ROW)
        ]

    def _class_of(self, action: Action) -> ButtonClass:
        cls = self._buttons.get(action.kind)
        if cls is None:
            raise LookupError(f"no component registered for action {action.kind!r}")
        return cls


def button_payload(action: Action) -> dict[str, Any]:
    """The button a service's action becomes, as Discord receives it."""
    return {
        "type": discord.ComponentType.button.value,
        "style": STYLES.get(action.style, discord.ButtonStyle.secondary).value,
        "disabled": False,
        "label": action.label[:BUTTON_LABEL_MAX],
        "custom_id": custom_id(action.kind, action.target_id),
    }


def button(action: Action) -> discord.ui.Button[Any]:
    return discord.ui.Button.from_component(ButtonComponent(cast(Any, button_payload(action))))


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
            super().__init__(item or discord.ui.Button(label="…", custom_id=custom_id(kind, target_id)))
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
            super().__init__(item or discord.ui.Select(custom_id=custom_id(kind, target_id), options=[]))
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
        custom_id=custom_id(menu.kind, menu.target_id),
        placeholder=menu.placeholder[:150],
        options=[
            discord.SelectOption(label=label[:100], value=value[:100]) for label, value in menu.options[:25]
        ],
    )
    factory: Any = cls  # a dynamic_select class: (target id, select item)
    item: discord.ui.Item[Any] = factory(menu.target_id, select)
    return item

"""Turns the services' semantic buttons (`Action`) into persistent discord.py components.

Cogs register a factory per action kind (a DynamicItem whose custom id carries the target id), so
buttons keep working after a restart and no per-message view is kept in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import discord

from bot.services.ports import Action

ComponentFactory = Callable[[Action], discord.ui.Item[Any]]
STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


class ComponentRegistry:
    def __init__(self) -> None:
        self._factories: dict[str, ComponentFactory] = {}

    def register(self, kind: str, factory: ComponentFactory) -> None:
        self._factories[kind] = factory

    def view_for(self, actions: Sequence[Action]) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
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

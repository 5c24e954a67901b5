"""bot/adapters/components.py: the wire form posted without a view is the view's own, and its buttons
reach the classes that handle their clicks."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot.adapters.components import (
    ComponentRegistry,
    button,
    button_payload,
    custom_id,
    dynamic_button,
    dynamic_select,
    select_from,
)
from bot.services.ports import Action, Menu

KINDS = ("draft-submit", "draft-hold", "draft-cancel")
STYLES = ("success", "primary", "secondary", "danger", "unknown")


async def ignore(*_args: Any) -> None:
    return None


CLASSES = {kind: dynamic_button(kind, ignore) for kind in KINDS}


@pytest.fixture(scope="module")
def registry() -> ComponentRegistry:
    registry = ComponentRegistry()
    for kind, cls in CLASSES.items():
        registry.register(kind, cls)
    menu_class = dynamic_select("test-menu", ignore)
    registry.register_menu("test-menu", lambda menu: select_from(menu, menu_class))
    return registry


def actions(count: int) -> list[Action]:
    return [
        Action(KINDS[i % len(KINDS)], 1000 + i, f"Label {i} " + "é" * (i * 9), STYLES[i % len(STYLES)])
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [0, 1, 4, 5, 6, 11, 25])
def test_rows_are_what_the_view_would_send(registry: ComponentRegistry, count: int) -> None:
    assert registry.rows_for(actions(count)) == registry.view_for(actions(count)).to_components()


def test_rows_with_a_menu_are_the_views_own(registry: ComponentRegistry) -> None:
    menu = Menu("test-menu", 7, "Choose", (("One", "1"), ("Two", "2")))

    assert registry.rows_for(actions(3), menu) == registry.view_for(actions(3), menu).to_components()
    assert (
        registry.rows_for(actions(3), menu)[0]["components"][0]["type"] == discord.ComponentType.select.value
    )


def test_a_long_label_is_cut_to_discords_limit(registry: ComponentRegistry) -> None:
    [row] = registry.rows_for([Action("draft-hold", 1, "x" * 200, "primary")])

    assert len(row["components"][0]["label"]) == 80


def test_an_unregistered_kind_is_refused_without_a_view_too(registry: ComponentRegistry) -> None:
    with pytest.raises(LookupError, match="nope"):
        registry.rows_for([Action("nope", 1, "Nope", "primary")])


def test_a_posted_button_reaches_the_class_that_handles_its_kind(registry: ComponentRegistry) -> None:
    [row] = registry.rows_for([Action("draft-hold", 42, "Hold", "primary")])
    cls: Any = CLASSES["draft-hold"]

    match = cls.__discord_ui_compiled_template__.fullmatch(row["components"][0]["custom_id"])
    assert match is not None and int(match["id"]) == 42


@pytest.mark.parametrize("style", STYLES)
def test_a_button_payload_is_what_discord_py_sends_for_the_same_button(style: str) -> None:
    action = Action("draft-hold", 42, "Hold " + "x" * 90, style)
    expected = discord.ui.Button(
        label=action.label[:80],
        style=getattr(discord.ButtonStyle, style, discord.ButtonStyle.secondary),
        custom_id="nss:draft-hold:42",
    ).to_component_dict()

    assert button_payload(action) == expected
    assert button(action).to_component_dict() == expected


def test_more_buttons_than_a_message_holds_are_refused_without_a_view_too(
    registry: ComponentRegistry,
) -> None:
    with pytest.raises(ValueError):
        registry.view_for(actions(26))
    with pytest.raises(ValueError, match="at most 25"):
        registry.rows_for(actions(26))


def test_a_class_registered_for_another_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="draft-hold"):
        ComponentRegistry().register("draft-hold", CLASSES["draft-submit"])


def test_custom_ids_name_the_kind_and_the_target() -> None:
    assert custom_id("forget", 0) == "nss:forget:0"

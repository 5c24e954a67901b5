"""Persistent buttons (DynamicItems whose custom id carries a question or draft id), the community
select for people in several guilds, and the modals. Each only reads input and hands it to
QuestionButtons (cogs/questions/_buttons.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord

from bot.adapters.components import catalog_of, dynamic_button, dynamic_select, select_from
from bot.adapters.error_handler import report_error

if TYPE_CHECKING:
    from bot.discord_bot import NssBot
    from cogs.questions._buttons import QuestionButtons

Handler = Callable[[discord.Interaction, int], Awaitable[None]]
BUTTON_KINDS = (
    "draft-submit",
    "draft-hold",
    "draft-relay",
    "draft-cancel",
    "forget",
    "approve",
    "reject",
    "block",
    "urgent",
    "answer",
    "answer-facilitator",
    "follow-up",
)


class TextModal(discord.ui.Modal):
    """One long text field; hands the text to `on_text`. Errors go to the central handler."""

    def __init__(
        self,
        title: str,
        label: str,
        on_text: Callable[[discord.Interaction, str], Awaitable[None]],
        *,
        required: bool = True,
        max_length: int = 1800,
        placeholder: str | None = None,
    ) -> None:
        super().__init__(title=title, timeout=900)  # limits: tests/meta/test_modal_limits.py
        self.text: discord.ui.TextInput[TextModal] = discord.ui.TextInput(
            label=label,
            style=discord.TextStyle.paragraph,
            required=required,
            max_length=max_length,
            placeholder=placeholder or None,
            custom_id="text",
        )
        self.add_item(self.text)
        self._on_text = on_text

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._on_text(interaction, self.text.value)

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await report_error(catalog_of(interaction), interaction, error)


def register_components(bot: NssBot, buttons: QuestionButtons) -> None:
    """Buttons the services ask for are built from these classes; clicks after a restart still work."""
    classes = {kind: dynamic_button(kind, buttons.handler(kind)) for kind in BUTTON_KINDS}
    for kind, cls in classes.items():
        bot.components.register(kind, cls)

    async def choose(interaction: discord.Interaction, draft_id: int, guild_id: str) -> None:
        await buttons.choose_guild(interaction, draft_id, int(guild_id))

    communities = dynamic_select("draft-guild", choose)
    bot.components.register_menu("draft-guild", lambda menu: select_from(menu, communities))
    bot.add_dynamic_items(*classes.values(), communities)

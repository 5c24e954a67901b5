"""The modal that edits sections of the minutes, and takes a reviewer's change request. It only reads
input and hands it to the cog."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.domain.minutes import SECTION_LIMIT, Section


class SectionsModal(discord.ui.Modal):
    """Up to five sections on one page, prefilled with what is saved."""

    def __init__(
        self,
        title: str,
        labels: dict[Section, str],
        current: dict[Section, str],
        placeholders: dict[Section, str],
        on_values: Callable[[discord.Interaction, dict[Section, str]], Awaitable[None]],
    ) -> None:
        super().__init__(title=title, timeout=1800)  # limits: tests/meta/test_modal_limits.py
        self._inputs: dict[Section, discord.ui.TextInput[SectionsModal]] = {}
        for section, label in labels.items():
            field: discord.ui.TextInput[SectionsModal] = discord.ui.TextInput(
                label=label,
                custom_id=section.value,
                style=discord.TextStyle.short
                if section is Section.ATTENDANCE
                else discord.TextStyle.paragraph,
                required=False,
                max_length=SECTION_LIMIT,
                default=current.get(section, "")[:SECTION_LIMIT] or None,
                placeholder=placeholders.get(section) or None,
            )
            self._inputs[section] = field
            self.add_item(field)
        self._on_values = on_values

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._on_values(interaction, {section: field.value for section, field in self._inputs.items()})

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        from bot.adapters.components import catalog_of
        from bot.adapters.error_handler import report_error

        await report_error(catalog_of(interaction), interaction, error)

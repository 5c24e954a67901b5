"""bot/adapters/discord_text.py: posting without reading the message back."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot.adapters.discord_text import post_unread


class NoHTTP:
    @property
    def http(self) -> Any:
        raise AssertionError("nothing may be sent")


async def test_a_view_with_an_item_that_needs_a_per_message_store_is_refused() -> None:
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Plain", custom_id="plain"))

    with pytest.raises(ValueError, match="DynamicItems"):
        await post_unread(NoHTTP(), 1, content="x", view=view)  # type: ignore[arg-type]

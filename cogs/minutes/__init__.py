"""Meeting minutes: draft through modals, review, publish, amend, and the archive."""

from __future__ import annotations

from typing import Any

from bot.adapters.components import button, dynamic_button
from bot.discord_bot import NssBot
from bot.services.ports import Action
from cogs.minutes._cog import MinutesCog

KINDS = ("min-page1", "min-page2", "min-approve", "min-changes")


async def setup(bot: NssBot) -> None:
    services = bot.services
    cog = MinutesCog(bot, services.minutes.text, services.minutes, services.minutes_archive)
    classes = {kind: dynamic_button(kind, cog.handler(kind)) for kind in KINDS}
    for kind, cls in classes.items():

        def factory(action: Action, cls: Any = cls) -> Any:
            return cls(action.target_id, button(action, f"nss:{action.kind}:{action.target_id}"))

        bot.components.register(kind, factory)
    bot.add_dynamic_items(*classes.values())
    await bot.add_cog(cog)

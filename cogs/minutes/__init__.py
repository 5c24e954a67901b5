"""Meeting minutes: draft through modals, review, publish, amend, and the archive."""

from __future__ import annotations

from bot.adapters.components import dynamic_button
from bot.discord_bot import NssBot
from cogs.minutes._cog import MinutesCog

KINDS = ("min-page1", "min-page2", "min-approve", "min-changes")


async def setup(bot: NssBot) -> None:
    services = bot.services
    cog = MinutesCog(bot, services.minutes.text, services.minutes, services.minutes_archive)
    classes = {kind: dynamic_button(kind, cog.handler(kind)) for kind in KINDS}
    for kind, cls in classes.items():
        bot.components.register(kind, cls)
    bot.add_dynamic_items(*classes.values())
    await bot.add_cog(cog)

"""/dropin: the weekly drop-in for members and facilitators."""

from __future__ import annotations

from bot.discord_bot import NssBot
from cogs.dropin._cog import DropinCog


async def setup(bot: NssBot) -> None:
    await bot.add_cog(DropinCog(bot.services.catalog, bot.services.dropin, bot.services.dropin_text))

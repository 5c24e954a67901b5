"""/dropin: the weekly drop-in for members and facilitators."""

from __future__ import annotations

from bot.discord_bot import NssBot
from cogs.dropin._cog import DropinCog


async def setup(bot: NssBot) -> None:
    services = bot.services
    await bot.add_cog(DropinCog(services.dropin, services.dropin_text, services.minutes))

"""/dropin: the weekly drop-in for members and facilitators."""

from __future__ import annotations

from bot.discord_bot import NssBot
from bot.services.web import WebLinks
from cogs.dropin._cog import DropinCog


async def setup(bot: NssBot) -> None:
    services = bot.services
    web = None
    if services.web is not None and services.zoom_text is not None:
        web = WebLinks(services.web, services.zoom_text, services.web_base_url, services.zoom)
    await bot.add_cog(DropinCog(services.dropin, services.dropin_text, services.minutes_archive, web))

"""Working groups and honoraria records."""

from __future__ import annotations

from bot.discord_bot import NssBot
from cogs.groups._cog import GroupsCog
from cogs.groups._views import register_components


async def setup(bot: NssBot) -> None:
    cog = GroupsCog(bot.services.groups.text, bot.services.groups)
    register_components(bot, cog)
    await bot.add_cog(cog)

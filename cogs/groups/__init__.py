"""Working groups and honoraria records."""

from __future__ import annotations

from bot.discord_bot import NssBot
from cogs.groups._cog import GroupsCog
from cogs.groups._honoraria import HonorariaCog
from cogs.groups._views import register_components


async def setup(bot: NssBot) -> None:
    groups = bot.services.groups
    cog = GroupsCog(groups.text, groups)
    register_components(bot, cog, groups.membership, groups.text)
    await bot.add_cog(cog)
    await bot.add_cog(HonorariaCog(groups.text, groups.honoraria))

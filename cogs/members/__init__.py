"""Members: community roles, the welcome DM, the privacy notice, forget-me and the membership report."""

from __future__ import annotations

from bot.discord_bot import NssBot
from cogs.members._cog import MembersCog
from cogs.members._views import register_components


async def setup(bot: NssBot) -> None:
    cog = MembersCog(bot, bot.services.members.text, bot.services.members, bot.services.forget)
    cog.select_class = register_components(bot, cog)
    await bot.add_cog(cog)

"""Anonymous questions: DM intake, /ask, the review queue, answers relayed back to the asker."""

from __future__ import annotations

from bot.discord_bot import NssBot
from cogs.questions._cog import QuestionsCog
from cogs.questions._views import register_components


async def setup(bot: NssBot) -> None:
    cog = QuestionsCog(bot, bot.services.questions.text, bot.services.questions, bot.services.forget)
    register_components(bot, cog)
    await bot.add_cog(cog)

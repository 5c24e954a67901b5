"""Anonymous questions: DM intake, /ask, the review queue, answers relayed back to the asker."""

from __future__ import annotations

from bot.discord_bot import NssBot
from cogs.questions._buttons import QuestionButtons
from cogs.questions._cog import QuestionsCog
from cogs.questions._dm import QuestionDMsCog
from cogs.questions._views import register_components


async def setup(bot: NssBot) -> None:
    questions = bot.services.questions
    register_components(bot, QuestionButtons(bot, questions, bot.services.forget))
    await bot.add_cog(QuestionsCog(questions))
    await bot.add_cog(QuestionDMsCog(bot, questions.text, questions.intake, bot.services.forget))

"""Anonymous questions: intake, review, publishing, answers relayed back, follow-ups, forgetting.

Identity rule: a Discord user id enters these methods as an argument and leaves only as an HMAC
pseudonym (keying blocks and the asker's random alias), a salted per-draft tag, or an AES-GCM sealed
relay target. It is never stored, logged or rendered. A question is committed before the asker is
told it was received; every later step (review card, publication, thread) waits for the question's
random delay, is recorded once done and is redone by `deliver_pending` after a crash, with
deterministic nonces so Discord drops a repeat. Public buttons behave the same for everyone: nothing
anyone else sees depends on whether the presser asked the question or is blocked.

Each part of the feature is a service of its own (question_intake, question_review, question_answers,
question_queue, question_forgetting), sharing QuestionContext and what posts to Discord
(question_delivery); this bundle wires them once.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.shards import every_guild
from bot.services.ports import Timers
from bot.services.question_answers import QuestionAnswers
from bot.services.question_context import QuestionContext
from bot.services.question_delivery import QuestionDelivery
from bot.services.question_forgetting import QuestionForgetting
from bot.services.question_intake import QuestionIntake
from bot.services.question_queue import QuestionQueue
from bot.services.question_review import QuestionReview


class Questions:
    """The anonymous-questions services on one database and one Discord, as the cogs and timers use them."""

    def __init__(
        self,
        context: QuestionContext,
        timers: Timers | None = None,
        owns: Callable[[int], bool] = every_guild,  # this process's guilds (bot/domain/shards.py)
    ) -> None:
        self.text = context.text  # what the questions cog replies with
        self.max_length = context.policy.max_length
        self.question = context.question
        delivery = QuestionDelivery(
            context.sessions,
            context.clock,
            context.privacy,
            context.settings,
            context.desk,
            context.text,
            context.policy.relay_retries,
        )
        self.intake = QuestionIntake(context)
        self.review = QuestionReview(context, delivery, timers, owns)
        self.answers = QuestionAnswers(context, delivery)
        self.queue = QuestionQueue(context.sessions, context.settings)
        self.forgetting = QuestionForgetting(context.sessions, context.clock, context.privacy, delivery)

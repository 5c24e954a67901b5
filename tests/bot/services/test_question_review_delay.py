"""The random delay before a question reaches reviewers (or, without review, the channel)."""

from __future__ import annotations

from datetime import timedelta

from bot.services.question_context import QuestionPolicy
from tests.bot.services.question_fakes import GUILD, REVIEW_CHANNEL, T0, QuestionHarness

DELAY = QuestionPolicy(delay=(timedelta(minutes=1), timedelta(minutes=5)))


async def test_a_delayed_question_waits_for_its_time(questions: QuestionHarness) -> None:
    service = questions.with_policy(DELAY)
    submitted = await service.intake.submit_direct(GUILD, 1, "a question", hold=False, relay=False, lang="en")
    assert submitted.question_id is not None and submitted.delayed

    await service.review.deliver(submitted.question_id)

    assert questions.desk.posts() == []
    (job_id,) = questions.timers.jobs
    when = questions.timers.jobs[job_id][0]
    assert T0 + timedelta(minutes=1) <= when <= T0 + timedelta(minutes=5)
    questions.clock.advance(when - T0)
    assert await questions.timers.fire_due(questions.clock.now()) == 1
    assert len(questions.desk.posts(REVIEW_CHANNEL)) == 1


async def test_the_delay_is_stored_so_a_restart_waits_for_the_rest_of_it(questions: QuestionHarness) -> None:
    service = questions.with_policy(DELAY)
    submitted = await service.intake.submit_direct(GUILD, 1, "a question", hold=False, relay=False, lang="en")
    assert submitted.question_id is not None
    stored = (await service.question(submitted.question_id)).deliver_after

    restarted = questions.with_policy(DELAY)  # a new process: nothing in memory
    questions.timers.jobs.clear()
    await restarted.review.deliver_pending()

    assert questions.desk.posts() == []
    assert stored is not None and stored > T0
    assert questions.timers.jobs[f"question:{submitted.question_id}"][0] == stored


async def test_a_zero_delay_delivers_at_once_and_says_nothing_about_waiting(
    questions: QuestionHarness,
) -> None:
    submitted = await questions.ask()
    assert submitted.question_id is not None and not submitted.delayed

    await questions.service.review.deliver(submitted.question_id)

    assert len(questions.desk.posts(REVIEW_CHANNEL)) == 1
    assert questions.timers.jobs == {}

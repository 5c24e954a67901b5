"""MinutesService.reopen_interrupted: an approval cut short by a crash is neither stuck nor doubled."""

from __future__ import annotations

import pytest

from tests.bot.services import minutes_fakes
from tests.bot.services.minutes_fakes import AS_FIONA, AS_GABRIEL, LONG, MinutesHarness

harness_fixture = minutes_fakes.harness_fixture


class ProcessDied(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause of the service catches it."""


async def approval_dies_on_second_post(harness: MinutesHarness, minutes_id: int) -> None:
    async def die() -> None:
        raise ProcessDied

    async def first_post() -> None:
        harness.desk.during("post", die)  # the first message goes out; the process dies on the next

    harness.desk.during("post", first_post)
    with pytest.raises(ProcessDied):
        await harness.service.approve(minutes_id, AS_GABRIEL)


async def test_minutes_left_publishing_by_a_dead_process_go_back_to_review(harness: MinutesHarness) -> None:
    minutes = await harness.submitted(sections=LONG, author=AS_FIONA)
    await approval_dies_on_second_post(harness, minutes.id)
    assert (await harness.get(minutes.id)).status == "publishing"

    await harness.process().reopen_interrupted()

    assert (await harness.get(minutes.id)).status == "review"


async def test_approving_again_after_the_restart_posts_each_part_once(harness: MinutesHarness) -> None:
    minutes = await harness.submitted(sections=LONG, author=AS_FIONA)
    await approval_dies_on_second_post(harness, minutes.id)
    restarted = harness.process()
    await restarted.reopen_interrupted()

    await restarted.approve(minutes.id, AS_GABRIEL)

    posted = harness.published_messages()
    assert len(posted) >= 2, "LONG minutes span several messages"
    assert len({m.current.content for m in posted}) == len(posted), "no part posted twice"
    assert (await harness.get(minutes.id)).status == "published"


async def test_minutes_in_review_or_published_are_left_alone(harness: MinutesHarness) -> None:
    in_review = await harness.submitted(author=AS_FIONA)

    await harness.process().reopen_interrupted()

    assert (await harness.get(in_review.id)).status == "review"

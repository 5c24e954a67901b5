"""MinutesService with a forum as the minutes channel: one post per meeting, titled and tagged, its
first message the post's own, the rest in the post; amending edits the same post in place."""

from __future__ import annotations

import pytest

from bot.domain.minutes import Section, split_message
from tests.bot.services import minutes_fakes
from tests.bot.services.minutes_fakes import AS_GABRIEL, LONG, MINUTES_CHANNEL, MinutesHarness

harness_fixture = minutes_fakes.harness_fixture
TAGS = {"drop-in": 11, "working group": 12, "2026": 13}


@pytest.fixture
def forum(harness: MinutesHarness) -> MinutesHarness:
    harness.forums.tags[MINUTES_CHANNEL] = dict(TAGS)
    return harness


async def test_published_minutes_become_one_titled_and_tagged_post(forum: MinutesHarness) -> None:
    minutes = await forum.submitted(sections=LONG)

    published = await forum.service.approve(minutes.id, AS_GABRIEL)

    (post,) = forum.forums.posts
    assert post.forum_id == MINUTES_CHANNEL
    assert post.title.startswith("Drop-in minutes, Thursday, December 3, 2026 · Compte rendu de la rencontre")
    assert post.tag_ids == (11, 13)
    messages = forum.desk.in_channel(post.thread_id)
    markdown = await forum.archive.published_text(published.minutes)
    assert [m.card.content for m in messages] == split_message(markdown)
    assert messages[0].id == post.thread_id
    assert messages[-1].card.files and not messages[0].card.files
    assert published.minutes.published_channel_id == post.thread_id


async def test_amending_edits_the_same_post_in_place(forum: MinutesHarness) -> None:
    first = await forum.published()
    (post,) = forum.forums.posts
    before = [m.id for m in forum.desk.in_channel(post.thread_id)]

    amended = await forum.amended(first, {Section.DECISIONS: "Write a guide with pharmacists"})

    assert len(forum.forums.posts) == 1, "no second post"
    after = forum.desk.in_channel(post.thread_id)
    assert [m.id for m in after] == before and after[0].edits
    assert amended.minutes.published_channel_id == post.thread_id


async def test_a_forum_without_matching_tags_still_gets_the_post(harness: MinutesHarness) -> None:
    harness.forums.tags[MINUTES_CHANNEL] = {}
    minutes = await harness.submitted()

    await harness.service.approve(minutes.id, AS_GABRIEL)

    (post,) = harness.forums.posts
    assert post.tag_ids == ()

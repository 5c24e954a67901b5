"""MinutesPublisher, through approval: the minutes in Discord-sized messages with the Markdown attached
to the last; an amendment edits them in place, posting or deleting the difference; a failed step resumes
without duplicates; a forum gets one titled and tagged post per meeting, amended in place too."""

from __future__ import annotations

import pytest

from bot.domain.minutes import MESSAGE_LIMIT, Section, split_message
from bot.services.ports import DeliveryError
from tests.bot.services import minutes_fakes
from tests.bot.services.minutes_fakes import (
    AS_FIONA,
    AS_GABRIEL,
    DROPIN_DAY,
    GUILD,
    LONG,
    MINUTES_CHANNEL,
    SHORT,
    MinutesHarness,
    paragraphs,
    words,
)

harness_fixture = minutes_fakes.harness_fixture
LONGER = {Section.DECISIONS: paragraphs("the next survey", 20)}  # about 2,000 more characters
SHORTER = {
    Section.TOPICS: "Drug checking.",
    Section.RESOURCES: "",
    Section.DECISIONS: "",
    Section.ACTIONS: "",
}
TAGS = {"drop-in": 11, "working group": 12, "2026": 13}


@pytest.fixture
def forum(harness: MinutesHarness) -> MinutesHarness:
    harness.forums.tags[MINUTES_CHANNEL] = dict(TAGS)
    return harness


# --- publishing -----------------------------------------------------------------------------------


async def test_a_second_facilitator_publishes_in_chunks_within_discords_limit(
    harness: MinutesHarness,
) -> None:
    minutes = await harness.submitted(sections=LONG)

    published = await harness.service.approve(minutes.id, AS_GABRIEL)

    markdown = await harness.archive.published_text(published.minutes)
    messages = harness.published_messages(MINUTES_CHANNEL)
    assert [m.card.content for m in messages] == split_message(markdown)
    assert len(messages) >= 4
    assert all(0 < len(m.card.content) <= MESSAGE_LIMIT for m in messages)
    assert words(" ".join(m.card.content for m in messages)) == words(markdown)
    assert published.minutes.published_message_ids == tuple(m.id for m in messages)


async def test_the_last_chunk_alone_carries_the_whole_minutes_as_markdown(harness: MinutesHarness) -> None:
    minutes = await harness.submitted(sections=LONG)

    published = await harness.service.approve(minutes.id, AS_GABRIEL)

    *first, last = harness.published_messages()
    markdown = await harness.archive.published_text(published.minutes)
    assert last.card.files == ((f"minutes-dropin-{minutes.meeting_date}.md", markdown.encode()),)
    assert all(m.card.files == () for m in first)
    for section in (Section.TOPICS, Section.RESOURCES, Section.ACTIONS):
        assert LONG[section] in markdown


async def test_a_short_draft_is_one_message(harness: MinutesHarness) -> None:
    published = await harness.published(sections=SHORT)

    (message,) = harness.published_messages()
    assert message.card.content == (await harness.archive.published_text(published.minutes)).strip()


async def test_approval_records_the_publication(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()

    published = await harness.service.approve(minutes.id, AS_GABRIEL)

    (message,) = harness.published_messages()
    stored = await harness.get(minutes.id)
    assert (stored.status, stored.version, stored.published_sections) == ("published", 1, SHORT)
    assert (stored.published_channel_id, stored.published_message_ids) == (MINUTES_CHANNEL, (message.id,))
    assert published.link == f"https://discord.com/channels/{GUILD}/{MINUTES_CHANNEL}/{message.id}"


@pytest.mark.parametrize(
    "posted_before_failure",
    [
        0,
        pytest.param(
            2,
        ),
    ],
    ids=["first-chunk-fails", "third-chunk-fails"],
)
async def test_approving_again_after_a_failure_publishes_without_duplicates(
    harness: MinutesHarness, posted_before_failure: int
) -> None:
    minutes = await harness.submitted(sections=LONG)
    harness.desk.fail("post", after=posted_before_failure)
    with pytest.raises(DeliveryError):
        await harness.service.approve(minutes.id, AS_GABRIEL)

    published = await harness.service.approve(minutes.id, AS_GABRIEL)

    markdown = await harness.archive.published_text(published.minutes)
    assert [m.card.content for m in harness.published_messages()] == split_message(markdown)


# --- amending in place ----------------------------------------------------------------------------


async def test_re_approval_edits_the_published_messages_in_place(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)
    posted = harness.desk.count("post")

    second = await harness.amended(
        first, {Section.RESOURCES: LONG[Section.RESOURCES].replace("map", "atlas")}
    )

    messages = harness.published_messages()
    markdown = await harness.archive.published_text(second.minutes)
    assert second.minutes.published_message_ids == first.minutes.published_message_ids
    assert [m.id for m in messages] == list(first.minutes.published_message_ids)
    assert [m.current.content for m in messages] == split_message(markdown)
    assert "atlas" in markdown
    assert harness.desk.count("post") == posted + 1  # the new review card only
    assert (second.link, second.minutes.version) == (first.link, 2)


async def test_re_approval_posts_extra_chunks_when_the_text_grew(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)

    second = await harness.amended(first, LONGER)

    old_ids = first.minutes.published_message_ids
    new_ids = second.minutes.published_message_ids
    markdown = await harness.archive.published_text(second.minutes)
    messages = harness.published_messages()
    assert len(new_ids) > len(old_ids) and new_ids[: len(old_ids)] == old_ids
    assert [m.id for m in messages] == list(new_ids)
    assert [m.current.content for m in messages] == split_message(markdown)


async def test_after_growing_only_the_new_last_chunk_carries_the_markdown(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)

    second = await harness.amended(first, LONGER)

    *earlier, last = harness.published_messages()
    markdown = await harness.archive.published_text(second.minutes)
    assert last.current.files == ((f"minutes-dropin-{DROPIN_DAY}.md", markdown.encode()),)
    assert [m.current.files for m in earlier] == [()] * len(earlier)


async def test_re_approval_deletes_surplus_messages_when_the_text_shrank(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)

    second = await harness.amended(first, SHORTER)

    (message,) = harness.published_messages()
    markdown = await harness.archive.published_text(second.minutes)
    assert second.minutes.published_message_ids == (first.minutes.published_message_ids[0],) == (message.id,)
    assert message.current.content == markdown.strip()
    assert message.current.files == ((f"minutes-dropin-{DROPIN_DAY}.md", markdown.encode()),)
    assert harness.desk.count("delete") == len(first.minutes.published_message_ids) - 1


async def test_an_edit_failure_during_re_approval_can_be_retried(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)
    minutes_id = await harness.amend()
    same_length = LONG[Section.TOPICS].replace("drug checking", "drug-checking")
    await harness.service.save(minutes_id, AS_FIONA, {Section.TOPICS: same_length})
    await harness.service.submit(minutes_id, AS_FIONA, [], confirmed=True)
    harness.desk.fail("edit", after=1)  # the second published message
    with pytest.raises(DeliveryError):
        await harness.service.approve(minutes_id, AS_GABRIEL)
    assert (await harness.get(minutes_id)).status == "review"

    second = await harness.service.approve(minutes_id, AS_GABRIEL)

    markdown = await harness.archive.published_text(second.minutes)
    assert second.minutes.published_message_ids == first.minutes.published_message_ids
    assert [m.current.content for m in harness.published_messages()] == split_message(markdown)


async def test_a_delete_failure_while_shrinking_can_be_retried(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)
    minutes_id = await harness.amend()
    await harness.service.save(minutes_id, AS_FIONA, SHORTER)
    await harness.service.submit(minutes_id, AS_FIONA, [], confirmed=True)
    harness.desk.fail("delete", after=1)  # the first surplus message goes, the second fails
    with pytest.raises(DeliveryError):
        await harness.service.approve(minutes_id, AS_GABRIEL)

    second = await harness.service.approve(minutes_id, AS_GABRIEL)

    assert second.minutes.published_message_ids == first.minutes.published_message_ids[:1]
    assert [m.id for m in harness.published_messages()] == [first.minutes.published_message_ids[0]]


async def test_a_published_message_deleted_by_hand_is_posted_anew(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)
    del harness.desk.messages[first.minutes.published_message_ids[1]]

    second = await harness.amended(first, {Section.TOPICS: "Drug checking, corrected."})

    markdown = await harness.archive.published_text(second.minutes)
    assert [m.current.content for m in harness.published_messages()] == split_message(markdown)


# --- a forum as the minutes channel ---------------------------------------------------------------


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

"""MinutesService.amend and .history: correcting published minutes in place, with a revision history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.minutes import Section, split_message
from bot.errors import UserError
from bot.services.group_access import Actor
from bot.services.ports import DeliveryError
from tests.bot.services import minutes_fakes
from tests.bot.services.minutes_fakes import (
    AS_FIONA,
    AS_GABRIEL,
    AS_LEAD,
    DROPIN_DAY,
    FIONA,
    GABRIEL,
    GUILD,
    LEAD,
    LONG,
    NOW,
    SHORT,
    MinutesHarness,
    paragraphs,
)

harness_fixture = minutes_fakes.harness_fixture
LONGER = {Section.DECISIONS: paragraphs("the next survey", 20)}  # about 2,000 more characters
SHORTER = {
    Section.TOPICS: "Drug checking.",
    Section.RESOURCES: "",
    Section.DECISIONS: "",
    Section.ACTIONS: "",
}


async def amend(harness: MinutesHarness, actor: Actor = AS_FIONA) -> int:
    minutes = await harness.service.amend(GUILD, await harness.meeting(actor=actor), actor)
    return minutes.id


@pytest.mark.parametrize("stage", ["none", "draft", "review"])
async def test_only_published_minutes_can_be_amended(harness: MinutesHarness, stage: str) -> None:
    if stage == "draft":
        await harness.draft()
    elif stage == "review":
        await harness.submitted()

    with pytest.raises(UserError) as caught:
        await amend(harness)

    assert (caught.value.key, caught.value.params["date"]) == ("minutes.error.not_published", DROPIN_DAY)


async def test_amend_reopens_the_minutes_for_the_amender(harness: MinutesHarness) -> None:
    published = await harness.published(author=AS_FIONA, approver=AS_GABRIEL)

    amended = await harness.service.amend(GUILD, await harness.meeting(actor=AS_GABRIEL), AS_GABRIEL)

    assert (amended.id, amended.status, amended.author_id) == (published.minutes.id, "amending", GABRIEL)
    assert (amended.version, amended.sections) == (1, SHORT)


async def test_amending_twice_is_refused(harness: MinutesHarness) -> None:
    await harness.published()
    await amend(harness)

    with pytest.raises(UserError) as caught:
        await amend(harness)

    assert caught.value.key == "minutes.error.not_editable"


async def test_while_amending_the_published_text_is_unchanged(harness: MinutesHarness) -> None:
    published = await harness.published()
    before = await harness.published_markdown(published.minutes.id)
    minutes_id = await amend(harness)

    await harness.service.save(minutes_id, AS_FIONA, {Section.TOPICS: "Corrected topics"})

    shown = await harness.service.published_for(GUILD, DROPIN_DAY.isoformat(), None)
    assert await harness.service.published_text(shown) == before
    assert "Corrected topics" not in before


async def test_start_during_an_amendment_returns_the_amended_draft(harness: MinutesHarness) -> None:
    published = await harness.published()
    await amend(harness)

    again = await harness.service.start(GUILD, await harness.meeting(), FIONA)

    assert (again.id, again.status) == (published.minutes.id, "amending")


async def test_re_approval_edits_the_published_messages_in_place(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)
    posted = harness.desk.count("post")

    second = await harness.amended(
        first, {Section.RESOURCES: LONG[Section.RESOURCES].replace("map", "atlas")}
    )

    messages = harness.published_messages()
    markdown = await harness.service.published_text(second.minutes)
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
    markdown = await harness.service.published_text(second.minutes)
    messages = harness.published_messages()
    assert len(new_ids) > len(old_ids) and new_ids[: len(old_ids)] == old_ids
    assert [m.id for m in messages] == list(new_ids)
    assert [m.current.content for m in messages] == split_message(markdown)


async def test_after_growing_only_the_new_last_chunk_carries_the_markdown(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)

    second = await harness.amended(first, LONGER)

    *earlier, last = harness.published_messages()
    markdown = await harness.service.published_text(second.minutes)
    assert last.current.files == ((f"minutes-dropin-{DROPIN_DAY}.md", markdown.encode()),)
    assert [m.current.files for m in earlier] == [()] * len(earlier)


async def test_re_approval_deletes_surplus_messages_when_the_text_shrank(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)

    second = await harness.amended(first, SHORTER)

    (message,) = harness.published_messages()
    markdown = await harness.service.published_text(second.minutes)
    assert second.minutes.published_message_ids == (first.minutes.published_message_ids[0],) == (message.id,)
    assert message.current.content == markdown.strip()
    assert message.current.files == ((f"minutes-dropin-{DROPIN_DAY}.md", markdown.encode()),)
    assert harness.desk.count("delete") == len(first.minutes.published_message_ids) - 1


async def test_an_edit_failure_during_re_approval_can_be_retried(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)
    minutes_id = await amend(harness)
    same_length = LONG[Section.TOPICS].replace("drug checking", "drug-checking")
    await harness.service.save(minutes_id, AS_FIONA, {Section.TOPICS: same_length})
    await harness.service.submit(minutes_id, AS_FIONA, [], confirmed=True)
    harness.desk.fail("edit", after=1)  # the second published message
    with pytest.raises(DeliveryError):
        await harness.service.approve(minutes_id, AS_GABRIEL)
    assert (await harness.get(minutes_id)).status == "review"

    second = await harness.service.approve(minutes_id, AS_GABRIEL)

    markdown = await harness.service.published_text(second.minutes)
    assert second.minutes.published_message_ids == first.minutes.published_message_ids
    assert [m.current.content for m in harness.published_messages()] == split_message(markdown)


async def test_a_delete_failure_while_shrinking_can_be_retried(harness: MinutesHarness) -> None:
    first = await harness.published(sections=LONG)
    minutes_id = await amend(harness)
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

    markdown = await harness.service.published_text(second.minutes)
    assert [m.current.content for m in harness.published_messages()] == split_message(markdown)


async def test_a_groups_lead_amends_its_minutes(harness: MinutesHarness) -> None:
    await harness.add_group("Peer Support")
    first = await harness.published(group="Peer Support", author=AS_LEAD)

    second = await harness.amended(first, {Section.DECISIONS: "Meet monthly"}, actor=AS_LEAD)

    assert second.minutes.version == 2
    assert (await harness.revisions(first.minutes.id))[-1].author_id == LEAD


# --- history -------------------------------------------------------------------------------------


async def test_history_lists_each_version_with_the_sections_it_changed(harness: MinutesHarness) -> None:
    first = await harness.published(author=AS_FIONA, approver=AS_GABRIEL)
    harness.clock.advance(timedelta(days=2))

    await harness.amended(
        first, {Section.DECISIONS: "Meet again in January", Section.NOTE_TAKER: "One volunteer"}
    )

    history = await harness.service.history(first.minutes.id)
    assert [(r.version, r.author_id, r.approved_by, r.at) for r in history] == [
        (1, FIONA, GABRIEL, NOW),
        (2, FIONA, GABRIEL, NOW + timedelta(days=2)),
    ]
    assert history[0].sections_changed == tuple(s for s in Section if s in SHORT)
    assert history[1].sections_changed == (Section.DECISIONS,)  # the note-taker was saved unchanged


async def test_history_of_unpublished_minutes_is_empty(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()

    assert await harness.service.history(minutes.id) == []


async def test_an_amendment_approved_without_changes_records_no_section(harness: MinutesHarness) -> None:
    first = await harness.published()

    await harness.amended(first, {})

    assert [r.sections_changed for r in await harness.service.history(first.minutes.id)][1:] == [()]

"""MinutesService.approve and .request_changes: the review of submitted minutes (publishing them is
tested in test_minutes_publishing.py)."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.minutes import Section, split_message
from bot.domain.settings import ChannelPurpose
from bot.errors import UserError
from bot.services.group_access import Actor
from bot.services.minutes_archive import Published
from bot.services.ports import DeliveryError
from tests.bot.services import minutes_fakes
from tests.bot.services.minutes_fakes import (
    AS_FIONA,
    AS_GABRIEL,
    AS_LEAD,
    FIONA,
    GABRIEL,
    LONG,
    MinutesHarness,
    card_text,
)

harness_fixture = minutes_fakes.harness_fixture
COMMENT = "Please describe the action items by role, not by name."
OTHER_MINUTES_CHANNEL = 388888888888888888


async def refused_approval(harness: MinutesHarness, minutes_id: int, actor: Actor) -> str:
    with pytest.raises(UserError) as caught:
        await harness.service.approve(minutes_id, actor)
    return caught.value.key


# --- who approves ---------------------------------------------------------------------------------


async def test_the_author_cannot_approve_when_two_people_are_required(harness: MinutesHarness) -> None:
    minutes = await harness.submitted(author=AS_FIONA)

    assert await refused_approval(harness, minutes.id, AS_FIONA) == "minutes.error.own_minutes"
    assert (await harness.get(minutes.id)).status == "review"
    assert harness.published_messages() == []


async def test_the_author_may_approve_when_the_guild_needs_one_person(harness: MinutesHarness) -> None:
    await harness.require_two_reviewers(False)
    minutes = await harness.submitted(author=AS_FIONA)

    published = await harness.service.approve(minutes.id, AS_FIONA)

    assert published.minutes.status == "published"


@pytest.mark.parametrize("action", ["approve", "request_changes"])
async def test_only_facilitators_review(harness: MinutesHarness, action: str) -> None:
    await harness.add_group("Peer Support")
    minutes = await harness.submitted(group="Peer Support", author=AS_LEAD)

    with pytest.raises(UserError) as caught:
        if action == "approve":
            await harness.service.approve(minutes.id, AS_LEAD)
        else:
            await harness.service.request_changes(minutes.id, AS_LEAD, COMMENT)

    assert caught.value.key == "error.not_facilitator"
    assert (await harness.get(minutes.id)).status == "review"


@pytest.mark.parametrize("action", ["approve", "request_changes"])
async def test_only_minutes_in_review_can_be_reviewed(harness: MinutesHarness, action: str) -> None:
    draft = await harness.draft()

    with pytest.raises(UserError) as caught:
        if action == "approve":
            await harness.service.approve(draft.id, AS_GABRIEL)
        else:
            await harness.service.request_changes(draft.id, AS_GABRIEL, COMMENT)

    assert caught.value.key == "minutes.error.not_in_review"


# --- approving -----------------------------------------------------------------------------------


async def test_approval_closes_the_review_card(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()

    await harness.service.approve(minutes.id, AS_GABRIEL)

    (card_message,) = harness.review_cards()
    closed = card_message.current
    assert closed.actions == ()
    assert "Approved and published." in card_text(closed)


async def test_a_review_card_that_cannot_be_closed_does_not_stop_publishing(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()
    harness.desk.fail("edit")

    published = await harness.service.approve(minutes.id, AS_GABRIEL)

    assert published.minutes.status == "published"
    assert harness.review_cards()[0].edits == []


async def test_approving_twice_is_refused_and_publishes_once(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()
    await harness.service.approve(minutes.id, AS_GABRIEL)

    assert await refused_approval(harness, minutes.id, AS_GABRIEL) == "minutes.error.not_in_review"
    assert len(harness.published_messages()) == 1


async def test_an_approval_during_publishing_is_refused(harness: MinutesHarness) -> None:
    minutes = await harness.submitted(sections=LONG)
    second: list[str] = []

    async def approve_meanwhile() -> None:
        second.append(await refused_approval(harness, minutes.id, AS_GABRIEL))

    harness.desk.during("post", approve_meanwhile)
    await harness.process().approve(minutes.id, AS_GABRIEL)

    assert second == ["minutes.error.not_in_review"]
    assert len(harness.published_messages()) == len(
        split_message(await harness.published_markdown(minutes.id))
    )


async def test_two_approvals_racing_publish_once(harness: MinutesHarness) -> None:
    minutes = await harness.submitted(sections=LONG)
    third = Actor(500000000000000009, facilitator=True)  # a third facilitator

    results = await asyncio.gather(
        harness.service.approve(minutes.id, AS_GABRIEL),
        harness.process().approve(minutes.id, third),
        return_exceptions=True,
    )

    published = [r for r in results if isinstance(r, Published)]
    refusals = [r.key for r in results if isinstance(r, UserError)]
    assert (len(published), refusals) == (1, ["minutes.error.not_in_review"])
    assert len(harness.published_messages()) == len(
        split_message(await harness.published_markdown(minutes.id))
    )
    assert [r.version for r in await harness.revisions(minutes.id)] == [1]


async def test_a_delivery_error_while_publishing_puts_the_minutes_back_in_review(
    harness: MinutesHarness,
) -> None:
    minutes = await harness.submitted(sections=LONG)
    harness.desk.fail("post", after=2)

    with pytest.raises(DeliveryError):
        await harness.service.approve(minutes.id, AS_GABRIEL)

    stored = await harness.get(minutes.id)
    assert (stored.status, stored.version) == ("review", 0)
    # The two chunks already posted are remembered, so approving again resumes instead of reposting.
    assert len(stored.published_message_ids) == 2
    assert await harness.revisions(minutes.id) == []


async def test_approving_without_a_minutes_channel_can_be_retried_once_it_is_set(
    harness: MinutesHarness,
) -> None:
    minutes = await harness.submitted()
    await harness.clear_channel(ChannelPurpose.MINUTES)
    assert await refused_approval(harness, minutes.id, AS_GABRIEL) == "minutes.error.no_channel"
    await harness.set_channel(ChannelPurpose.MINUTES, OTHER_MINUTES_CHANNEL)

    published = await harness.service.approve(minutes.id, AS_GABRIEL)

    assert published.minutes.published_channel_id == OTHER_MINUTES_CHANNEL


# --- request changes -----------------------------------------------------------------------------


async def test_request_changes_sends_the_comment_to_the_author(harness: MinutesHarness) -> None:
    minutes = await harness.submitted(author=AS_FIONA)

    changed = await harness.service.request_changes(minutes.id, AS_GABRIEL, f"  {COMMENT}  ")

    (dm,) = harness.desk.dms
    assert dm.target == FIONA
    assert dm.card is not None and COMMENT in card_text(dm.card)
    assert changed.status == "changes"


async def test_request_changes_relays_at_most_1500_characters(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()

    await harness.service.request_changes(minutes.id, AS_GABRIEL, "a" * 1499 + "bc")

    (dm,) = harness.desk.dms
    assert dm.card is not None
    said = card_text(dm.card)
    assert "a" * 1499 + "b" in said and "bc" not in said


@pytest.mark.parametrize("refusal", ["raises", "closed-dms"])
async def test_an_undelivered_change_request_still_reopens_the_minutes(
    harness: MinutesHarness, refusal: str
) -> None:
    minutes = await harness.submitted(author=AS_FIONA)
    if refusal == "raises":
        harness.desk.fail("dm")
    else:
        harness.desk.closed_dms.add(FIONA)

    changed = await harness.service.request_changes(minutes.id, AS_GABRIEL, COMMENT)

    assert changed.status == "changes"


async def test_request_changes_closes_the_review_card_without_the_comment(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()

    await harness.service.request_changes(minutes.id, AS_GABRIEL, COMMENT)

    (card_message,) = harness.review_cards()
    assert card_message.current.actions == ()
    assert card_message.current.files == ()
    assert COMMENT not in card_text(card_message.current)  # the comment goes to the author by DM only


async def test_the_closed_review_card_says_changes_were_requested(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()

    await harness.service.request_changes(minutes.id, AS_GABRIEL, COMMENT)

    (card_message,) = harness.review_cards()
    assert "requested" in card_text(card_message.current).lower()


async def test_after_changes_the_author_edits_and_submits_again(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()
    await harness.service.request_changes(minutes.id, AS_GABRIEL, COMMENT)

    await harness.service.save(minutes.id, AS_FIONA, {Section.ACTIONS: "Facilitators: share the map."})
    await harness.service.submit(minutes.id, AS_FIONA, [], confirmed=True)

    first, second = harness.review_cards()
    assert (await harness.get(minutes.id)).review_message_id == second.id
    assert "Facilitators: share the map." in second.card.files[0][1].decode()
    assert first.current.actions == ()


async def test_the_author_may_ask_for_changes_to_their_own_minutes(harness: MinutesHarness) -> None:
    minutes = await harness.submitted(author=AS_FIONA)

    assert (await harness.service.request_changes(minutes.id, AS_FIONA, "Withdrawn")).status == "changes"
    assert GABRIEL not in {c.target for c in harness.desk.dms}


async def test_requesting_changes_twice_is_refused(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()
    await harness.service.request_changes(minutes.id, AS_GABRIEL, COMMENT)

    with pytest.raises(UserError) as caught:
        await harness.service.request_changes(minutes.id, AS_GABRIEL, COMMENT)

    assert caught.value.key == "minutes.error.not_in_review"
    assert len(harness.desk.dms) == 1

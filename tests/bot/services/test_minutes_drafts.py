"""MinutesService.start, .save, .current and .submit: writing a draft and sending it to review."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from bot.domain.minutes import PAGES, SECTION_LIMIT, Section
from bot.domain.settings import ChannelPurpose
from bot.errors import UserError
from bot.services.group_access import Actor
from bot.services.ports import DeliveryError
from tests.bot.services import minutes_fakes
from tests.bot.services.minutes_fakes import (
    ALEX,
    AS_ALEX,
    AS_FIONA,
    AS_GABRIEL,
    AS_LEAD,
    AS_OTHER_LEAD,
    DROPIN_DAY,
    DROPIN_START,
    FIONA,
    GUILD,
    MINUTES_CHANNEL,
    OTHER_LEAD,
    REVIEW_CHANNEL,
    SHORT,
    MinutesHarness,
    card_text,
)

harness_fixture = minutes_fakes.harness_fixture


# --- start ---------------------------------------------------------------------------------------


async def test_start_opens_an_empty_draft_by_its_author(harness: MinutesHarness) -> None:
    started = await harness.service.start(GUILD, await harness.meeting(), FIONA)

    assert (started.meeting_key, started.meeting_date, started.status) == ("dropin", DROPIN_DAY, "draft")
    assert (started.author_id, started.sections, started.version) == (FIONA, {}, 0)


async def test_start_again_returns_the_same_draft_with_its_text(harness: MinutesHarness) -> None:
    first = await harness.draft()

    again = await harness.process().start(GUILD, await harness.meeting(actor=AS_GABRIEL), AS_GABRIEL.user_id)

    assert (again.id, again.author_id, again.sections) == (first.id, FIONA, SHORT)


async def test_start_refuses_published_minutes(harness: MinutesHarness) -> None:
    await harness.published()

    with pytest.raises(UserError) as caught:
        await harness.service.start(GUILD, await harness.meeting(), FIONA)

    assert (caught.value.key, caught.value.params["date"]) == ("minutes.error.already_published", DROPIN_DAY)


async def test_current_is_none_until_started(harness: MinutesHarness) -> None:
    meeting = await harness.meeting()
    assert await harness.service.current(GUILD, meeting) is None

    started = await harness.service.start(GUILD, meeting, FIONA)

    assert await harness.service.current(GUILD, meeting) == started


async def test_a_group_and_the_dropin_of_one_day_have_separate_minutes(harness: MinutesHarness) -> None:
    await harness.add_group("Peer Support")
    dropin = await harness.draft()

    group = await harness.draft(
        DROPIN_DAY, {Section.TOPICS: "Group things"}, group="Peer Support", author=AS_LEAD
    )

    assert group.id != dropin.id
    assert (await harness.get(dropin.id)).sections == SHORT


# --- save ----------------------------------------------------------------------------------------


async def test_save_merges_the_modal_pages(harness: MinutesHarness) -> None:
    started = await harness.service.start(GUILD, await harness.meeting(), FIONA)
    first, second = ({s: SHORT.get(s, f"About {s.value}") for s in page} for page in PAGES)

    await harness.service.save(started.id, AS_FIONA, first)
    saved = await harness.service.save(started.id, AS_FIONA, second)

    assert saved.sections == {**first, **second}


async def test_save_replaces_only_the_sections_given(harness: MinutesHarness) -> None:
    draft = await harness.draft()

    saved = await harness.service.save(
        draft.id, AS_FIONA, {Section.DECISIONS: "  Meet again in January  ", Section.ACTIONS: ""}
    )

    assert saved.sections == {**SHORT, Section.DECISIONS: "Meet again in January", Section.ACTIONS: ""}


async def test_save_refuses_text_beyond_a_modal_input_and_keeps_the_draft(harness: MinutesHarness) -> None:
    draft = await harness.draft()

    with pytest.raises(UserError) as caught:
        await harness.service.save(draft.id, AS_FIONA, {Section.TOPICS: "x" * (SECTION_LIMIT + 1)})

    assert caught.value.key == "minutes.error.too_long"
    assert (await harness.get(draft.id)).sections == SHORT


@pytest.mark.parametrize("stage", ["review", "published"])
async def test_save_refuses_minutes_out_of_drafting(harness: MinutesHarness, stage: str) -> None:
    minutes = await harness.submitted()
    if stage == "published":
        await harness.service.approve(minutes.id, AS_GABRIEL)

    with pytest.raises(UserError) as caught:
        await harness.service.save(minutes.id, AS_FIONA, {Section.TOPICS: "Rewritten"})

    assert caught.value.key == "minutes.error.not_editable"
    assert (await harness.get(minutes.id)).sections == SHORT


async def test_members_may_not_edit_dropin_minutes(harness: MinutesHarness) -> None:
    draft = await harness.draft()

    with pytest.raises(UserError) as caught:
        await harness.service.save(draft.id, AS_ALEX, {Section.TOPICS: "Rewritten"})

    assert caught.value.key == "error.not_facilitator"


@pytest.mark.parametrize(
    ("actor", "members"),
    [(AS_OTHER_LEAD, ()), (AS_ALEX, (ALEX,))],
    ids=["another-groups-lead", "plain-member"],
)
async def test_only_a_groups_leads_may_edit_its_minutes(
    harness: MinutesHarness, actor: Actor, members: tuple[int, ...]
) -> None:
    await harness.add_group("Peer Support", members=members)
    await harness.add_group("Drug Checking", lead=OTHER_LEAD)
    draft = await harness.draft(group="Peer Support", author=AS_LEAD)

    with pytest.raises(UserError) as caught:
        await harness.service.save(draft.id, actor, {Section.TOPICS: "Rewritten"})

    assert (caught.value.key, caught.value.params["name"]) == ("minutes.error.other_group", "Peer Support")


async def test_unknown_minutes_are_explained(harness: MinutesHarness) -> None:
    with pytest.raises(UserError) as caught:
        await harness.service.save(9999, AS_FIONA, {Section.TOPICS: "x"})

    assert caught.value.key == "minutes.error.unknown"


# --- submit ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sections",
    [{Section.FACILITATORS: "Two facilitators"}, {Section.TOPICS: "   \n  "}],
    ids=["absent", "blank"],
)
async def test_submit_refuses_minutes_without_topics(
    harness: MinutesHarness, sections: Mapping[Section, str]
) -> None:
    draft = await harness.draft(sections=sections)

    with pytest.raises(UserError) as caught:
        await harness.service.submit(draft.id, AS_FIONA, [], confirmed=True)

    assert (caught.value.key, caught.value.params["section"]) == ("minutes.error.missing", Section.TOPICS)
    assert (await harness.get(draft.id)).status == "draft"
    assert harness.desk.calls == []


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Riley shared how the naloxone kit helped.", ["Riley"]),
        ("<@500000000000000002> asked about fentanyl strips.", ["<@500000000000000002>"]),
        ("Thanks to RÉMI and <@!500000000000000003>.", ["<@500000000000000003>", "Rémi"]),
    ],
    ids=["name", "mention", "both"],
)
async def test_submit_returns_the_people_named_and_sends_nothing(
    harness: MinutesHarness, text: str, named: list[str]
) -> None:
    draft = await harness.draft(sections={**SHORT, Section.TOPICS: text})

    found = await harness.service.submit(draft.id, AS_FIONA, ["Riley", "Rémi", "Sam"], confirmed=False)

    assert found == named
    assert (await harness.get(draft.id)).status == "draft"
    assert harness.desk.calls == []


async def test_submit_confirmed_sends_minutes_that_name_people(harness: MinutesHarness) -> None:
    draft = await harness.draft(sections={**SHORT, Section.TOPICS: "Riley shared a story."})

    assert await harness.service.submit(draft.id, AS_FIONA, ["Riley"], confirmed=True) == []

    assert (await harness.get(draft.id)).status == "review"
    assert len(harness.review_cards()) == 1


async def test_submit_posts_one_review_card_with_the_markdown_attached(harness: MinutesHarness) -> None:
    draft = await harness.draft()

    await harness.service.submit(draft.id, AS_FIONA, ["Riley"], confirmed=False)

    (card_message,) = harness.review_cards()
    minutes = await harness.get(draft.id)
    expected = harness.text.markdown(minutes, "", DROPIN_START, "both")
    assert card_message.card.files == ((f"minutes-dropin-{DROPIN_DAY}.md", expected.encode()),)
    assert [(a.kind, a.target_id) for a in card_message.card.actions] == [
        ("min-approve", draft.id),
        ("min-changes", draft.id),
    ]
    assert SHORT[Section.TOPICS] in card_text(card_message.card)
    assert (minutes.status, minutes.review_message_id) == ("review", card_message.id)
    assert harness.published_messages(MINUTES_CHANNEL) == []


async def test_a_group_lead_submits_their_groups_minutes(harness: MinutesHarness) -> None:
    await harness.add_group("Peer Support")
    draft = await harness.draft(group="Peer Support", author=AS_LEAD)

    assert await harness.service.submit(draft.id, AS_LEAD, [], confirmed=True) == []

    (card_message,) = harness.review_cards()
    assert "Peer Support" in card_message.card.files[0][1].decode()


async def test_submit_twice_is_refused_and_posts_once(harness: MinutesHarness) -> None:
    minutes = await harness.submitted()

    with pytest.raises(UserError) as caught:
        await harness.service.submit(minutes.id, AS_FIONA, [], confirmed=True)

    assert caught.value.key == "minutes.error.not_editable"
    assert harness.desk.count("post", REVIEW_CHANNEL) == 1


async def test_a_failed_review_post_can_be_submitted_again(harness: MinutesHarness) -> None:
    draft = await harness.draft()
    harness.desk.fail("post")
    with pytest.raises(DeliveryError):
        await harness.service.submit(draft.id, AS_FIONA, [], confirmed=True)

    await harness.service.submit(draft.id, AS_FIONA, [], confirmed=True)

    (card_message,) = harness.review_cards()
    assert (await harness.get(draft.id)).review_message_id == card_message.id


async def test_without_a_review_channel_the_minutes_stay_editable(harness: MinutesHarness) -> None:
    draft = await harness.draft()
    await harness.clear_channel(ChannelPurpose.MINUTES_REVIEW)

    with pytest.raises(UserError) as caught:
        await harness.service.submit(draft.id, AS_FIONA, [], confirmed=True)

    assert caught.value.key == "minutes.error.no_channel"
    assert (await harness.get(draft.id)).status == "draft"

"""MinutesService.amend and .history: correcting published minutes in place, with a revision history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.minutes import Section
from bot.errors import UserError
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
    NOW,
    SHORT,
    MinutesHarness,
)

harness_fixture = minutes_fakes.harness_fixture


@pytest.mark.parametrize("stage", ["none", "draft", "review"])
async def test_only_published_minutes_can_be_amended(harness: MinutesHarness, stage: str) -> None:
    if stage == "draft":
        await harness.draft()
    elif stage == "review":
        await harness.submitted()

    with pytest.raises(UserError) as caught:
        await harness.amend()

    assert (caught.value.key, caught.value.params["date"]) == ("minutes.error.not_published", DROPIN_DAY)


async def test_amend_reopens_the_minutes_for_the_amender(harness: MinutesHarness) -> None:
    published = await harness.published(author=AS_FIONA, approver=AS_GABRIEL)

    amended = await harness.service.amend(GUILD, await harness.meeting(actor=AS_GABRIEL), AS_GABRIEL)

    assert (amended.id, amended.status, amended.author_id) == (published.minutes.id, "amending", GABRIEL)
    assert (amended.version, amended.sections) == (1, SHORT)


async def test_amending_twice_is_refused(harness: MinutesHarness) -> None:
    await harness.published()
    await harness.amend()

    with pytest.raises(UserError) as caught:
        await harness.amend()

    assert caught.value.key == "minutes.error.not_editable"


async def test_while_amending_the_published_text_is_unchanged(harness: MinutesHarness) -> None:
    published = await harness.published()
    before = await harness.published_markdown(published.minutes.id)
    minutes_id = await harness.amend()

    await harness.service.save(minutes_id, AS_FIONA, {Section.TOPICS: "Corrected topics"})

    shown = await harness.archive.published_for(GUILD, DROPIN_DAY.isoformat(), None)
    assert await harness.archive.published_text(shown) == before
    assert "Corrected topics" not in before


async def test_start_during_an_amendment_returns_the_amended_draft(harness: MinutesHarness) -> None:
    published = await harness.published()
    await harness.amend()

    again = await harness.service.start(GUILD, await harness.meeting(), FIONA)

    assert (again.id, again.status) == (published.minutes.id, "amending")


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

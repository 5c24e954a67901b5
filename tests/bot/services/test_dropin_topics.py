"""DropinService open agenda: anonymous topic suggestions, listed in the last reminder."""

from __future__ import annotations

import inspect
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import UserError
from bot.services.dropin import TOPIC_MAX, DropinService
from tests.bot.services.dropin_fakes import (
    GUILD,
    KEY,
    OTHER_GUILD,
    REMINDER_15,
    REMINDER_DAY,
    START,
    Harness,
)

NEXT_KEY = date(2026, 12, 10)


async def test_suggest_adds_the_topic_to_the_next_occurrence(dropin: Harness) -> None:
    await dropin.configure()

    added_to = await dropin.service.suggest(GUILD, "  Naloxone kits in rural pharmacies  ")

    occurrence, topics = await dropin.service.topics(GUILD)
    assert added_to.key == occurrence.key == KEY
    assert [t.text for t in topics] == ["Naloxone kits in rural pharmacies"]


async def test_suggest_skips_a_cancelled_week(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.skip(GUILD, "2026-12-03", "holiday")

    added_to = await dropin.service.suggest(GUILD, "Housing first")

    assert added_to.key == NEXT_KEY


async def test_suggest_during_a_meeting_goes_to_the_next_week(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(START + timedelta(minutes=30))

    assert (await dropin.service.suggest(GUILD, "Housing first")).key == NEXT_KEY


@pytest.mark.parametrize(
    ("moment", "listed"),
    [(REMINDER_DAY, False), (REMINDER_15, True), (START, False)],
    ids=["24h-reminder", "15m-reminder", "start"],
)
async def test_only_the_last_reminder_lists_the_topics(
    dropin: Harness, moment: datetime, listed: bool
) -> None:
    await dropin.configure()
    await dropin.service.suggest(GUILD, "Drug checking results")
    await dropin.service.suggest(GUILD, "Funding news")

    (call,) = await dropin.refresh_at(moment)

    english, french = call.announcement.embeds
    topic_lines = "**Suggested topics**\n• Drug checking results\n• Funding news"
    assert (topic_lines in english.description) is listed
    assert ("**Sujets suggérés**" in french.description) is listed


async def test_removed_topic_is_not_listed(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.suggest(GUILD, "Keep me")
    await dropin.service.suggest(GUILD, "Remove me")
    _, topics = await dropin.service.topics(GUILD)

    await dropin.service.remove_topic(GUILD, topics[1].id)

    _, remaining = await dropin.service.topics(GUILD)
    assert [t.text for t in remaining] == ["Keep me"]
    (call,) = await dropin.refresh_at(REMINDER_15)
    assert "Remove me" not in call.announcement.embeds[0].description


@pytest.mark.parametrize("case", ["unknown", "removed-twice", "other-guild"])
async def test_remove_topic_refuses_an_id_that_is_not_this_guilds(dropin: Harness, case: str) -> None:
    await dropin.configure(GUILD)
    await dropin.configure(OTHER_GUILD)
    await dropin.service.suggest(OTHER_GUILD if case == "other-guild" else GUILD, "A topic")
    _, topics = await dropin.service.topics(OTHER_GUILD if case == "other-guild" else GUILD)
    topic_id = 999_999 if case == "unknown" else topics[0].id
    if case == "removed-twice":
        await dropin.service.remove_topic(GUILD, topic_id)

    with pytest.raises(UserError) as caught:
        await dropin.service.remove_topic(GUILD, topic_id)

    assert (caught.value.key, caught.value.params) == ("dropin.error.unknown_topic", {"id": topic_id})


async def test_topic_of_the_maximum_length_is_accepted(dropin: Harness) -> None:
    await dropin.configure()

    assert (await dropin.service.suggest(GUILD, "t" * TOPIC_MAX)).key == KEY


async def test_topic_over_the_maximum_length_is_refused(dropin: Harness) -> None:
    await dropin.configure()

    with pytest.raises(UserError) as caught:
        await dropin.service.suggest(GUILD, "t" * (TOPIC_MAX + 1))

    assert caught.value.key == "dropin.error.topic_too_long"
    _, topics = await dropin.service.topics(GUILD)
    assert topics == []


async def test_suggest_without_a_schedule_is_refused(dropin: Harness) -> None:
    with pytest.raises(UserError) as caught:
        await dropin.service.suggest(GUILD, "A topic")

    assert caught.value.key == "dropin.no_schedule"


async def test_the_topics_table_has_no_column_for_the_author(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in sa_inspect(sync).get_columns("dropin_topics")}
        )

    assert columns == {"id", "guild_id", "occurrence", "text", "created_at", "removed"}


def test_suggest_is_not_even_given_the_author() -> None:
    assert list(inspect.signature(DropinService.suggest).parameters) == ["self", "guild_id", "text"]

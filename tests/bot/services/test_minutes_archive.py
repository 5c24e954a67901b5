"""MinutesArchive: .published, .latest_dropin, .published_for, .published_text, .search, .in_range,
.export and .filename."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.minutes import Section
from bot.errors import UserError
from bot.services.minutes_archive import DROPIN, Published
from tests.bot.services import minutes_fakes
from tests.bot.services.minutes_fakes import (
    AS_FIONA,
    AS_LEAD,
    DROPIN_DAY,
    GUILD,
    OTHER_GUILD,
    PREVIOUS_DAY,
    SHORT,
    MinutesHarness,
)

harness_fixture = minutes_fakes.harness_fixture
LAST_YEAR = date(2025, 12, 4)  # a Thursday drop-in, within reach of meeting()
GROUP_DAY = date(2026, 6, 10)


def about(topics: str) -> dict[Section, str]:
    """Short minutes whose only distinctive words are their topics."""
    return {**SHORT, Section.TOPICS: topics, Section.ACTIONS: "Facilitators: follow up."}


@pytest.fixture
async def archive(harness: MinutesHarness) -> MinutesHarness:
    """Published: drop-ins of LAST_YEAR and PREVIOUS_DAY, Peer Support's GROUP_DAY meeting; DROPIN_DAY in review."""
    await harness.add_group("Peer Support")
    await harness.published(LAST_YEAR, about("Winter outreach and naloxone training."))
    await harness.published(GROUP_DAY, about("Peer support circles."), group="Peer Support", author=AS_LEAD)
    await harness.published(PREVIOUS_DAY, about("Naloxone kits; naloxone nasal spray; naloxone training."))
    await harness.submitted(DROPIN_DAY, about("Naloxone everywhere: naloxone, naloxone, naloxone."))
    return harness


def days(found: list[Published]) -> list[date]:
    return [p.minutes.meeting_date for p in found]


# --- list ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (None, [LAST_YEAR, GROUP_DAY, PREVIOUS_DAY]),
        (2025, [LAST_YEAR]),
        (2026, [GROUP_DAY, PREVIOUS_DAY]),
        (2024, []),
    ],
    ids=["all", "2025", "2026", "none"],
)
async def test_published_lists_a_years_minutes_in_date_order(
    archive: MinutesHarness, year: int | None, expected: list[date]
) -> None:
    assert days(await archive.archive.published(GUILD, year)) == expected


async def test_published_links_to_the_first_message(archive: MinutesHarness) -> None:
    for published in await archive.archive.published(GUILD):
        minutes = published.minutes
        first = minutes.published_message_ids[0]
        assert (
            published.link == f"https://discord.com/channels/{GUILD}/{minutes.published_channel_id}/{first}"
        )


async def test_minutes_being_amended_stay_listed(archive: MinutesHarness) -> None:
    await archive.service.amend(GUILD, await archive.meeting(PREVIOUS_DAY), AS_FIONA)

    assert PREVIOUS_DAY in days(await archive.archive.published(GUILD, 2026))


async def test_another_guilds_minutes_are_not_listed(archive: MinutesHarness) -> None:
    await archive.setup_guild(OTHER_GUILD)

    assert await archive.archive.published(OTHER_GUILD) == []


async def test_latest_dropin_is_the_newest_published_dropin_not_a_group(harness: MinutesHarness) -> None:
    await harness.add_group("Peer Support")
    await harness.published(LAST_YEAR)
    await harness.published(PREVIOUS_DAY)
    await harness.published(DROPIN_DAY, group="Peer Support", author=AS_LEAD)  # newer, but a group's

    latest = await harness.archive.latest_dropin(GUILD)

    assert latest is not None
    assert (latest.minutes.meeting_key, latest.minutes.meeting_date) == (DROPIN, PREVIOUS_DAY)


async def test_latest_dropin_is_none_before_any_is_published(harness: MinutesHarness) -> None:
    await harness.submitted()

    assert await harness.archive.latest_dropin(GUILD) is None


# --- show ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "group", "expected"),
    [("2026-11-26", None, DROPIN), ("2026-06-10", "Peer Support", "wg:")],
    ids=["dropin", "group"],
)
async def test_published_for_finds_a_meetings_minutes(
    archive: MinutesHarness, day: str, group: str | None, expected: str
) -> None:
    minutes = await archive.archive.published_for(GUILD, day, group)

    assert (minutes.meeting_date.isoformat(), minutes.meeting_key.startswith(expected)) == (day, True)


@pytest.mark.parametrize(
    ("day", "group"),
    [("2026-11-19", None), ("2026-12-03", None), ("2026-11-26", "Peer Support")],
    ids=["no-minutes", "in-review", "not-that-groups"],
)
async def test_published_for_an_unpublished_meeting_is_explained(
    archive: MinutesHarness, day: str, group: str | None
) -> None:
    with pytest.raises(UserError) as caught:
        await archive.archive.published_for(GUILD, day, group)

    assert (caught.value.key, caught.value.params["date"]) == (
        "minutes.error.not_published",
        date.fromisoformat(day),
    )


async def test_published_text_names_the_group_and_has_no_dropin_time(archive: MinutesHarness) -> None:
    minutes = await archive.archive.published_for(GUILD, "2026-06-10", "Peer Support")

    text = await archive.archive.published_text(minutes)

    assert text.startswith("# Peer Support: minutes, ")
    assert "<t:" not in text and "Peer support circles." in text


# --- search --------------------------------------------------------------------------------------


async def test_search_ranks_published_minutes_best_first(archive: MinutesHarness) -> None:
    found = await archive.archive.search(GUILD, "naloxone")

    assert [p.minutes.meeting_date for p, _ in found] == [PREVIOUS_DAY, LAST_YEAR]
    assert found[0][1] > found[1][1]


async def test_search_ignores_case_and_accents(archive: MinutesHarness) -> None:
    await archive.published(date(2026, 11, 19), about("Réduction des méfaits en région."))

    found = await archive.archive.search(GUILD, "REDUCTION des mefaits")

    assert [p.minutes.meeting_date for p, _ in found] == [date(2026, 11, 19)]


async def test_search_needs_every_word(archive: MinutesHarness) -> None:
    found = await archive.archive.search(GUILD, "naloxone winter")

    assert [p.minutes.meeting_date for p, _ in found] == [LAST_YEAR]


async def test_search_reads_the_published_text_not_an_amendment_in_progress(archive: MinutesHarness) -> None:
    minutes = await archive.service.amend(GUILD, await archive.meeting(LAST_YEAR), AS_FIONA)
    await archive.service.save(minutes.id, AS_FIONA, {Section.TOPICS: "Fentanyl test strips."})

    assert await archive.archive.search(GUILD, "fentanyl") == []
    assert [p.minutes.meeting_date for p, _ in await archive.archive.search(GUILD, "winter")] == [LAST_YEAR]


@pytest.mark.parametrize("words", ["methadone", "a", "  "], ids=["absent", "too-short", "blank"])
async def test_search_without_a_match_finds_nothing(archive: MinutesHarness, words: str) -> None:
    assert await archive.archive.search(GUILD, words) == []


# --- export --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-11-26", None, [PREVIOUS_DAY]),
        ("2026-06-10", None, [GROUP_DAY, PREVIOUS_DAY]),
        ("2026-06-10", "2026-11-26", [GROUP_DAY, PREVIOUS_DAY]),
        ("2025-01-01", "2026-12-31", [LAST_YEAR, GROUP_DAY, PREVIOUS_DAY]),
        ("2026-12-03", None, []),  # in review, not published
        ("2026-06-11", "2026-11-25", []),
    ],
    ids=["from-the-last-one", "from-a-date-onwards", "inclusive-range", "everything", "unpublished", "gap"],
)
async def test_export_gives_the_published_minutes_in_range(
    archive: MinutesHarness, start: str, end: str | None, expected: list[date]
) -> None:
    assert days(await archive.archive.export(GUILD, start, end)) == expected


async def test_in_range_refuses_an_end_before_the_start(archive: MinutesHarness) -> None:
    with pytest.raises(UserError) as caught:
        await archive.archive.in_range(GUILD, date(2026, 12, 1), date(2026, 11, 1))

    assert caught.value.key == "groups.error.bad_range"


async def test_export_refuses_a_malformed_date(archive: MinutesHarness) -> None:
    with pytest.raises(UserError) as caught:
        await archive.archive.export(GUILD, "2026-11-26", "next week")

    assert caught.value.key == "dropin.error.bad_date"


async def test_exported_files_are_named_by_meeting_and_date(archive: MinutesHarness) -> None:
    found = await archive.archive.export(GUILD, "2026-06-10", "2026-11-26")

    group_id = found[0].minutes.meeting_key.removeprefix("wg:")
    assert [await archive.archive.filename(p.minutes) for p in found] == [
        f"minutes-wg-{group_id}-2026-06-10.md",
        "minutes-dropin-2026-11-26.md",
    ]

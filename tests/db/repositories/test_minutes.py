"""db/repositories/minutes.py: minutes, their status moves, publication and revisions, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.minutes import Minutes, Revision, Section
from db.models import GuildSettingsRow
from db.repositories.minutes import MinutesRepository
from db.repositories.settings import SettingsRepository

GUILD = 123456789012345678
OTHER_GUILD = 223456789012345678
UNKNOWN_GUILD = 323456789012345678
MAX_SNOWFLAKE = 2**63 - 1
FIONA = 500000000000000005
GABRIEL = 500000000000000006
CHANNEL = 366666666666666666
T0 = datetime(2026, 12, 3, 18, 40, tzinfo=UTC)
DAY = date(2026, 12, 3)
SECTIONS = {
    Section.TOPICS: "Réduction des méfaits : « naloxone » 💊\nligne deux",
    Section.ATTENDANCE: "14",
}


@pytest.fixture
async def repo_sessions(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> async_sessionmaker[AsyncSession]:
    """Sessions on a database where both test guilds have their settings row (foreign keys)."""
    async with migrated_sessions.begin() as session:
        for guild_id in (GUILD, OTHER_GUILD):
            await SettingsRepository(session).ensure(guild_id, "both", T0)
    return migrated_sessions


async def add(
    sessions: async_sessionmaker[AsyncSession],
    key: str = "dropin",
    day: date = DAY,
    *,
    guild_id: int = GUILD,
) -> Minutes:
    async with sessions.begin() as session:
        return await MinutesRepository(session).add(guild_id, key, day, FIONA, T0)


async def get(sessions: async_sessionmaker[AsyncSession], minutes_id: int) -> Minutes:
    async with sessions() as session:
        found = await MinutesRepository(session).get(minutes_id)
    assert found is not None
    return found


async def publish(
    sessions: async_sessionmaker[AsyncSession],
    minutes: Minutes,
    message_ids: list[int],
    changed: list[Section],
    at: datetime = T0,
) -> Minutes:
    async with sessions.begin() as session:
        await MinutesRepository(session).mark_published(minutes, CHANNEL, message_ids, GABRIEL, changed, at)
    return await get(sessions, minutes.id)


# --- rows ----------------------------------------------------------------------------------------


async def test_new_minutes_are_an_empty_draft(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    added = await add(repo_sessions)

    assert await get(repo_sessions, added.id) == added
    assert (added.status, added.author_id, added.sections, added.published_sections) == (
        "draft",
        FIONA,
        {},
        {},
    )
    assert (added.review_message_id, added.published_message_ids, added.version) == (None, (), 0)


async def test_find_by_guild_meeting_and_date(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    added = await add(repo_sessions, "wg:3")

    async with repo_sessions() as session:
        repo = MinutesRepository(session)
        assert await repo.find(GUILD, "wg:3", DAY) == added
        assert await repo.find(GUILD, "dropin", DAY) is None
        assert await repo.find(GUILD, "wg:3", DAY + timedelta(days=7)) is None
        assert await repo.find(OTHER_GUILD, "wg:3", DAY) is None
        assert await repo.get(added.id + 1) is None


async def test_one_meetings_minutes_are_unique(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    await add(repo_sessions)

    with pytest.raises(IntegrityError):
        await add(repo_sessions)


@pytest.mark.parametrize(
    ("key", "day", "guild_id"),
    [("wg:3", DAY, GUILD), ("dropin", DAY - timedelta(days=7), GUILD), ("dropin", DAY, OTHER_GUILD)],
    ids=["other-meeting", "other-date", "other-guild"],
)
async def test_minutes_differing_in_meeting_date_or_guild_coexist(
    repo_sessions: async_sessionmaker[AsyncSession], key: str, day: date, guild_id: int
) -> None:
    first = await add(repo_sessions)

    second = await add(repo_sessions, key, day, guild_id=guild_id)

    assert second.id != first.id


async def test_minutes_need_their_guilds_settings_row(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(IntegrityError):
        await add(repo_sessions, guild_id=UNKNOWN_GUILD)


async def test_sections_round_trip_with_any_text(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    added = await add(repo_sessions)

    async with repo_sessions.begin() as session:
        await MinutesRepository(session).save_sections(added.id, SECTIONS, T0 + timedelta(minutes=5))

    assert (await get(repo_sessions, added.id)).sections == SECTIONS


async def test_author_and_review_message_are_saved(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    added = await add(repo_sessions)

    async with repo_sessions.begin() as session:
        repo = MinutesRepository(session)
        await repo.set_author(added.id, GABRIEL)
        await repo.set_review_message(added.id, MAX_SNOWFLAKE)

    stored = await get(repo_sessions, added.id)
    assert (stored.author_id, stored.review_message_id) == (GABRIEL, MAX_SNOWFLAKE)


# --- status --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "moved"),
    [(("draft", "changes"), True), (("review",), False)],
    ids=["from-expected", "from-another"],
)
async def test_set_status_moves_only_from_an_expected_status(
    repo_sessions: async_sessionmaker[AsyncSession], expected: tuple[str, ...], moved: bool
) -> None:
    added = await add(repo_sessions)

    async with repo_sessions.begin() as session:
        result = await MinutesRepository(session).set_status(added.id, "review", T0, expected=expected)

    assert result is moved
    assert (await get(repo_sessions, added.id)).status == ("review" if moved else "draft")


async def test_set_status_succeeds_once(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    added = await add(repo_sessions)
    results = []

    for _ in range(2):
        async with repo_sessions.begin() as session:
            repo = MinutesRepository(session)
            results.append(await repo.set_status(added.id, "publishing", T0, expected=("draft",)))

    assert results == [True, False]


async def test_set_status_of_unknown_minutes_is_false(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions.begin() as session:
        assert await MinutesRepository(session).set_status(999, "review", T0, expected=("draft",)) is False


# --- publication and revisions ----------------------------------------------------------------------


async def test_mark_published_keeps_the_published_text_and_messages(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    added = await add(repo_sessions)
    async with repo_sessions.begin() as session:
        await MinutesRepository(session).save_sections(added.id, SECTIONS, T0)

    stored = await publish(
        repo_sessions, await get(repo_sessions, added.id), [MAX_SNOWFLAKE, 2], [Section.TOPICS]
    )

    assert (stored.status, stored.version, stored.published_sections) == ("published", 1, SECTIONS)
    assert (stored.published_channel_id, stored.published_message_ids) == (CHANNEL, (MAX_SNOWFLAKE, 2))


async def test_revisions_round_trip_in_version_order(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    added = await add(repo_sessions)
    first = await publish(repo_sessions, added, [1], [Section.TOPICS, Section.ATTENDANCE])
    later = T0 + timedelta(days=3, microseconds=5)

    await publish(repo_sessions, first, [1], [], at=later)

    async with repo_sessions() as session:
        revisions = await MinutesRepository(session).revisions(added.id)
    assert revisions == [
        Revision(1, FIONA, GABRIEL, (Section.TOPICS, Section.ATTENDANCE), T0),
        Revision(2, FIONA, GABRIEL, (), later),
    ]
    assert all(r.at.tzinfo is not None for r in revisions)


async def test_revisions_of_other_minutes_are_apart(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    one, other = await add(repo_sessions), await add(repo_sessions, "wg:3")
    await publish(repo_sessions, one, [1], [Section.TOPICS])

    async with repo_sessions() as session:
        assert await MinutesRepository(session).revisions(other.id) == []


@pytest.mark.parametrize(
    ("year", "expected"),
    [(None, [date(2025, 12, 4), date(2026, 6, 10), DAY]), (2025, [date(2025, 12, 4)]), (2024, [])],
    ids=["all", "2025", "none"],
)
async def test_published_lists_published_minutes_by_year_in_date_order(
    repo_sessions: async_sessionmaker[AsyncSession], year: int | None, expected: list[date]
) -> None:
    for key, day in [("dropin", DAY), ("wg:3", date(2026, 6, 10)), ("dropin", date(2025, 12, 4))]:
        await publish(repo_sessions, await add(repo_sessions, key, day), [1], [Section.TOPICS])
    await add(repo_sessions, "dropin", date(2026, 11, 26))  # a draft
    await publish(repo_sessions, await add(repo_sessions, guild_id=OTHER_GUILD), [1], [Section.TOPICS])

    async with repo_sessions() as session:
        found = await MinutesRepository(session).published(GUILD, year=year)

    assert [m.meeting_date for m in found] == expected


@pytest.mark.parametrize(
    ("stored", "expected"), [(None, True), (False, False)], ids=["default", "turned-off"]
)
async def test_two_reviewers_are_required_unless_turned_off(
    repo_sessions: async_sessionmaker[AsyncSession], stored: bool | None, expected: bool
) -> None:
    if stored is not None:
        async with repo_sessions.begin() as session:
            await session.execute(
                update(GuildSettingsRow)
                .where(GuildSettingsRow.guild_id == GUILD)
                .values(minutes_two_reviewers=stored)
            )

    async with repo_sessions() as session:
        assert await MinutesRepository(session).two_reviewers(GUILD) is expected


async def test_an_unknown_guild_requires_two_reviewers(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions() as session:
        assert await MinutesRepository(session).two_reviewers(UNKNOWN_GUILD) is True

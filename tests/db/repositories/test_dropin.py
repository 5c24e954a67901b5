"""db/repositories/dropin.py: schedules, exceptions, topics, post claims and events, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.dropin import DropinException, DropinSchedule, Topic
from db.repositories.dropin import DropinRepository, EventRecord, PostRecord
from db.repositories.settings import SettingsRepository

GUILD = 123456789012345678
OTHER_GUILD = 223456789012345678
MAX_SNOWFLAKE = 2**63 - 1
KEY = date(2026, 12, 3)
T0 = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
NOW = T0
T1 = T0 + timedelta(minutes=1)


@pytest.fixture
async def repo_sessions(sessions: async_sessionmaker[AsyncSession]) -> async_sessionmaker[AsyncSession]:
    """Sessions on a database where both test guilds have their settings row (foreign keys)."""
    async with sessions.begin() as session:
        for guild_id in (GUILD, OTHER_GUILD):
            await SettingsRepository(session).ensure(guild_id, "both", T0)
    return sessions


async def claim(
    sessions: async_sessionmaker[AsyncSession],
    slug: str = "reminder-1440",
    *,
    guild_id: int = GUILD,
    key: date = KEY,
    late: bool = False,
) -> bool:
    async with sessions.begin() as session:
        return await DropinRepository(session).claim_post(guild_id, key, slug, f"nonce-{slug}", late, T0)


# --- post claims --------------------------------------------------------------------------------


async def test_claim_post_succeeds_once_then_fails_for_the_same_key(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert [await claim(repo_sessions) for _ in range(3)] == [True, False, False]


async def test_claim_post_in_one_transaction_sees_its_own_claim(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions.begin() as session:
        repo = DropinRepository(session)
        first = await repo.claim_post(GUILD, KEY, "start", "n", False, T0)
        second = await repo.claim_post(GUILD, KEY, "start", "n", False, T0)

    assert (first, second) == (True, False)


@pytest.mark.parametrize(
    "other",
    [
        {"slug": "reminder-15"},
        {"key": date(2026, 12, 10)},
        {"guild_id": OTHER_GUILD},
    ],
    ids=["other-slug", "other-occurrence", "other-guild"],
)
async def test_claims_differing_in_any_part_of_the_key_are_independent(
    repo_sessions: async_sessionmaker[AsyncSession], other: dict[str, object]
) -> None:
    await claim(repo_sessions)

    assert await claim(repo_sessions, **other) is True  # type: ignore[arg-type]


async def test_losing_claim_keeps_the_winners_nonce_and_late_flag(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions.begin() as session:
        await DropinRepository(session).claim_post(GUILD, KEY, "start", "winner", True, T0)
    async with repo_sessions.begin() as session:
        await DropinRepository(session).claim_post(GUILD, KEY, "start", "loser", False, T1)

    async with repo_sessions() as session:
        assert await DropinRepository(session).posts(GUILD, KEY) == [
            PostRecord(KEY, "start", "winner", True, T0, None)
        ]


async def test_mark_posted_records_the_message_and_clears_the_unposted_claim(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    await claim(repo_sessions, "reminder-1440")
    await claim(repo_sessions, "reminder-15")

    async with repo_sessions.begin() as session:
        await DropinRepository(session).mark_posted(GUILD, KEY, "reminder-1440", MAX_SNOWFLAKE, T1)

    async with repo_sessions() as session:
        repo = DropinRepository(session)
        posts = {p.slug: p for p in await repo.posts(GUILD, KEY)}
        unposted = await repo.unposted_claims(GUILD)
    assert posts["reminder-1440"].message_id == MAX_SNOWFLAKE
    assert [p.slug for p in unposted] == ["reminder-15"]


async def test_unposted_claims_are_per_guild(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    await claim(repo_sessions, guild_id=OTHER_GUILD)

    async with repo_sessions() as session:
        assert await DropinRepository(session).unposted_claims(GUILD) == []


async def test_posts_are_per_occurrence(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    await claim(repo_sessions, key=date(2026, 12, 10))

    async with repo_sessions() as session:
        assert await DropinRepository(session).posts(GUILD, KEY) == []


async def test_claimed_at_round_trips_as_aware_utc(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    await claim(repo_sessions)

    async with repo_sessions() as session:
        (record,) = await DropinRepository(session).posts(GUILD, KEY)
    assert record.claimed_at == T0
    assert record.claimed_at.utcoffset() == timedelta(0)


# --- schedule -------------------------------------------------------------------------------------


async def test_unknown_schedule_reads_as_none(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with repo_sessions() as session:
        assert await DropinRepository(session).schedule(GUILD) is None


@pytest.mark.parametrize(
    "schedule",
    [
        DropinSchedule(guild_id=GUILD),
        DropinSchedule(
            guild_id=GUILD,
            weekday=2,
            local_time=time(9, 5),
            timezone="America/Vancouver",
            duration_minutes=120,
            minuted_minutes=45,
            join_url="https://zoom.us/j/85012345678",
            meeting_id="850 1234 5678",
            passcode="nss",
            channel_id=MAX_SNOWFLAKE,
            ping_role_id=MAX_SNOWFLAKE - 1,
            reminder_minutes=(2880, 60, 5),
            events_ahead=8,
        ),
    ],
    ids=["defaults", "every-field"],
)
async def test_schedule_round_trips(
    repo_sessions: async_sessionmaker[AsyncSession], schedule: DropinSchedule
) -> None:
    async with repo_sessions.begin() as session:
        await DropinRepository(session).save_schedule(schedule, T0)

    async with repo_sessions() as session:
        assert await DropinRepository(session).schedule(GUILD) == schedule


async def test_saving_a_schedule_again_replaces_it(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with repo_sessions.begin() as session:
        await DropinRepository(session).save_schedule(DropinSchedule(guild_id=GUILD), T0)
    async with repo_sessions.begin() as session:
        await DropinRepository(session).save_schedule(DropinSchedule(guild_id=GUILD, local_time=time(13)), T1)

    async with repo_sessions() as session:
        repo = DropinRepository(session)
        assert (await repo.schedule(GUILD)).local_time == time(13)  # type: ignore[union-attr]
        assert await repo.guilds_with_schedule() == [GUILD]


# --- exceptions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("moved_to", [None, time(0, 0), time(9, 5), time(14, 30), time(23, 59)])
async def test_exception_round_trips_moved_to(
    repo_sessions: async_sessionmaker[AsyncSession], moved_to: time | None
) -> None:
    exception = DropinException(key=KEY, skipped=False, reason="", note="guest", moved_to=moved_to)
    async with repo_sessions.begin() as session:
        await DropinRepository(session).save_exception(GUILD, exception, T0)

    async with repo_sessions() as session:
        assert await DropinRepository(session).exceptions(GUILD, KEY) == {KEY: exception}


async def test_skip_exception_round_trips(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    exception = DropinException(key=KEY, skipped=True, reason="holiday — férié")
    async with repo_sessions.begin() as session:
        await DropinRepository(session).save_exception(GUILD, exception, T0)

    async with repo_sessions() as session:
        assert await DropinRepository(session).exceptions(GUILD, KEY) == {KEY: exception}


async def test_saving_an_exception_again_replaces_it(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with repo_sessions.begin() as session:
        await DropinRepository(session).save_exception(GUILD, DropinException(KEY, skipped=True), T0)
    async with repo_sessions.begin() as session:
        await DropinRepository(session).save_exception(GUILD, DropinException(KEY, moved_to=time(13)), T1)

    async with repo_sessions() as session:
        assert await DropinRepository(session).exceptions(GUILD, KEY) == {
            KEY: DropinException(KEY, moved_to=time(13))
        }


async def test_exceptions_are_read_from_a_date_on_and_per_guild(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions.begin() as session:
        repo = DropinRepository(session)
        for key in (date(2026, 11, 26), KEY, date(2026, 12, 10)):
            await repo.save_exception(GUILD, DropinException(key, skipped=True), T0)
        await repo.save_exception(OTHER_GUILD, DropinException(date(2026, 12, 17), skipped=True), T0)

    async with repo_sessions() as session:
        found = await DropinRepository(session).exceptions(GUILD, KEY)
    assert sorted(found) == [KEY, date(2026, 12, 10)]


# --- topics and events ----------------------------------------------------------------------------


async def test_topics_are_listed_in_order_without_removed_ones(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions.begin() as session:
        repo = DropinRepository(session)
        first = await repo.add_topic(GUILD, KEY, "first", T0)
        second = await repo.add_topic(GUILD, KEY, "second", T0)
        third = await repo.add_topic(GUILD, KEY, "third", T1)
        await repo.add_topic(GUILD, date(2026, 12, 10), "next week", T1)
        await repo.add_topic(OTHER_GUILD, KEY, "other guild", T1)
    async with repo_sessions.begin() as session:
        assert await DropinRepository(session).remove_topic(GUILD, second.id) == second

    async with repo_sessions() as session:
        assert await DropinRepository(session).topics(GUILD, KEY) == [first, third]
    assert first == Topic(first.id, KEY, "first")


@pytest.mark.parametrize("case", ["unknown", "other-guild", "already-removed"])
async def test_remove_topic_returns_none_when_there_is_nothing_to_remove(
    repo_sessions: async_sessionmaker[AsyncSession], case: str
) -> None:
    async with repo_sessions.begin() as session:
        topic = await DropinRepository(session).add_topic(GUILD, KEY, "a topic", T0)
    if case == "already-removed":
        async with repo_sessions.begin() as session:
            await DropinRepository(session).remove_topic(GUILD, topic.id)
    guild_id = OTHER_GUILD if case == "other-guild" else GUILD
    topic_id = topic.id + 1000 if case == "unknown" else topic.id

    async with repo_sessions.begin() as session:
        assert await DropinRepository(session).remove_topic(guild_id, topic_id) is None


async def test_event_records_round_trip_and_update(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    record = EventRecord(KEY, MAX_SNOWFLAKE, "f" * 32, False)
    async with repo_sessions.begin() as session:
        assert await DropinRepository(session).claim_event(GUILD, KEY, NOW, NOW - timedelta(minutes=5))
        await DropinRepository(session).save_event(GUILD, record)
    async with repo_sessions.begin() as session:
        await DropinRepository(session).save_event(GUILD, EventRecord(KEY, MAX_SNOWFLAKE, "g" * 32, True))

    async with repo_sessions() as session:
        repo = DropinRepository(session)
        assert await repo.events(GUILD) == {KEY: EventRecord(KEY, MAX_SNOWFLAKE, "g" * 32, True)}
        assert await repo.events(OTHER_GUILD) == {}


async def test_an_event_claim_is_granted_once(repo_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with repo_sessions.begin() as session:
        first = await DropinRepository(session).claim_event(GUILD, KEY, NOW, NOW - timedelta(minutes=5))
    async with repo_sessions.begin() as session:
        second = await DropinRepository(session).claim_event(GUILD, KEY, NOW, NOW - timedelta(minutes=5))
    assert (first, second) == (True, False)


async def test_a_cancelled_event_can_be_claimed_again(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions.begin() as session:
        await DropinRepository(session).claim_event(GUILD, KEY, NOW, NOW - timedelta(minutes=5))
        await DropinRepository(session).save_event(GUILD, EventRecord(KEY, MAX_SNOWFLAKE, "f" * 32, True))
    async with repo_sessions.begin() as session:
        assert await DropinRepository(session).claim_event(GUILD, KEY, NOW, NOW - timedelta(minutes=5))
        assert (await DropinRepository(session).events(GUILD))[KEY].event_id is None


async def test_an_abandoned_claim_is_taken_over_only_once_stale(
    repo_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with repo_sessions.begin() as session:
        await DropinRepository(session).claim_event(GUILD, KEY, NOW, NOW - timedelta(minutes=5))
    later = NOW + timedelta(minutes=1)
    async with repo_sessions.begin() as session:
        fresh = await DropinRepository(session).claim_event(GUILD, KEY, later, later - timedelta(minutes=5))
    much_later = NOW + timedelta(minutes=10)
    async with repo_sessions.begin() as session:
        stale = await DropinRepository(session).claim_event(
            GUILD, KEY, much_later, much_later - timedelta(minutes=5)
        )
    assert (fresh, stale) == (False, True)

"""db/cache.py through the repositories that use it: settings and drop-in schedules come from memory
after the first read, and every write through a repository is seen by the next read."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.domain.dropin import DropinException, DropinSchedule
from bot.domain.settings import ChannelPurpose
from db.cache import MISSING, ReadCache, read_through, remembered
from db.engine import create_session_factory
from db.models import DropinScheduleRow, GuildSettingsRow
from db.repositories.dropin import DropinRepository
from db.repositories.minutes import MinutesRepository
from db.repositories.settings import SettingsRepository, settings_key

GUILD = 123456789012345678
T0 = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
SCHEDULE = DropinSchedule(
    guild_id=GUILD,
    weekday=3,
    local_time=time(12, 0),
    timezone="America/Toronto",
    duration_minutes=90,
    minuted_minutes=60,
    join_url="https://zoom.us/j/1",
    reminder_minutes=(60,),
    events_ahead=2,
)


async def _settings(sessions: async_sessionmaker[AsyncSession]) -> str | None:
    async with sessions() as session:
        found = await SettingsRepository(session).get(GUILD)
    return None if found is None else found.language


async def _behind_the_repositorys_back(sessions: async_sessionmaker[AsyncSession], language: str) -> None:
    async with sessions.begin() as session:
        await session.execute(
            update(GuildSettingsRow).where(GuildSettingsRow.guild_id == GUILD).values(language=language)
        )


async def test_settings_are_read_from_memory_after_the_first_read(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
    assert await _settings(sessions) == "en"

    await _behind_the_repositorys_back(sessions, "fr")

    assert await _settings(sessions) == "en"


async def test_a_committed_settings_write_is_seen_by_the_next_read(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
    assert await _settings(sessions) == "en"

    async with sessions.begin() as session:
        await SettingsRepository(session).set_language(GUILD, "fr", T0)

    assert await _settings(sessions) == "fr"


async def test_a_write_is_seen_inside_its_own_session_before_commit(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
    assert await _settings(sessions) == "en"

    async with sessions.begin() as session:
        repo = SettingsRepository(session)
        await repo.set_channel(GUILD, ChannelPurpose.QUESTIONS, 42, T0)
        found = await repo.get(GUILD)

    assert found is not None and found.channel(ChannelPurpose.QUESTIONS) == 42


async def test_a_rolled_back_write_leaves_the_stored_value(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
    async with sessions() as session:
        await SettingsRepository(session).set_language(GUILD, "fr", T0)
        await session.rollback()

    assert await _settings(sessions) == "en"


async def test_a_saved_schedule_is_seen_by_the_next_read(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
        await DropinRepository(session).save_schedule(SCHEDULE, T0)
    async with sessions() as session:
        assert await DropinRepository(session).schedule(GUILD) == SCHEDULE

    moved = SCHEDULE.__class__(**{**SCHEDULE.__dict__, "weekday": 2})
    async with sessions.begin() as session:
        await DropinRepository(session).save_schedule(moved, T0)

    async with sessions() as session:
        assert await DropinRepository(session).schedule(GUILD) == moved


async def test_the_schedule_is_read_from_memory_after_the_first_read(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
        await DropinRepository(session).save_schedule(SCHEDULE, T0)
    async with sessions() as session:
        await DropinRepository(session).schedule(GUILD)
    async with sessions.begin() as session:
        await session.execute(update(DropinScheduleRow).values(weekday=0))

    async with sessions() as session:
        assert await DropinRepository(session).schedule(GUILD) == SCHEDULE


async def test_a_saved_exception_is_seen_by_the_next_read(sessions: async_sessionmaker[AsyncSession]) -> None:
    day = date(2026, 12, 10)
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
        await DropinRepository(session).save_schedule(SCHEDULE, T0)
    async with sessions() as session:
        assert await DropinRepository(session).exceptions(GUILD, date(2026, 12, 1)) == {}

    skipped = DropinException(key=day, skipped=True, reason="holiday")
    async with sessions.begin() as session:
        await DropinRepository(session).save_exception(GUILD, skipped, T0)

    async with sessions() as session:
        repo = DropinRepository(session)
        assert await repo.exceptions(GUILD, date(2026, 12, 1)) == {day: skipped}
        assert await repo.exceptions(GUILD, date(2026, 12, 11)) == {}


def test_a_value_read_while_an_invalidation_happened_is_not_kept() -> None:
    cache = ReadCache()
    generation = cache.generation

    cache.invalidate("key")  # a writer committed while the reader was reading
    cache.store("key", "stale", generation)

    assert cache.lookup("key") != "stale"


async def _publish(sessions: async_sessionmaker[AsyncSession], day: date, message_id: int) -> None:
    async with sessions.begin() as session:
        repo = MinutesRepository(session)
        minutes = await repo.add(GUILD, "dropin", day, 7, T0)
        await repo.mark_published(minutes, 99, [message_id], 8, [], T0)


async def test_newly_published_minutes_replace_the_remembered_latest(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
    await _publish(sessions, date(2026, 11, 26), 1)
    async with sessions() as session:
        first = await MinutesRepository(session).latest_published(GUILD, "dropin")

    await _publish(sessions, date(2026, 12, 3), 2)

    async with sessions() as session:
        latest = await MinutesRepository(session).latest_published(GUILD, "dropin")
    assert first is not None and first.published_message_ids == (1,)
    assert latest is not None and latest.published_message_ids == (2,)


OTHER_GUILD = GUILD + 1


async def test_sharded_a_guild_of_another_process_is_read_through(engine: AsyncEngine) -> None:
    """A DM on shard 0 may read a guild whose settings another process changes: never from memory."""
    sessions = create_session_factory(engine, owns=lambda guild_id: guild_id != GUILD)
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
    assert await _settings(sessions) == "en"

    await _behind_the_repositorys_back(sessions, "fr")

    assert await _settings(sessions) == "fr"


async def test_sharded_a_guild_of_this_process_is_served_from_memory(engine: AsyncEngine) -> None:
    sessions = create_session_factory(engine, owns=lambda guild_id: guild_id == GUILD)
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
    assert await _settings(sessions) == "en"

    await _behind_the_repositorys_back(sessions, "fr")

    assert await _settings(sessions) == "en"


def test_a_key_without_a_guild_is_not_served_when_sharded() -> None:
    assert not ReadCache(owns=lambda _g: True).serves(("family",))


async def test_remembered_settings_are_read_without_a_session_and_forgotten_on_a_write(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
    assert remembered(sessions, settings_key(GUILD)) is MISSING
    await _settings(sessions)
    assert remembered(sessions, settings_key(GUILD)).language == "en"

    async with sessions.begin() as session:
        await SettingsRepository(session).set_language(GUILD, "fr", T0)

    assert remembered(sessions, settings_key(GUILD)) is MISSING


async def test_read_through_serves_a_remembered_value_without_reading(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
    await _settings(sessions)  # now in memory

    async def must_not_read(_session: AsyncSession) -> None:
        raise AssertionError("read_through opened a session for a value held in memory")

    found = await read_through(sessions, settings_key(GUILD), must_not_read)

    assert found.language == "en"


async def test_read_through_reads_a_missing_value_and_remembers_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "fr", T0)

    found = await read_through(
        sessions, settings_key(GUILD), lambda session: SettingsRepository(session).get(GUILD)
    )

    assert found is not None and found.language == "fr"
    assert remembered(sessions, settings_key(GUILD)) == found

"""db/repositories/members.py on SQLite and PostgreSQL: managed roles, settings, the welcome-once claim."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repositories.members import MemberSettings, MembersRepository
from db.repositories.settings import SettingsRepository

GUILD = 123456789012345678
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


async def test_role_ids_are_stored_and_replaced(migrated_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with migrated_sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "both", NOW)
        repo = MembersRepository(session)
        await repo.set_role_id(GUILD, "nurse", 1)
        await repo.set_role_id(GUILD, "nurse", 2)
        await repo.set_role_id(GUILD, "other", 3)
    async with migrated_sessions() as session:
        assert await MembersRepository(session).role_ids(GUILD) == {"nurse": 2, "other": 3}


async def test_settings_default_to_welcome_on(migrated_sessions: async_sessionmaker[AsyncSession]) -> None:
    async with migrated_sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "both", NOW)
        repo = MembersRepository(session)
        assert await repo.settings(GUILD) == MemberSettings(GUILD)
        await repo.save_settings(MemberSettings(GUILD, welcome_enabled=False, picker_message_id=5))
    async with migrated_sessions() as session:
        stored = await MembersRepository(session).settings(GUILD)
    assert not stored.welcome_enabled and stored.picker_message_id == 5


async def test_a_welcome_is_claimed_once_until_it_is_a_day_old(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with migrated_sessions.begin() as session:
        repo = MembersRepository(session)
        assert await repo.claim_welcome("tag", NOW, NOW - DAY)
        assert not await repo.claim_welcome("tag", NOW + timedelta(hours=1), NOW + timedelta(hours=1) - DAY)
        assert await repo.claim_welcome("tag", NOW + 2 * DAY, NOW + DAY)


async def test_forget_and_purge_delete_welcome_records(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with migrated_sessions.begin() as session:
        repo = MembersRepository(session)
        for tag in ("a", "b", "c"):
            await repo.claim_welcome(tag, NOW, NOW - DAY)
        assert await repo.forget_welcomes(["a", "missing"]) == 1
        assert await repo.forget_welcomes([]) == 0
        assert await repo.purge_welcomes(NOW + DAY) == 2

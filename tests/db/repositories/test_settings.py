"""db/repositories/settings.py: rows in, plain dataclasses out, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import NoResultFound
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.settings import ChannelPurpose, GuildSettings, RolePurpose
from db.models import GuildChannelRow, GuildRoleRow, GuildSettingsRow
from db.repositories.settings import SettingsRepository

GUILD = 123456789012345678
T0 = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
MAX_SNOWFLAKE = 2**63 - 1


async def test_unknown_guild_reads_as_none(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        assert await SettingsRepository(session).get(GUILD) is None


async def test_ensure_does_not_overwrite_an_existing_language(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "fr", T0)
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T1)

    async with sessions() as session:
        assert await SettingsRepository(session).get(GUILD) == GuildSettings(GUILD, "fr")


async def test_writes_keep_created_at_and_move_updated_at(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
    async with sessions.begin() as session:
        await SettingsRepository(session).set_channel(GUILD, ChannelPurpose.DROPIN, 7, T1)

    async with sessions() as session:
        row = await session.get_one(GuildSettingsRow, GUILD)
    assert (row.created_at, row.updated_at) == (T0, T1)


async def test_largest_snowflakes_round_trip(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        repo = SettingsRepository(session)
        await repo.ensure(MAX_SNOWFLAKE, "en", T0)
        await repo.set_channel(MAX_SNOWFLAKE, ChannelPurpose.DROPIN, MAX_SNOWFLAKE - 1, T0)
        await repo.set_role(MAX_SNOWFLAKE, RolePurpose.FACILITATOR, MAX_SNOWFLAKE - 2, T0)

    async with sessions() as session:
        assert await SettingsRepository(session).get(MAX_SNOWFLAKE) == GuildSettings(
            MAX_SNOWFLAKE,
            "en",
            channels={ChannelPurpose.DROPIN: MAX_SNOWFLAKE - 1},
            roles={RolePurpose.FACILITATOR: MAX_SNOWFLAKE - 2},
        )


async def test_rows_with_purposes_from_a_newer_version_are_skipped(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "en", T0)
        session.add(GuildChannelRow(guild_id=GUILD, purpose="future_feature", channel_id=1))
        session.add(GuildChannelRow(guild_id=GUILD, purpose="dropin", channel_id=2))
        session.add(GuildRoleRow(guild_id=GUILD, purpose="future_role", role_id=3))

    async with sessions() as session:
        assert await SettingsRepository(session).get(GUILD) == GuildSettings(
            GUILD, "en", channels={ChannelPurpose.DROPIN: 2}
        )


async def test_unknown_stored_language_reads_as_both(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        session.add(GuildSettingsRow(guild_id=GUILD, language="xx", created_at=T0, updated_at=T0))

    async with sessions() as session:
        settings = await SettingsRepository(session).get(GUILD)
    assert settings is not None
    assert settings.language == "both"


async def test_clear_channel_removes_only_that_purpose(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        repo = SettingsRepository(session)
        await repo.ensure(GUILD, "en", T0)
        await repo.set_channel(GUILD, ChannelPurpose.DROPIN, 1, T0)
        await repo.set_channel(GUILD, ChannelPurpose.WELCOME, 2, T0)

    async with sessions.begin() as session:
        await SettingsRepository(session).clear_channel(GUILD, ChannelPurpose.DROPIN)

    async with sessions() as session:
        settings = await SettingsRepository(session).get(GUILD)
    assert settings is not None
    assert settings.channels == {ChannelPurpose.WELCOME: 2}


async def test_set_language_needs_an_existing_guild(sessions: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(NoResultFound):
        async with sessions.begin() as session:
            await SettingsRepository(session).set_language(GUILD, "fr", T0)

"""db/engine.py: SQLite pragmas in effect on every connection; foreign keys enforced on both backends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.engine import create_engine
from db.models import GuildChannelRow, GuildSettingsRow

NOW = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
GUILD = 123456789012345678


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'dir' / 'x.db'}")
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("pragma", "expected"), [("foreign_keys", 1), ("journal_mode", "wal"), ("secure_delete", 1)]
)
async def test_sqlite_pragma_is_in_effect(sqlite_engine: AsyncEngine, pragma: str, expected: object) -> None:
    async with sqlite_engine.connect() as connection:
        assert (await connection.execute(text(f"PRAGMA {pragma}"))).scalar() == expected


def test_secure_delete_is_asked_for_even_where_sqlite_was_built_without_it() -> None:
    """Debian's SQLite zeroes deleted content by default; other builds do not, so the bot asks."""
    from db.engine import _sqlite_pragmas

    executed: list[str] = []

    class Cursor:
        def execute(self, statement: str) -> None:
            executed.append(statement)

        def close(self) -> None: ...

    class Connection:
        def cursor(self) -> Cursor:
            return Cursor()

    _sqlite_pragmas(Connection(), None)

    assert "PRAGMA secure_delete=ON" in executed


async def test_sqlite_pragmas_hold_on_every_pooled_connection(sqlite_engine: AsyncEngine) -> None:
    async with sqlite_engine.connect() as first, sqlite_engine.connect() as second:
        for connection in (first, second):
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1


async def test_sqlite_engine_creates_the_missing_data_directory(
    sqlite_engine: AsyncEngine, tmp_path: Path
) -> None:
    async with sqlite_engine.connect() as connection:
        await connection.execute(text("SELECT 1"))

    assert (tmp_path / "nested" / "dir" / "x.db").exists()


async def test_channel_row_without_guild_settings_is_refused(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(IntegrityError):
        async with sessions.begin() as session:
            session.add(GuildChannelRow(guild_id=GUILD, purpose="dropin", channel_id=1))


async def test_deleting_guild_settings_cascades_to_channels(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        session.add(GuildSettingsRow(guild_id=GUILD, language="en", created_at=NOW, updated_at=NOW))
        await session.flush()
        session.add(GuildChannelRow(guild_id=GUILD, purpose="dropin", channel_id=1))

    async with sessions.begin() as session:
        await session.execute(delete(GuildSettingsRow).where(GuildSettingsRow.guild_id == GUILD))

    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(GuildChannelRow)) == 0

"""Shared fixtures: a migrated database on SQLite (always) and PostgreSQL (when configured).

Set NSSCOP_TEST_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/nsscop_test) to
run the `postgresql` params; each test gets a fresh database, dropped afterwards. With
NSSCOP_TEST_REQUIRE_POSTGRES=1 (CI) a missing URL fails the tests instead of skipping them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import normalize_database_url
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade

POSTGRES_URL_ENV = "NSSCOP_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "NSSCOP_TEST_REQUIRE_POSTGRES"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


async def _admin_connection(url: str) -> asyncpg.Connection:
    parsed = make_url(url)
    return await asyncpg.connect(
        user=parsed.username,
        password=parsed.password,
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        database=parsed.database or "postgres",
    )


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database: a file in tmp_path, or a fresh PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"{REQUIRE_POSTGRES_ENV}=1 but {POSTGRES_URL_ENV} is not set")
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    base = normalize_database_url(base)
    name = f"nsscop_t_{uuid.uuid4().hex[:16]}"
    admin = await _admin_connection(base)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The app's engine on `database_url`, migrated to head."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated to head once per run: copying it is much faster than migrating."""
    path = tmp_path_factory.mktemp("migrated") / "template.db"

    async def migrate() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()  # the last connection closing checkpoints the WAL into the file

    with ThreadPoolExecutor(max_workers=1) as pool:  # its own event loop, apart from the tests' loops
        pool.submit(asyncio.run, migrate()).result()
    return path


@pytest.fixture
async def migrated_engine(database_url: str, migrated_sqlite_template: Path) -> AsyncIterator[AsyncEngine]:
    """Like `engine`, but on SQLite the database starts as a copy of the migrated template."""
    url = make_url(database_url)
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite:
        assert url.database
        shutil.copyfile(migrated_sqlite_template, url.database)
    engine = create_engine(database_url)
    try:
        if not sqlite:
            await upgrade(engine)
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def migrated_sessions(migrated_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Like `sessions`, on `migrated_engine`: for test modules with many database tests."""
    return create_session_factory(migrated_engine)

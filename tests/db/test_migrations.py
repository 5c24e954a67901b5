"""db/migrations: one head, reversible, idempotent, and in step with db/models.py on both backends."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.migrate import alembic_config, upgrade
from db.models import Base

APP_TABLES = set(Base.metadata.tables)


def _diffs(connection: Connection, metadata: MetaData = Base.metadata) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _metadata_with_an_extra_column() -> MetaData:
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    metadata.tables["guild_roles"].append_column(Column("extra", Integer, nullable=True))
    return metadata


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _downgrade_to_base(connection: Connection) -> None:
    config = alembic_config(connection.engine.url.render_as_string(hide_password=False))
    config.attributes["connection"] = connection
    command.downgrade(config, "base")


def head() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_migrations_have_a_single_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()) == 1


async def test_models_and_migrations_do_not_drift(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_diffs) == []


async def test_drift_check_notices_a_column_missing_from_the_migrations(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        diffs = await connection.run_sync(_diffs, _metadata_with_an_extra_column())

    assert [(d[0], d[2], d[3].name) for d in diffs] == [("add_column", "guild_roles", "extra")]


async def test_upgrade_creates_the_model_tables_at_head(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_tables) >= APP_TABLES
        assert await connection.run_sync(_current_revision) == head()


async def test_upgrade_again_is_a_no_op(engine: AsyncEngine) -> None:
    await upgrade(engine)

    async with engine.connect() as connection:
        assert await connection.run_sync(_current_revision) == head()
        assert await connection.run_sync(_diffs) == []


async def test_downgrade_to_base_then_upgrade_round_trips(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_downgrade_to_base)
    async with engine.connect() as connection:
        assert not (APP_TABLES & await connection.run_sync(_tables))

    await upgrade(engine)

    async with engine.connect() as connection:
        assert await connection.run_sync(_diffs) == []


async def test_upgrade_on_an_empty_database(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_current_revision) is None
        await upgrade(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_current_revision) == head()
    finally:
        await engine.dispose()

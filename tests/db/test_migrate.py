"""db/migrate.py: a start on a database already at head skips Alembic; anything else migrates."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import db.migrate
from db.engine import create_engine
from db.migrate import alembic_config, head_revisions, upgrade


def _refuse(*_args: Any) -> None:
    raise AssertionError("Alembic ran although the database was at head")


def test_head_read_from_the_files_is_alembics_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert head_revisions() == frozenset(heads)


async def test_a_database_at_head_is_not_migrated_again(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.migrate, "_upgrade_sync", _refuse)

    await upgrade(engine)  # `engine` is migrated already: this must not call Alembic


async def test_an_empty_database_is_migrated(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            versions = {
                r[0] for r in await connection.execute(text("SELECT version_num FROM alembic_version"))
            }
    finally:
        await engine.dispose()

    assert versions == head_revisions()


async def test_a_database_behind_head_is_migrated(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0001")
        await upgrade(engine)
        async with engine.connect() as connection:
            versions = {
                r[0] for r in await connection.execute(text("SELECT version_num FROM alembic_version"))
            }
    finally:
        await engine.dispose()

    assert versions == head_revisions()

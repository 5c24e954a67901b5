"""db/one_trip_insert.py: rows stored as every other path stores them, ids in order, one trip on
SQLite, and a failed call leaves nothing behind."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import Table, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.util import greenlet_spawn

from db.engine import create_engine, create_session_factory
from db.models import QuestionDraftRow
from db.one_trip_insert import OneTripInsert

DRAFTS = cast(Table, QuestionDraftRow.__table__)
COLUMNS = ("owner_tag", "text", "guild_id", "relay", "created_at")
NOW = datetime(2026, 12, 2, 6, 34, 21, 258256, tzinfo=UTC)


def row(number: int, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "owner_tag": f"tag-{number}",
        "text": f"text {number}",
        "guild_id": 10**17 + number,  # a snowflake: past 32 bits
        "relay": number % 2 == 0,
        "created_at": NOW,
    }
    return values | changes


async def stored(sessions: async_sessionmaker[AsyncSession], draft_id: int) -> tuple[Any, ...]:
    """The row as the database holds it, below the column types (e.g. SQLite's datetime text)."""
    async with sessions() as session:
        found = await session.execute(
            text("SELECT owner_tag, text, guild_id, relay, created_at FROM question_drafts WHERE id = :id"),
            {"id": draft_id},
        )
        return tuple(found.one())


async def test_a_row_is_stored_as_a_core_insert_stores_it(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    [ours] = await OneTripInsert(migrated_sessions, DRAFTS, COLUMNS)([row(1)])
    async with migrated_sessions.begin() as session:
        core = (await session.execute(insert(DRAFTS).returning(DRAFTS.c.id), [row(1)])).scalar_one()

    assert await stored(migrated_sessions, ours) == await stored(migrated_sessions, core)


async def test_rows_read_back_through_the_orm_unchanged(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    rows = [row(number) for number in range(3)]
    ids = await OneTripInsert(migrated_sessions, DRAFTS, COLUMNS)(rows)

    async with migrated_sessions() as session:
        found = (
            await session.execute(select(QuestionDraftRow).where(QuestionDraftRow.id.in_(ids)))
        ).scalars()
        by_id = {draft.id: draft for draft in found}
    read = [{column: getattr(by_id[draft_id], column) for column in COLUMNS} for draft_id in ids]
    assert read == rows  # ids in the order of the rows; the time comes back aware, in UTC


async def test_a_failed_call_writes_none_of_its_rows_and_hides_the_values(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    inserts = OneTripInsert(migrated_sessions, DRAFTS, COLUMNS)

    with pytest.raises(IntegrityError) as raised:
        await inserts([row(1, text="secret words"), row(2, text=None)])  # text is NOT NULL

    assert "secret words" not in str(raised.value)
    async with migrated_sessions() as session:
        assert (await session.execute(text("SELECT count(*) FROM question_drafts"))).scalar_one() == 0
    [draft_id] = await inserts([row(3)])  # the connection went back to the pool with nothing open
    assert (await stored(migrated_sessions, draft_id))[1] == "text 3"


@pytest.fixture
async def sqlite_sessions(
    tmp_path: Path, migrated_sqlite_template: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """SQLite alone: aiosqlite's worker thread exists there only (PostgreSQL takes Core, tested above)."""
    path = tmp_path / "one-trip.db"
    shutil.copyfile(migrated_sqlite_template, path)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def test_on_sqlite_the_rows_and_the_commit_take_one_trip(
    sqlite_sessions: async_sessionmaker[AsyncSession], hops: list[int]
) -> None:
    inserts = OneTripInsert(sqlite_sessions, DRAFTS, COLUMNS)
    await inserts([row(0)])  # the pool's first connection is opened here
    hops[0] = 0

    await inserts([row(1), row(2), row(3)])

    assert hops[0] == 1


async def test_a_stray_statement_left_on_a_pooled_connection_is_not_committed_with_the_rows(
    sqlite_sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A caller cancelled while its statement waited for aiosqlite's thread: the connection went back
    to the pool with no transaction open yet, and the statement runs just before the next user's."""
    engine = sqlite_sessions.kw["bind"]
    inserts = OneTripInsert(sqlite_sessions, DRAFTS, COLUMNS)
    await inserts([row(0)])  # the pool's only connection, handed out again below
    gate = threading.Event()
    stray_sql = (
        "INSERT INTO question_drafts (owner_tag, text, relay, created_at) VALUES ('stray', 'x', 1, '')"
    )

    def leave_a_stray_statement() -> tuple[Any, list[asyncio.Future[Any]]]:
        pooled = engine.sync_engine.raw_connection()
        driver: Any = pooled.driver_connection
        queued = [
            asyncio.ensure_future(driver._execute(gate.wait)),  # holds the thread: the order is fixed
            asyncio.ensure_future(driver._execute(driver._conn.execute, stray_sql)),
        ]
        pooled.close()  # back to the pool: nothing open yet, so nothing to roll back
        return driver, queued

    driver, queued = await greenlet_spawn(leave_a_stray_statement)
    writing = asyncio.ensure_future(inserts([row(1)]))
    async with asyncio.timeout(5):
        while driver._tx.qsize() < 2:  # noqa: ASYNC110 - a thread's queue: no event to await
            await asyncio.sleep(0.001)  # the stray statement, then our call, wait behind the gate
    gate.set()
    await asyncio.gather(*queued)
    [draft_id] = await writing

    async with sqlite_sessions() as session:
        tags = (await session.execute(text("SELECT owner_tag FROM question_drafts"))).scalars().all()
    assert "stray" not in tags
    assert (await stored(sqlite_sessions, draft_id))[0] == "tag-1"

"""db/engine.py's lean aiosqlite dialect: one thread hop per statement, none to end an idle transaction,
and still the same results, errors and rollbacks as the stock driver."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import CursorResult, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.util import greenlet_spawn

from db.engine import LEAN_DRIVER, create_engine, create_session_factory


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


def test_sqlite_urls_get_the_lean_driver(engine: AsyncEngine) -> None:
    assert engine.url.get_driver_name() == LEAN_DRIVER
    assert engine.dialect.name == "sqlite"


async def test_a_read_only_session_costs_one_hop(
    sessions: async_sessionmaker[AsyncSession], hops: list[int]
) -> None:
    async with sessions() as session:
        await session.execute(text("SELECT 1"))  # the pool's first connection is opened here
    hops[0] = 0

    async with sessions() as session:
        assert (await session.execute(text("SELECT v FROM t"))).all() == []

    assert hops[0] == 1


async def test_a_one_statement_write_costs_the_statement_and_the_commit(
    sessions: async_sessionmaker[AsyncSession], hops: list[int]
) -> None:
    async with sessions() as session:
        await session.execute(text("SELECT 1"))
    hops[0] = 0

    async with sessions.begin() as session:
        await session.execute(text("INSERT INTO t (v) VALUES ('a')"))

    assert hops[0] == 2


async def test_rows_rowcount_and_lastrowid_come_back(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        inserted = await session.execute(text("INSERT INTO t (v) VALUES ('a')"))
        await session.execute(text("INSERT INTO t (v) VALUES (:v)"), [{"v": "b"}, {"v": "c"}])
        updated = await session.execute(text("UPDATE t SET v = v || '!' WHERE v != 'a'"))
        rows = (await session.execute(text("SELECT id, v FROM t ORDER BY id"))).all()

    assert cast(CursorResult[Any], inserted).lastrowid == 1
    assert cast(CursorResult[Any], updated).rowcount == 2
    assert [tuple(r) for r in rows] == [(1, "a"), (2, "b!"), (3, "c!")]


async def test_a_rolled_back_write_is_gone(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        await session.execute(text("INSERT INTO t (v) VALUES ('a')"))
        await session.rollback()

    async with sessions() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0


async def test_driver_errors_still_surface_as_sqlalchemy_errors(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await session.execute(text("INSERT INTO t (v) VALUES ('a')"))

    with pytest.raises(IntegrityError):
        async with sessions.begin() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('a')"))


async def test_a_terminate_in_a_cancelled_task_leaves_no_close_that_never_ends(engine: AsyncEngine) -> None:
    """The pool terminates a connection it cannot trust, in the greenlet of the task that held it.
    Stock aiosqlite, that task cancelled (a shutdown) left a close waiting forever for a stopped thread."""
    async with engine.connect():
        pass  # one connection in the pool
    workers: list[threading.Thread] = []

    def terminate_one() -> None:
        pooled = engine.sync_engine.raw_connection()
        workers.append(pooled.driver_connection._thread)  # type: ignore[union-attr]
        pooled.invalidate()

    task = asyncio.ensure_future(greenlet_spawn(terminate_one))
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    left = [other for other in asyncio.all_tasks() if other is not asyncio.current_task()]
    for other in left:
        other.cancel()
    if left:
        _, still_running = await asyncio.wait(left, timeout=2)
        assert not still_running
    for worker in workers:  # the connection's thread closed it and ended
        await asyncio.to_thread(worker.join, 5)
        assert not worker.is_alive()

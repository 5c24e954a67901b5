"""A hot INSERT … RETURNING id and its commit in one trip to the database.

On SQLite (the lean aiosqlite driver, db/engine.py) the statements, their rows and the commit run in
one call on aiosqlite's worker thread. Through a Core connection the same write costs two hops (the
statement, then the commit) and SQLAlchemy's per-execution work: cache lookups, a result object,
transaction and pool events. That was about 0.2 ms of CPU in each DM (`python -m bench`), for a write
that needs none of it. The statement is still compiled by SQLAlchemy, once, and each value goes
through its column type's bind processor, so rows are stored exactly as every other path stores
them (tests/db/test_one_trip_insert.py compares them). Other databases (PostgreSQL) take one Core
transaction (`in_one_hop`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.util import await_only, greenlet_spawn

from db.engine import LeanAiosqliteDialect, in_one_hop

Row = Mapping[str, object]


class OneTripInsert:
    """`await insert(rows)` inserts `rows` (each with exactly `columns`) into `table` and commits them
    in one transaction; returns their ids in order. A failure rolls back every row of the call."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], table: Table, columns: Sequence[str]
    ) -> None:
        engine: AsyncEngine = sessions.kw["bind"]
        self._sessions = sessions
        self._core = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        lean = isinstance(engine.sync_engine.dialect, LeanAiosqliteDialect)
        self._sqlite = _SQLiteInsert(engine, table, columns) if lean else None

    async def __call__(self, rows: Sequence[Row]) -> list[int]:
        if self._sqlite is not None:
            return await self._sqlite(rows)
        return await in_one_hop(self._sessions, self._through_core(rows))

    def _through_core(self, rows: Sequence[Row]) -> Callable[[Connection], list[int]]:
        return lambda connection: [int(row.id) for row in connection.execute(self._core, list(rows))]


class _SQLiteInsert:
    def __init__(self, engine: AsyncEngine, table: Table, columns: Sequence[str]) -> None:
        dialect = engine.sync_engine.dialect
        compiled = insert(table).returning(table.c.id).compile(dialect=dialect, column_keys=list(columns))
        names = compiled.positiontup or ()  # qmark: the values' order in the statement
        self._engine = engine
        self._sql = compiled.string
        self._binds = [
            (name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names
        ]

    async def __call__(self, rows: Sequence[Row]) -> list[int]:
        params = [
            tuple(row[name] if bind is None else bind(row[name]) for name, bind in self._binds)
            for row in rows
        ]
        ids: list[int] = await greenlet_spawn(self._on_pooled_connection, params)
        return ids

    def _on_pooled_connection(self, params: list[tuple[Any, ...]]) -> list[int]:
        """In a greenlet, as the pool wants: checking a connection out may open one (an await)."""
        pooled = self._engine.sync_engine.raw_connection()
        try:
            driver: Any = pooled.driver_connection  # the aiosqlite.Connection
            ids: list[int] = await_only(driver._execute(_insert_and_commit, driver._conn, self._sql, params))
            return ids
        except sqlite3.Error as error:  # as a Core statement would raise it, and without the values
            raise DBAPIError.instance(
                self._sql, None, error, sqlite3.Error, hide_parameters=True, dialect=self._engine.dialect
            ) from error
        finally:
            pooled.close()


def _insert_and_commit(connection: sqlite3.Connection, sql: str, params: list[tuple[Any, ...]]) -> list[int]:
    """On aiosqlite's thread. A transaction already open here is not ours: the statement of a caller
    cancelled after its connection went back to the pool, run since. It was never committed by its
    owner, so it is rolled back rather than committed with these rows."""
    if connection.in_transaction:
        connection.rollback()
    try:
        ids = [int(connection.execute(sql, values).fetchone()[0]) for values in params]
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    return ids

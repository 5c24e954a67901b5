"""Engine and session factory for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, SQLiteDialect_aiosqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.util import await_only, greenlet_spawn

from db.cache import CACHE_KEY, ReadCache

LEAN_DRIVER = "aiosqlite_lean"
SQLITE_POOL_SIZE = 15
T = TypeVar("T")


class LeanAiosqliteDialect(SQLiteDialect_aiosqlite):
    """aiosqlite with one hop to its worker thread per statement, and none to end an idle transaction.

    Every call into aiosqlite is a hop to its worker thread and back (a queue put, a future, a loop
    wake-up). Stock, a SELECT costs four (cursor, execute, fetchall, close) and a read-only session
    two more rollbacks (the session's, then the pool's reset on return) although SQLite opened no
    transaction for a SELECT. Here a statement runs start to finish in one hop, and a commit or a
    rollback with no transaction open (sqlite3_get_autocommit, read in place) is skipped.
    """

    supports_statement_cache = True

    def connect(self, *args: Any, **kwargs: Any) -> Any:
        adapted: Any = super().connect(*args, **kwargs)
        adapted.__class__ = _OneHopConnection  # same slots: only cursor() differs
        return adapted

    def do_rollback(self, dbapi_connection: Any) -> None:
        if _in_transaction(dbapi_connection):
            super().do_rollback(dbapi_connection)

    def do_commit(self, dbapi_connection: Any) -> None:
        if _in_transaction(dbapi_connection):
            super().do_commit(dbapi_connection)

    def do_terminate(self, dbapi_connection: Any) -> None:
        """Stops the connection's thread, which closes the connection after the calls already queued.

        The pool terminates a connection it cannot trust, e.g. one whose task was cancelled while it
        was checked out. Stock, a terminate in a greenlet first awaits a "graceful" close in a shielded
        task. Cancelled meanwhile (a shutdown), it also stops the thread, and that task's close then
        waits for a thread that has stopped: it never ends, and neither does the shutdown that waits
        for it (seen as a hung test teardown; tests/db/test_engine_round_trips.py). For SQLite the
        stop is the graceful close already: the same thread closes the file once it is done."""
        dbapi_connection._terminate_force_close()


def _in_transaction(dbapi_connection: Any) -> bool:
    driver = getattr(dbapi_connection, "driver_connection", None)  # the aiosqlite.Connection
    return driver is None or getattr(driver, "_connection", None) is None or bool(driver.in_transaction)


class _OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> Any:
        return super().cursor(server_side) if server_side else _OneHopCursor(self)


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> tuple[Any, ...]:
    """On aiosqlite's thread: the whole statement, its rows and what SQLAlchemy asks of the cursor."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, () if parameters is None else parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class _OneHopCursor:
    """A buffered DBAPI cursor over `_run`: what SQLAlchemy's default execution path uses."""

    arraysize = 1

    def __init__(self, adapted: AsyncAdapt_aiosqlite_connection) -> None:
        self._adapted = adapted
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: deque[Any] = deque()

    def execute(self, operation: str, parameters: Any = None) -> None:
        self._hop(operation, parameters, many=False)

    def executemany(self, operation: str, seq_of_parameters: Any) -> None:
        self._hop(operation, seq_of_parameters, many=True)

    def _hop(self, operation: str, parameters: Any, *, many: bool) -> None:
        driver = self._adapted._connection
        try:
            found = await_only(driver._execute(_run, driver._conn, operation, parameters, many))
        except Exception as error:
            self._adapted._handle_exception(error)
        self.description, self.rowcount, self.lastrowid, rows = found
        self._rows = deque(rows)

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        rows = self._rows
        return [rows.popleft() for _ in range(min(size or self.arraysize, len(rows)))]

    def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def close(self) -> None:
        self._rows.clear()

    async def _async_soft_close(self) -> None:
        """SQLAlchemy's asyncio results call this to close the driver cursor early: already closed."""

    def setinputsizes(self, *sizes: Any) -> None:
        pass

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        pass


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        if parsed.get_driver_name() in ("aiosqlite", LEAN_DRIVER):
            registry.register(f"sqlite.{LEAN_DRIVER}", __name__, LeanAiosqliteDialect.__name__)
            parsed = parsed.set(drivername=f"sqlite+{LEAN_DRIVER}")
        engine = create_async_engine(
            parsed,
            connect_args={"timeout": 30},
            hide_parameters=True,
            # The default pool's capacity (5 + 10 overflow), but every connection is kept: an overflow
            # connection was opened (a thread, four PRAGMAs) and closed again for each burst of DMs.
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=0,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)  # errors never echo user text


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are zeroed on disk, not left in free pages
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_session_factory(
    engine: AsyncEngine, owns: Callable[[int], bool] | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions that share one read cache (db/cache.py) for the rows read on every event; `owns`
    (sharded): the guilds whose rows the cache may keep, this process's."""
    cache = ReadCache(owns)
    return async_sessionmaker(
        engine, expire_on_commit=False, sync_session_class=cache.session_class(), info={CACHE_KEY: cache}
    )


async def in_one_hop(sessions: async_sessionmaker[AsyncSession], work: Callable[[Connection], T]) -> T:
    """`work` in one transaction on a plain Core connection, run start to finish in one greenlet.

    For a hot write that needs no session (no ORM objects, no cached rows to invalidate): an
    AsyncSession crosses SQLAlchemy's asyncio bridge for its begin, each statement, the commit and the
    close, and builds a unit of work it does not use; here the bridge is crossed once. Measured on
    SQLite: a one-row INSERT and its commit cost about 0.3 ms of CPU this way against 0.8 ms in a
    session (`python -m bench` shows it per DM). The driver's round trips stay the same.
    """
    engine: AsyncEngine = sessions.kw["bind"]

    def run() -> T:
        with engine.sync_engine.begin() as connection:
            return work(connection)

    result: T = await greenlet_spawn(run)
    return result

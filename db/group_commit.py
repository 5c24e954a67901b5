"""Group commit: rows that arrive while one write is in flight are written together.

A burst of askers (a hard week, the minutes before Thursday noon) sends many DMs within a few
milliseconds, and each needs its draft committed before the asker is told it was received. Written
one by one, every DM pays for its own transaction and its own trip to the database. Here the first
writer goes at once, alone; whoever arrives meanwhile waits for that write to end, and then all of
them go in one transaction and one trip (db/one_trip_insert.py). Nobody waits on a timer, so a lone DM is as quick as
before, and each caller still returns only once its own row is committed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

V = TypeVar("V")
R = TypeVar("R")


class GroupCommit(Generic[V, R]):
    """`await commit(value)` writes `value` with `await write(values)`, which must commit them in one
    transaction and return one result per value, in order (e.g. db/one_trip_insert.py). A failed write
    fails every caller in its group."""

    def __init__(self, write: Callable[[Sequence[V]], Awaitable[Sequence[R]]]) -> None:
        self._write = write
        self._waiting: list[tuple[V, asyncio.Future[R]]] = []
        self._busy = False
        self._drainer: asyncio.Task[Sequence[R]] | None = None  # held: the loop keeps only a weak reference

    async def __call__(self, value: V) -> R:
        if self._busy:
            future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
            self._waiting.append((value, future))
            return await future
        self._busy = True  # the lone writer writes its own row, with no task and no future
        try:
            return (await self._commit([value]))[0]
        finally:
            self._hand_over()

    def _hand_over(self) -> None:
        if not self._waiting:
            self._busy = False
            self._drainer = None
            return
        group, self._waiting = self._waiting, []  # only in a burst: one task per group
        self._drainer = asyncio.get_running_loop().create_task(self._commit([value for value, _ in group]))
        self._drainer.add_done_callback(lambda written: self._settle(group, written))

    def _settle(self, group: list[tuple[V, asyncio.Future[R]]], written: asyncio.Task[Sequence[R]]) -> None:
        """Every caller of the group hears how its write ended, even a write cancelled before it began
        (shutting down); then the next group goes on."""
        cancelled = written.cancelled()
        error = None if cancelled else written.exception()  # read even if no caller waits: no warning
        results = None if cancelled or error is not None else written.result()
        for index, (_, future) in enumerate(group):
            if future.done():  # its caller was cancelled meanwhile: the row is committed all the same
                continue
            if results is not None:
                future.set_result(results[index])
            elif error is not None:
                future.set_exception(error)
            else:
                future.cancel()
        self._hand_over()

    async def _commit(self, values: Sequence[V]) -> Sequence[R]:
        return await self._write(values)

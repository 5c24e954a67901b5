"""db/group_commit.py: writers arriving during a write are committed together, each gets its own result."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import in_one_hop
from db.group_commit import GroupCommit


class Recorder:
    """A write that touches the database and answers ten times each value; fails on `poison`."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], poison: int | None = None) -> None:
        self.groups: list[list[int]] = []
        self.poison = poison
        self._sessions = sessions

    async def __call__(self, values: Sequence[int]) -> list[int]:
        self.groups.append(list(values))
        return await in_one_hop(self._sessions, lambda connection: self._write(connection, values))

    def _write(self, connection: Connection, values: Sequence[int]) -> list[int]:
        connection.execute(text("SELECT 1"))
        if self.poison in values:
            raise RuntimeError("refused")
        return [value * 10 for value in values]


async def test_a_lone_write_is_committed_alone(migrated_sessions: async_sessionmaker[AsyncSession]) -> None:
    write = Recorder(migrated_sessions)
    commit = GroupCommit(write)

    assert await commit(4) == 40
    assert await commit(5) == 50
    assert write.groups == [[4], [5]]


async def test_writers_arriving_during_a_write_go_together_in_order(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    write = Recorder(migrated_sessions)
    commit = GroupCommit(write)

    results = await asyncio.gather(*(commit(value) for value in range(20)))

    assert results == [value * 10 for value in range(20)]
    assert write.groups == [[0], list(range(1, 20))]


async def test_a_failed_group_fails_its_callers_only(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    write = Recorder(migrated_sessions, poison=7)
    commit = GroupCommit(write)

    results = await asyncio.gather(*(commit(value) for value in range(10)), return_exceptions=True)

    assert results[0] == 0
    assert all(isinstance(result, RuntimeError) for result in results[1:])
    assert await commit(11) == 110  # the next writer is not stuck behind the failure


async def test_a_failed_lone_write_leaves_the_next_one_free(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    commit = GroupCommit(Recorder(migrated_sessions, poison=1))

    with pytest.raises(RuntimeError):
        await commit(1)
    assert await commit(2) == 20


async def test_a_cancelled_waiter_does_not_hold_up_the_others(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    write = Recorder(migrated_sessions)
    commit = GroupCommit(write)
    first = asyncio.create_task(commit(1))
    await asyncio.sleep(0)  # the first write is under way
    waiting = [asyncio.create_task(commit(value)) for value in (2, 3, 4)]
    await asyncio.sleep(0)
    waiting[1].cancel()

    assert await first == 10
    assert [await waiting[0], await waiting[2]] == [20, 40]
    assert write.groups == [[1], [2, 3, 4]]  # the cancelled caller's row was written all the same
    assert await commit(5) == 50


async def test_waiters_are_cancelled_with_the_group_being_written(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    commit = GroupCommit(Recorder(migrated_sessions))
    first = asyncio.create_task(commit(1))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(commit(value)) for value in (2, 3)]
    await first  # the second group is now being written by the drain task
    drainer = commit._drainer
    assert drainer is not None
    drainer.cancel()

    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(isinstance(result, asyncio.CancelledError) for result in results)
    assert await commit(4) == 40  # the next writer is not stuck behind the cancelled group

"""A read cache shared by the sessions of one session factory, for rows read on every event.

Guild settings and drop-in schedules are read by nearly every DM and command and change a few
times a year, so repositories serve them from memory. Correctness rules:
- a repository that writes a cached row calls `invalidate(session, key)`: the entry is dropped at
  once, reads in the same session bypass the cache until it ends, and the entry is dropped again
  after the commit or rollback (a read that started before the commit cannot leave a stale value);
- a value read from the database is kept only if no invalidation happened while it was read;
- values must be immutable (frozen dataclasses, tuples, or copies handed out).
One process per guild (one shard's process, see docs/scaling.md) writes that guild's rows, so a
process-local cache stays true; anything else that edits those rows must restart the bot.

Sharded (several processes on one database): keys are `(family, guild_id, ...)`, and the cache serves
only the guilds of this process's shards (`serves`). Another process's guild is read through to the
database every time: a DM (always on shard 0) or a web request may read a guild whose settings
another process just changed, and this process would never hear of that write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar, cast

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

T = TypeVar("T")
CACHE_KEY = "nsscop_read_cache"
_DIRTY_KEY = "nsscop_read_cache_dirty"
MISSING: Any = object()


class ReadCache:
    def __init__(self, owns: Callable[[int], bool] | None = None) -> None:
        self._values: dict[Hashable, Any] = {}
        self.generation = 0
        self._owns = owns  # None: every guild is this process's

    def serves(self, key: Hashable) -> bool:
        """Whether `key` may come from memory: always unsharded; sharded, only this process's guilds."""
        if self._owns is None:
            return True
        guild_id = key[1] if isinstance(key, tuple) and len(key) > 1 else None
        return isinstance(guild_id, int) and self._owns(guild_id)

    def lookup(self, key: Hashable) -> Any:
        """MISSING unless `key` is held and may be served from memory (another process's guild never)."""
        return self._values.get(key, MISSING) if self.serves(key) else MISSING

    def store(self, key: Hashable, value: Any, generation: int) -> None:
        if generation == self.generation:
            self._values[key] = value

    def invalidate(self, key: Hashable) -> None:
        """Drops `key`; a 1-tuple `(family,)` drops every tuple key that starts with `family`."""
        if isinstance(key, tuple) and len(key) == 1:
            for stale in [k for k in self._values if isinstance(k, tuple) and k[:1] == key]:
                del self._values[stale]
        else:
            self._values.pop(key, None)
        self.generation += 1

    def clear(self) -> None:
        self._values.clear()
        self.generation += 1

    def session_class(self) -> type[Session]:
        """A Session subclass whose commits and rollbacks settle this cache's pending invalidations."""
        cls = type("CachedSession", (Session,), {})
        event.listen(cls, "after_commit", self._settle)
        event.listen(cls, "after_rollback", self._settle)
        return cls

    def _settle(self, session: Session) -> None:
        for key in session.info.pop(_DIRTY_KEY, ()):
            self.invalidate(key)


async def cached(session: AsyncSession, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
    """The value under `key`, from memory when possible, else from `load()` (then remembered)."""
    cache: ReadCache | None = session.info.get(CACHE_KEY)
    dirty = session.info.get(_DIRTY_KEY, ())
    if (
        cache is None
        or key in dirty
        or (isinstance(key, tuple) and key[:1] in dirty)
        or not cache.serves(key)
    ):
        return await load()
    found = cache.lookup(key)
    if found is not MISSING:
        return found
    generation = cache.generation
    value = await load()
    cache.store(key, value, generation)
    return value


def remembered(sessions: async_sessionmaker[AsyncSession], key: Hashable) -> Any:
    """The value under `key` in the read cache of `sessions`' factory, without opening a session (what
    a new session's first read would return from memory), or MISSING when it must be read."""
    cache: ReadCache | None = sessions.kw.get("info", {}).get(CACHE_KEY)
    return MISSING if cache is None else cache.lookup(key)


async def read_through(
    sessions: async_sessionmaker[AsyncSession], key: Hashable, read: Callable[[AsyncSession], Awaitable[T]]
) -> T:
    """A cached read that opens no session when memory holds `key`, as it does on nearly every event.

    `read` is the repository method that reads `key` through `cached`; it runs, in a new session, only
    on a miss. Opening and closing a session for a value already in memory cost more CPU than the rest
    of a `/dropin next` (`python -m bench`).
    """
    found = remembered(sessions, key)
    if found is not MISSING:
        return cast(T, found)
    async with sessions() as session:
        return await read(session)


def invalidate(session: AsyncSession, key: Hashable) -> None:
    """Call before (or right after) writing what `key` caches, inside the writing session."""
    cache: ReadCache | None = session.info.get(CACHE_KEY)
    if cache is None:
        return
    session.info.setdefault(_DIRTY_KEY, set()).add(key)
    cache.invalidate(key)

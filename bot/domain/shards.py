"""Which guilds this process serves when the bot runs as several processes on Discord's shards.

Discord routes a guild to shard `(guild_id >> 22) % shard_count` and everything without a guild,
direct messages included, to shard 0 (discord-api-docs developers/events/gateway.mdx:627, "shard_id =
(guild_id >> 22) % num_shards", and :635, "Gateway events that do not contain a `guild_id` will only be
sent to the first shard (`shard_id: 0`). This includes Direct Message (DM) ... events").
A process that connects `shard_ids` therefore receives every event of the guilds on those
shards and of no other guild, and it alone must run their timers.
"""

from __future__ import annotations

from dataclasses import dataclass


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class Shards:
    """`count` None: not sharded, one process serves every guild (the default)."""

    count: int | None = None
    ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.count is None:
            if self.ids:
                raise ValueError("shard ids need a shard count")
            return
        if self.count < 1:
            raise ValueError("the shard count must be at least 1")
        if len(set(self.ids)) != len(self.ids):
            raise ValueError("shard ids must be unique")
        if any(not 0 <= i < self.count for i in self.ids):
            raise ValueError(f"every shard id must be from 0 to {self.count - 1}")

    @property
    def sharded(self) -> bool:
        return self.count is not None

    @property
    def served(self) -> tuple[int, ...]:
        """The shards this process connects (all of them when `ids` is empty)."""
        if self.count is None:
            return (0,)
        return self.ids or tuple(range(self.count))

    def owns(self, guild_id: int) -> bool:
        """True when this process receives the guild's events, so runs its timers and caches its rows."""
        if self.count is None:
            return True
        return shard_of(guild_id, self.count) in self.served

    @property
    def holds_direct_messages(self) -> bool:
        """DMs arrive on shard 0 only."""
        return 0 in self.served

    def describe(self) -> str:
        if self.count is None:
            return "not sharded (one process)"
        return f"shards {', '.join(map(str, self.served))} of {self.count}"


SINGLE_PROCESS = Shards()


def every_guild(_guild_id: int) -> bool:
    """The ownership test of a process that serves every guild (not sharded)."""
    return True

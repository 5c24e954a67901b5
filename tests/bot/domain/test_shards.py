"""bot/domain/shards.py: which guilds a process serves, by Discord's sharding formula."""

from __future__ import annotations

import pytest

from bot.domain.shards import SINGLE_PROCESS, Shards, shard_of

# (guild_id >> 22) % 2: 0 for the first, 1 for the second.
ON_SHARD_0 = 2 << 22 | 12345
ON_SHARD_1 = 3 << 22 | 12345


def test_the_formula_is_discords() -> None:
    assert shard_of(81384788765712384, 17) == 7  # the example serenity's docs give for Discord's formula


@pytest.mark.parametrize(("guild_id", "expected"), [(ON_SHARD_0, 0), (ON_SHARD_1, 1)])
def test_a_guild_falls_on_one_shard(guild_id: int, expected: int) -> None:
    assert shard_of(guild_id, 2) == expected


def test_a_process_owns_only_the_guilds_of_its_shards() -> None:
    shards = Shards(2, (1,))
    assert (shards.owns(ON_SHARD_0), shards.owns(ON_SHARD_1)) == (False, True)


def test_a_process_without_shards_owns_every_guild() -> None:
    assert SINGLE_PROCESS.owns(ON_SHARD_0) and SINGLE_PROCESS.owns(ON_SHARD_1)


def test_a_count_without_ids_serves_every_shard() -> None:
    assert Shards(3).served == (0, 1, 2)


@pytest.mark.parametrize(("ids", "holds"), [((0,), True), ((1,), False), ((1, 0), True)])
def test_direct_messages_belong_to_the_process_holding_shard_0(ids: tuple[int, ...], holds: bool) -> None:
    assert Shards(2, ids).holds_direct_messages is holds


@pytest.mark.parametrize(("count", "ids"), [(2, (0, 0)), (2, (2,)), (2, (-1,)), (0, ()), (None, (0,))])
def test_impossible_shards_are_refused(count: int | None, ids: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        Shards(count, ids)

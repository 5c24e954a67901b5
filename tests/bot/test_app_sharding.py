"""bot/app.py: sharded processes share Discord's per-token REST pace (50/s with interactions aside)."""

from __future__ import annotations

import pytest

from bot.app import REST_BURST, REST_PER_SECOND, rest_limiter
from bot.domain.shards import SINGLE_PROCESS, Shards


def per_second(shards: Shards) -> float:
    limiter = rest_limiter(shards)
    return limiter.max_rate + limiter.max_rate / limiter.time_period  # at worst: a full bucket, then refill


def test_one_process_keeps_the_whole_pace() -> None:
    assert per_second(SINGLE_PROCESS) == pytest.approx(REST_BURST + REST_PER_SECOND)


@pytest.mark.parametrize("count", [2, 3, 4])
def test_processes_on_one_shard_each_stay_under_discords_global_limit_together(count: int) -> None:
    total = sum(per_second(Shards(count, (n,))) for n in range(count))
    assert total == pytest.approx(REST_BURST + REST_PER_SECOND)


def test_a_process_on_every_shard_keeps_the_whole_pace() -> None:
    assert per_second(Shards(2)) == pytest.approx(REST_BURST + REST_PER_SECOND)

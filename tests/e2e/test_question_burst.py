"""200 askers submitting at once through the sandbox are all acknowledged and stored, none lost."""

from __future__ import annotations

from pathlib import Path

from bench.question_burst import run_burst
from bot.clock import SystemClock
from tests.e2e.conftest import running_bot

ASKERS = 200


async def test_200_askers_at_once_are_all_acknowledged_and_stored(tmp_path: Path) -> None:
    async with running_bot(tmp_path, SystemClock()) as live:
        result = await run_burst(live, ASKERS)
    assert result.drafts_acknowledged == ASKERS
    assert result.submissions_acknowledged == ASKERS
    assert result.stored == ASKERS
    assert (
        result.review_cards >= 1
    )  # the rest drain at Discord's per-channel pace; see bench/question_burst.py
    assert result.violations == 0

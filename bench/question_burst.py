"""200 askers at once: every DM acknowledged with a draft, every submission stored and acknowledged.

Run:  python -m bench.question_burst [--askers 200] [--drain 240]
Starts the sandbox and the real bot in one process on a temporary SQLite, adds the askers as
members, sends all DMs concurrently, then clicks every Submit concurrently, and reports timings.
Review cards then drain at Discord's pace for one channel (about 5 messages per 5 s), so with
--drain it also waits for all of them and reports how long that took.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import SystemClock
from db.models import QuestionRow
from sandbox import SandboxClient


@dataclass(frozen=True)
class BurstResult:
    askers: int
    drafts_acknowledged: int
    submissions_acknowledged: int
    stored: int
    review_cards: int
    dm_phase_s: float
    submit_phase_s: float
    drain_s: float | None
    violations: int


def _submit_id(message: dict[str, Any]) -> str | None:
    """The custom id of a draft preview's Submit button, or None for any other DM."""
    return next(
        (
            str(c["custom_id"])
            for row in message.get("components") or []
            for c in row.get("components") or []
            if "draft-submit" in str(c.get("custom_id", ""))
        ),
        None,
    )


async def run_burst(live: Any, askers: int, drain: float = 0.0) -> BurstResult:
    client: SandboxClient = live.client
    names = [f"asker{i:03d}" for i in range(askers)]
    await asyncio.gather(*(client.add_member(name, roles=["Member"]) for name in names))

    started = time.monotonic()
    await asyncio.gather(
        *(client.send_message(name, "dm", f"Question from asker number {i}") for i, name in enumerate(names))
    )

    async def drafts() -> dict[str, dict[str, Any]]:
        # The draft is the bot's DM carrying a Submit button; a new member also gets a welcome DM.
        found = {}
        for name in names:
            replies = [m for m in await client.dms(name) if m["author"].get("bot") and _submit_id(m)]
            if replies:
                found[name] = replies[-1]
        return found if len(found) == askers else {}

    replies = await client.wait_for(drafts, timeout=120, interval=0.5)
    dm_phase = time.monotonic() - started

    started = time.monotonic()

    async def submit(name: str) -> bool:
        draft = replies[name]
        custom_id = _submit_id(draft)
        assert custom_id is not None
        result = await client.component(name, draft["id"], custom_id)
        return any("#" in (e.get("content") or "") for e in result.get("edits") or [])

    acknowledged = sum(await asyncio.gather(*(submit(name) for name in names)))
    submit_phase = time.monotonic() - started

    async with AsyncSession(live.app.engine) as session:
        stored = int((await session.execute(select(func.count()).select_from(QuestionRow))).scalar_one())

    started = time.monotonic()

    async def cards() -> int:
        count = len(await client.channel_messages("question-review"))
        return count if count >= askers else 0

    drained: float | None = None
    if drain:
        await client.wait_for(cards, timeout=drain, interval=1.0)
        drained = round(time.monotonic() - started, 1)
    review_cards = len(await client.channel_messages("question-review"))
    return BurstResult(
        askers=askers,
        drafts_acknowledged=len(replies),
        submissions_acknowledged=acknowledged,
        stored=stored,
        review_cards=review_cards,
        dm_phase_s=round(dm_phase, 2),
        submit_phase_s=round(submit_phase, 2),
        drain_s=drained,
        violations=len(await client.violations()),
    )


async def _main(askers: int, drain: float) -> None:
    from tests.e2e.conftest import running_bot

    with tempfile.TemporaryDirectory() as directory:
        async with running_bot(Path(directory), SystemClock()) as live:
            result = await run_burst(live, askers, drain)
    print(result)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--askers", type=int, default=200)
    parser.add_argument("--drain", type=float, default=0.0, help="seconds to wait for every review card")
    arguments = parser.parse_args()
    asyncio.run(_main(arguments.askers, arguments.drain))

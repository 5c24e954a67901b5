"""Gateway trouble in the middle of a burst of DMs: a reconnect with RESUME, and an invalidated session.
Every asker gets exactly one preview and one draft is stored per asker: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.clock import SystemClock
from db.models import QuestionDraftRow
from tests.e2e.conftest import Live, running_bot
from tests.e2e.question_steps import bot_dms, is_draft_preview

ASKERS = 30
FAULT_AFTER = 10  # the gateway trouble starts once this many DMs are out


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    async with running_bot(tmp_path, SystemClock()) as started:
        for n in range(ASKERS):
            await started.client.add_member(f"asker{n:02d}")
        yield started


async def drafts_stored(live: Live) -> int:
    async with live.app.engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(QuestionDraftRow)) or 0)


async def burst_with(live: Live, trouble: Callable[[], Awaitable[object]], *, gated: bool) -> None:
    """All askers DM at once; after FAULT_AFTER DMs the gateway trouble happens, the rest keep coming.
    `gated`: a DM waits for the bot to hold a gateway session again (Discord drops events for an
    invalidated session, so only a session's own events can be owed to the bot)."""
    gateway = live.sandbox.hub.gateway
    sent = 0
    trouble_done = asyncio.Event()

    async def session_held() -> bool:
        return gateway.connected

    async def ask(n: int) -> None:
        nonlocal sent
        if gated and n >= FAULT_AFTER:
            await trouble_done.wait()
            await live.client.wait_for(session_held, timeout=20)
        await live.client.send_message(f"asker{n:02d}", "dm", f"Question number {n} about supply")
        sent += 1
        if sent == FAULT_AFTER:
            await trouble()
            trouble_done.set()

    await asyncio.gather(*(ask(n) for n in range(ASKERS)))


async def previews(live: Live) -> dict[str, int]:
    """Draft previews (the DM with the submit button) per asker; welcome DMs are not counted."""
    found = {}
    for n in range(ASKERS):
        name = f"asker{n:02d}"
        found[name] = sum(is_draft_preview(m) for m in await bot_dms(live.client, name))
    return found


async def every_asker_answered(live: Live) -> dict[str, int]:
    """Waits until every asker has a preview and every stored draft has been shown (bounded)."""

    async def settled() -> dict[str, int] | None:
        found = await previews(live)
        return found if all(found.values()) and sum(found.values()) == await drafts_stored(live) else None

    return await live.client.wait_for(settled, timeout=30, interval=0.2)


async def test_a_reconnect_with_resume_during_a_dm_burst_loses_and_doubles_nothing(live: Live) -> None:
    identified = live.sandbox.hub.gateway.identify_count
    await burst_with(live, live.client.gateway_reconnect, gated=False)

    counts = await every_asker_answered(live)

    assert counts == {name: 1 for name in counts}
    assert await drafts_stored(live) == ASKERS
    assert live.sandbox.hub.gateway.identify_count == identified, "the session was resumed, not replaced"
    assert await live.client.violations() == []


async def test_an_invalidated_session_during_a_dm_burst_loses_and_doubles_nothing(live: Live) -> None:
    identified = live.sandbox.hub.gateway.identify_count
    await burst_with(live, live.client.gateway_invalidate, gated=True)

    counts = await every_asker_answered(live)

    assert counts == {name: 1 for name in counts}
    assert await drafts_stored(live) == ASKERS
    assert live.sandbox.hub.gateway.identify_count == identified + 1, "a fresh session was identified"
    assert await live.client.violations() == []

"""Sharded: any process's web server records a Zoom webhook; only the guild's own process acts on it."""

from __future__ import annotations

from tests.bot.services.dropin_fakes import GUILD
from tests.bot.web.harness import AT_START, WebHarness, event_body


async def test_a_process_leaves_another_processs_guild_webhooks_to_it(web: WebHarness) -> None:
    web.ready = False  # the receiving process only records
    await web.post_event(event_body("meeting.started", AT_START))

    stranger = web.zoom_process(owns=lambda guild_id: guild_id != GUILD)
    assert await stranger.process_pending() == 0
    assert web.live_posts() == []

    owner = web.zoom_process(owns=lambda guild_id: guild_id == GUILD)
    assert await owner.process_pending() == 1
    assert len(web.live_posts()) == 1

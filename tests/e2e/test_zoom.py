"""End to end: the sandbox plays Zoom against the bot's web server, with the real discord.py client.

Thursday 3 December 2026, two minutes before the noon (Toronto) drop-in: the meeting starts, people
join and leave, facilitators read the counts and the calendar link, the meeting ends."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from icalendar import Calendar

from bot.clock import ShiftedClock
from tests.e2e.conftest import running_bot

BEFORE_NOON = datetime(2026, 12, 3, 16, 58, tzinfo=UTC)


def _reply_text(result: dict[str, Any]) -> str:
    data = (result.get("response") or {}).get("data") or {}
    texts = [data.get("content") or ""]
    for followup in result.get("followups") or []:
        texts.append(followup.get("content") or "")
    return "\n".join(texts)


async def test_zoom_drives_the_live_post_the_counts_and_the_minutes_prompt(tmp_path: Path) -> None:
    async with running_bot(tmp_path, ShiftedClock(BEFORE_NOON), web=True) as live:
        client, zoom = live.client, live.sandbox.zoom

        started = await client.call("POST", "/_sandbox/zoom", {"action": "start"})
        live_posts = await client.wait_for(
            lambda: _titled(client, "drop-in", "The drop-in is open now"), timeout=10
        )
        await client.call("POST", "/_sandbox/zoom", {"action": "join", "count": 4, "duplicate": True})
        await client.call("POST", "/_sandbox/zoom", {"action": "leave", "count": 2})
        await client.call("POST", "/_sandbox/zoom", {"action": "join", "count": 3})  # two rejoin, one new
        counts = await client.wait_for(
            lambda: _attendance(client, "5 people in all, at most 5 at once"), timeout=10
        )
        await client.call("POST", "/_sandbox/zoom", {"action": "end"})
        prompt = await client.wait_for(
            lambda: _titled(client, "minutes-review", "The drop-in has ended"), timeout=10
        )
        link = _reply_text(await client.command("fiona", "dropin calendar-link"))

        assert started[0] == 200 and started[1]["sent"][0]["status"] == 200
        assert len(live_posts) == 1
        assert "https://zoom.us/j/85012345678" in live_posts[0]["embeds"][0]["description"]
        assert "5 people in all" in counts
        assert "5 people in all, at most 5 at once" in prompt[0]["embeds"][0]["description"]
        feed_url = re.search(r"http://\S+\.ics", link)
        assert feed_url is not None, link
        async with aiohttp.ClientSession() as session, session.get(feed_url[0]) as response:
            calendar = Calendar.from_ical(await response.read())
        assert len(list(calendar.walk("VEVENT"))) == 12
        assert zoom.view()["running"] is False
        assert live.app.web is not None
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{live.app.web.base_url}/metrics") as response,
        ):
            metrics = await response.text()
        assert 'nsscop_command_latency_seconds_count{command="dropin attendance"}' in metrics
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{live.app.web.base_url}/healthz") as response,
        ):
            health = await response.json()
        assert response.status == 200
        assert health["discord"] == {"connected": True} and health["database"] == {"ok": True}
        assert await client.violations() == []


async def _titled(client: Any, channel: str, title: str) -> list[dict[str, Any]]:
    messages = await client.channel_messages(channel)
    return [m for m in messages if any(e.get("title") == title for e in m.get("embeds") or [])]


async def _attendance(client: Any, expected: str) -> str:
    text = _reply_text(await client.command("fiona", "dropin attendance"))
    return text if expected in text else ""

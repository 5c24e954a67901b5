"""Scheduled-event rules and the global rate limit, exercised over raw HTTP with the bot's token."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import aiohttp
import pytest

from sandbox import Sandbox
from tests.sandbox.bodies import event as event_body
from tests.sandbox.conftest import post_event


def _event(**overrides: Any) -> dict[str, Any]:
    return event_body(dt.datetime.now(dt.UTC) + dt.timedelta(days=2), **overrides)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"scheduled_end_time": None}, "scheduled_end_time"),
        ({"entity_metadata": {}}, "entity_metadata"),
        ({"privacy_level": 1}, "privacy_level"),
        ({"scheduled_start_time": "2020-01-01T12:00:00+00:00", "scheduled_end_time": "2020-01-01T13:00:00+00:00"},
         "scheduled_start_time"),
        ({"recurrence_rule": {"start": "2030-01-03T17:00:00+00:00", "frequency": 2, "interval": 1,
                              "by_weekday": [2, 3]}}, "recurrence_rule"),
        ({"recurrence_rule": {"start": "2030-01-03T17:00:00+00:00", "frequency": 2, "interval": 1,
                              "by_weekday": [3], "count": 5}}, "recurrence_rule"),
    ],
)  # fmt: skip
async def test_invalid_external_events_are_refused(
    sandbox: Sandbox, http: aiohttp.ClientSession, overrides: dict[str, Any], field: str
) -> None:
    status, body = await post_event(http, sandbox, _event(**overrides))
    assert status == 400 and body["code"] == 50035 and field in body["errors"]


async def test_weekly_recurring_external_event_is_accepted(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    rule = {"start": "2030-01-03T17:00:00+00:00", "frequency": 2, "interval": 1, "by_weekday": [3]}
    status, body = await post_event(http, sandbox, _event(recurrence_rule=rule))
    assert status == 200 and body["status"] == 1 and body["recurrence_rule"] == rule


async def test_event_status_goes_scheduled_active_completed_and_then_is_final(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    _, event = await post_event(http, sandbox, _event())
    url = f"/api/v10/guilds/{sandbox.seed.guild_id}/scheduled-events/{event['id']}"
    statuses = []
    for status in (2, 3, 1):
        async with http.patch(url, json={"status": status}) as response:
            statuses.append(response.status)
    assert statuses == [200, 200, 400]


async def test_global_rate_limit_answers_429_with_via(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    async def hit() -> tuple[int, str | None, Any]:
        async with http.get("/api/v10/users/@me") as response:
            return response.status, response.headers.get("Via"), await response.json()

    results = await asyncio.gather(*(hit() for _ in range(60)))
    limited = [(via, body) for status, via, body in results if status == 429]
    assert len(limited) == 10
    assert all(
        via == "1.1 google" and body["global"] is True and body["retry_after"] > 0 for via, body in limited
    )

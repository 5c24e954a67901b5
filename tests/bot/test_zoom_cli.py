"""`python -m bot zoom check` against a local fake Zoom (OAuth token endpoint and the meeting API)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.config import Config, load_config
from bot.domain.dropin import DropinSchedule
from bot.domain.zoom_check import check_meeting, zoom_weekday
from bot.zoom_cli import EXIT_CANNOT_CHECK, EXIT_MISMATCH, zoom_check

JOIN = "https://zoom.us/j/85012345678"
MEETING = {
    "id": 85012345678,
    "type": 8,
    "start_time": "2026-12-03T17:00:00Z",
    "timezone": "America/Toronto",
    "join_url": JOIN + "?pwd=abc",
    "recurrence": {"type": 2, "repeat_interval": 1, "weekly_days": "5"},
}


class FakeZoom:
    def __init__(self, meeting: dict[str, Any]) -> None:
        self.meeting = meeting
        self.token_requests: list[dict[str, str]] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/oauth/token", self.token)
        app.router.add_get("/v2/meetings/{id}", self.get_meeting)
        return app

    async def token(self, request: web.Request) -> web.Response:
        expected = "Basic " + base64.b64encode(b"client-id:client-secret").decode()
        form = dict(await request.post())
        self.token_requests.append({k: str(v) for k, v in form.items()})
        if (
            request.headers.get("Authorization") != expected
            or form.get("grant_type") != "account_credentials"
        ):
            return web.json_response({"reason": "Invalid client"}, status=401)
        return web.json_response({"access_token": "tok-1", "token_type": "bearer", "expires_in": 3599})

    async def get_meeting(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != "Bearer tok-1":
            return web.json_response({"code": 124}, status=401)
        if request.match_info["id"] != "85012345678":
            return web.json_response({"code": 3001}, status=404)
        return web.json_response(self.meeting)


@pytest.fixture
async def zoom() -> AsyncIterator[tuple[FakeZoom, str]]:
    fake = FakeZoom(dict(MEETING))
    server = TestServer(fake.app())
    await server.start_server()
    try:
        yield fake, str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


def config_for(tmp_path: Path, base: str, join_url: str = JOIN, secret: str = "client-secret") -> Config:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[bot]\ndata_dir = "{tmp_path}"\n[dropin]\njoin_url = "{join_url}"\n'
        f'[zoom]\noauth_url = "{base}/oauth/token"\napi_base = "{base}/v2"\n'
    )
    env = {
        "NSSCOP_ZOOM_ACCOUNT_ID": "acct-1",
        "NSSCOP_ZOOM_CLIENT_ID": "client-id",
        "NSSCOP_ZOOM_CLIENT_SECRET": secret,
    }
    return load_config(path, env)


async def test_a_matching_meeting_passes(zoom, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    fake, base = zoom

    code = await zoom_check(config_for(tmp_path, base), None)

    out = capsys.readouterr().out
    assert code == 0, out
    assert "NO " not in out
    assert fake.token_requests == [{"grant_type": "account_credentials", "account_id": "acct-1"}]


async def test_another_weekday_and_link_are_reported(
    zoom, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    fake, base = zoom
    fake.meeting = {
        **MEETING,
        "recurrence": {"type": 2, "weekly_days": "4"},
        "join_url": "https://zoom.us/j/1",
    }

    code = await zoom_check(config_for(tmp_path, base), None)

    out = capsys.readouterr().out
    assert code == EXIT_MISMATCH
    assert "NO  on thursday" in out
    assert "NO  the join link differs" in out


async def test_bad_credentials_cannot_check(zoom, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    _, base = zoom

    code = await zoom_check(config_for(tmp_path, base, secret="wrong"), None)

    out = capsys.readouterr().out
    assert code == EXIT_CANNOT_CHECK
    assert "HTTP 401" in out and "wrong" not in out


def test_zoom_counts_weekdays_from_sunday() -> None:
    assert [zoom_weekday(d) for d in range(7)] == [2, 3, 4, 5, 6, 7, 1]


def test_a_meeting_at_another_time_is_reported() -> None:
    schedule = DropinSchedule(guild_id=1, join_url=JOIN)

    findings = check_meeting(schedule, {**MEETING, "start_time": "2026-12-03T18:00:00Z"})

    assert [f.ok for f in findings] == [True, True, False, True]

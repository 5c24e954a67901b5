"""sandbox.schema over HTTP: every REST body is checked against the limits at once, the spec later.

Whether the spec layer is ready, still loading or absent, a too-long message is refused on the spot
and recorded exactly once; the spec layer's late findings are recorded once, without repeating what
the limit layer already reported.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import sandbox.schema as schema
from sandbox import Sandbox
from sandbox.validation import DEFAULT_SPEC_PATH, SpecLayer, load_spec

TOO_LONG = {"content": "x" * 5000}  # over Discord's 2000 and over the spec's 4000: both layers object
CONTENT_2000 = {
    "content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}
}
needs_spec = pytest.mark.skipif(DEFAULT_SPEC_PATH is None, reason="spec absent")


@asynccontextmanager
async def running(
    state: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Sandbox, Callable[[], None]]]:
    """A sandbox whose spec layer is "ready", "loading" (until release() is called) or "absent"."""
    release = threading.Event()

    def held(path: Path | None) -> SpecLayer | None:
        release.wait(10)
        return load_spec(path if path is not None and path.is_file() else None)

    if state == "loading":
        monkeypatch.setattr(schema, "load_spec", held)
    spec_path = None if state == "absent" else DEFAULT_SPEC_PATH or Path("no-such-spec.json")
    sb = Sandbox(spec_path=spec_path)
    await sb.start()
    try:
        if state == "ready":
            assert await sb.wait_validation_loaded() == "ready"
        assert sb.validation_status == state
        yield sb, release.set
    finally:
        release.set()  # never leave the loader thread waiting
        await sb.stop()


async def post(sb: Sandbox, body: Any = None, *, data: Any = None) -> tuple[int, Any]:
    url = f"{sb.http_base}/api/v10/channels/{sb.seed.channels['general']}/messages"
    headers = {"Authorization": f"Bot {sb.bot_token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.post(url, json=body, data=data) as response,
    ):
        return response.status, await response.json()


@pytest.mark.parametrize("state", [pytest.param("ready", marks=needs_spec), "loading", "absent"])
async def test_too_long_message_is_rejected_with_exactly_one_recorded_violation(
    state: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(state, monkeypatch) as (sb, release):
        status, reply = await post(sb, TOO_LONG)
        assert (status, reply["code"], reply["errors"]) == (400, 50035, CONTENT_2000)
        release()
        await sb.wait_validation_loaded()  # late spec findings, if any, are in by now
        assert [(v["code"], v["source"], v["errors"]) for v in sb.violations] == [
            (50035, "limit", CONTENT_2000)
        ]


async def test_limits_apply_while_the_spec_layer_is_still_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    async with running("loading", monkeypatch) as (sb, release):
        status, reply = await post(sb, {"content": "x" * 2001})
        assert status == 400 and reply["code"] == 50035 and "content" in reply["errors"]
        status, reply = await post(sb, {"content": "   "})
        assert (status, reply) == (400, {"code": 50006, "message": "Cannot send an empty message"})
        assert sb.validation_status == "loading"
        assert [(v["code"], v["source"]) for v in sb.violations] == [(50035, "limit"), (50006, "limit")]
        release()
        await sb.wait_validation_loaded()
        assert len(sb.violations) == 2


@needs_spec
async def test_late_spec_findings_are_recorded_once_without_repeating_the_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with running("loading", monkeypatch) as (sb, release):
        status, reply = await post(sb, {**TOO_LONG, "tts": "yes"})  # the spec also objects to tts
        assert (status, reply["errors"]) == (400, CONTENT_2000)
        status, _ = await post(sb, {"content": "hi", "tts": "yes"})  # within the limits: sent
        assert status == 200
        release()
        assert await sb.wait_validation_loaded() == "ready"
        recorded = [(v["source"], sorted(v["errors"])) for v in sb.violations]
        assert recorded == [("limit", ["content"]), ("schema", ["tts"]), ("schema", ["tts"])]


@needs_spec
async def test_spec_and_limit_findings_are_answered_together_once_the_spec_is_ready(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with running("ready", monkeypatch) as (sb, _):
        status, reply = await post(sb, {**TOO_LONG, "tts": "yes"})
        assert status == 400 and reply["errors"]["content"] == CONTENT_2000["content"]
        assert reply["errors"]["tts"]["_errors"][0]["code"] == "SPEC_INVALID"
        assert [(v["source"], sorted(v["errors"])) for v in sb.violations] == [("schema", ["content", "tts"])]


async def test_an_uploaded_file_makes_a_message_non_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    async with running("absent", monkeypatch) as (sb, _):
        form = aiohttp.FormData()
        form.add_field("payload_json", json.dumps({}), content_type="application/json")
        form.add_field("files[0]", b"minutes", filename="minutes.txt", content_type="text/plain")
        status, reply = await post(sb, data=form)
        assert status == 200 and [a["filename"] for a in reply["attachments"]] == ["minutes.txt"]
        status, reply = await post(sb)  # no body at all, no file: empty
        assert (status, reply["code"]) == (400, 50006)

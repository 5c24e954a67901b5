"""`python -m bot sandbox --data-dir DIR` twice: the second run has the first run's world and state."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from tests.e2e.test_sandbox_cli_start_at import ROOT, _free_port, _get, _poll

START = ("--start-at", "2026-12-01T15:00:00Z")  # a Tuesday: the 2026-12-24 drop-in is ahead


def _post(port: int, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        return json.loads(response.read())


def _run_sandbox(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NSSCOP_")}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "sandbox", "--port", str(port), "--data-dir", str(data_dir), *START],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    assert process.wait(timeout=15) == 0


def _world(port: int) -> dict[str, Any]:
    guild = _get(port, "/_sandbox/guild")
    return {
        "guild": guild["id"],
        "channels": sorted((c["name"], c["id"]) for c in guild["channels"]),
        "roles": sorted((r["name"], r["id"]) for r in guild["roles"]),
        "users": sorted((m["user"]["username"], m["user"]["id"]) for m in guild["members"]),
    }


def _calendar_text(port: int) -> str:
    answer = _post(port, "/_sandbox/interactions/command", {"user": "fiona", "command": "dropin calendar"})
    data = answer["response"]["data"]
    return json.dumps(data, ensure_ascii=False)


def test_a_second_run_with_the_same_data_dir_has_the_first_runs_world(tmp_path: Path) -> None:
    port = _free_port()
    first = _run_sandbox(tmp_path, port)
    try:
        _poll(lambda: _get(port, "/_sandbox/health").get("ready"), within=30)
        before = _world(port)
        said = _post(port, "/_sandbox/messages", {"user": "alex", "channel": "general", "content": "hello"})
        _post(
            port,
            "/_sandbox/interactions/command",
            {
                "user": "fiona",
                "command": "dropin skip",
                "options": {"date": "2026-12-24", "reason": "Holiday"},
            },
        )
        assert "Holiday" in _calendar_text(port)
    finally:
        _stop(first)

    second = _run_sandbox(tmp_path, port)
    try:
        _poll(lambda: _get(port, "/_sandbox/health").get("ready"), within=30)
        assert _world(port) == before
        general = _get(port, "/_sandbox/channels/general/messages")
        assert [(m["id"], m["content"]) for m in general] == [(said["id"], "hello")]
        assert "Holiday" in _calendar_text(port)
        assert _get(port, "/_sandbox/violations") == []
    finally:
        _stop(second)

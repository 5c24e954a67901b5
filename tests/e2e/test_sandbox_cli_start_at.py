"""`python -m bot sandbox --start-at` as a facilitator would run it: watch the 15-minute reminder arrive."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REMINDER_DUE = "2026-12-03T16:45:00Z"
START_AT = "2026-12-03T16:44:56Z"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> Any:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return json.loads(response.read())


def _poll(predicate: Any, within: float) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            found = predicate()
        except OSError:
            found = None
        if found:
            return found
        time.sleep(0.2)
    raise TimeoutError(f"not within {within} s")


def test_start_at_shortly_before_a_reminder_shows_exactly_one_post(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NSSCOP_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "sandbox",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path),
            "--start-at",
            START_AT,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _poll(lambda: _get(port, "/_sandbox/health").get("ready"), within=30)

        def posts() -> list[dict[str, Any]]:
            return [m for m in _get(port, "/_sandbox/channels/drop-in/messages") if m["author"].get("bot")]

        (post,) = _poll(posts, within=15)
        time.sleep(2)
        assert len(posts()) == 1
        text = "\n".join((e.get("title") or "") + (e.get("description") or "") for e in post["embeds"])
        assert "Weekly drop-in: Thursday, December 3, 2026" in text
        assert "Rencontre hebdomadaire\u00a0: jeudi 3 décembre 2026" in text
        assert "https://zoom.us/j/85012345678" in text
        assert _get(port, "/_sandbox/violations") == []
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=15) == 0

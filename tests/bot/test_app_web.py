"""bot/app.py's web wiring: the server starts with the bot, and a taken port is a configuration problem."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from bot.app import build_app, serve
from bot.clock import SystemClock
from bot.config import ConfigError
from bot.sandbox_mode import sandbox_config


async def test_a_taken_port_is_a_configuration_problem(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = await build_app(sandbox_config(tmp_path, 123456789012345678, web_port=port), SystemClock())

        with pytest.raises(ConfigError) as problem:
            await asyncio.wait_for(serve(app, "not-a-token", asyncio.Event()), timeout=20)

    assert f"127.0.0.1:{port}" in str(problem.value)


async def test_no_web_server_without_a_port(tmp_path: Path) -> None:
    app = await build_app(sandbox_config(tmp_path, 123456789012345678), SystemClock())
    try:
        assert app.web is None
    finally:
        await app.close()

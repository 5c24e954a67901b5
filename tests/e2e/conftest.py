"""End-to-end harness: the sandbox and the real bot in one event loop, on a temporary SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from bot.app import App, build_app, serve
from bot.clock import Clock, SystemClock
from bot.domain.settings import Language
from bot.sandbox_mode import point_settings_at_seed, sandbox_config
from sandbox import Sandbox, SandboxClient, discord_endpoints

READY_TIMEOUT = 20.0


@dataclass
class Live:
    sandbox: Sandbox
    client: SandboxClient
    app: App


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Live]:
    async with running_bot(tmp_path_factory.mktemp("e2e"), SystemClock()) as started:
        yield started


async def bot_per_test(tmp_path: Path) -> AsyncIterator[Live]:
    """For modules whose every test needs an untouched world: `live = pytest.fixture(bot_per_test,
    name="live")` there replaces the module-wide bot above."""
    async with running_bot(tmp_path, SystemClock()) as started:
        yield started


@asynccontextmanager
async def running_bot(
    data_dir: Path,
    clock: Clock,
    sandbox: Sandbox | None = None,
    *,
    bootstrap: bool = True,
    language: Language | None = None,
    question_delay: tuple[int, int] = (0, 0),
    web: bool = False,
) -> AsyncIterator[Live]:
    """Starts sandbox (unless given) and bot, waits until both are ready, and tears them down.
    Questions skip the production random delay unless a test asks for one (`question_delay`)."""
    async with AsyncExitStack() as stack:
        if sandbox is None:
            sandbox = Sandbox(seed=True, clock=clock.now)
            await sandbox.start(port=0)
            stack.push_async_callback(sandbox.stop)
        stack.enter_context(discord_endpoints(sandbox))
        config = sandbox_config(data_dir, sandbox.seed.guild_id, question_delay, web_port=0 if web else None)
        app = await build_app(config, clock, guild_ready_timeout=0.1)
        if bootstrap:
            await point_settings_at_seed(app.services, sandbox.seed)
        if language is not None:  # the guild's language before the bot posts anything
            await app.services.settings.set_language(sandbox.seed.guild_id, language)
        if app.web is not None:  # the web server on a free port; the sandbox's Zoom posts to it
            await app.web.start()
            sandbox.zoom.webhook_url = f"http://127.0.0.1:{app.web.port}/zoom/webhook"
        stop = asyncio.Event()
        task = asyncio.create_task(serve(app, sandbox.bot_token, stop))

        async def stop_bot() -> None:
            stop.set()
            await asyncio.wait_for(task, timeout=15)

        stack.push_async_callback(stop_bot)
        client = await stack.enter_async_context(SandboxClient(sandbox.http_base))
        await _wait_ready(client, app, task)
        yield Live(sandbox=sandbox, client=client, app=app)


async def _wait_ready(client: SandboxClient, app: App, bot_task: asyncio.Task[None]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + READY_TIMEOUT
    while loop.time() < deadline:
        if bot_task.done():
            bot_task.result()
            raise RuntimeError("the bot stopped before the sandbox reported ready")
        health = await client.health()
        if health.get("ready") and app.bot.is_ready():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"sandbox not ready within {READY_TIMEOUT} s")

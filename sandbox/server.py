"""`Sandbox`: one aiohttp server for REST (/api/v10), the gateway (/) and the control API (/_sandbox)."""

from __future__ import annotations

import asyncio
import base64
import logging
import secrets
from pathlib import Path
from typing import Any

from aiohttp import web

from sandbox import (
    control,
    control_interactions,
    rest_channels,
    rest_core,
    rest_events,
    rest_guild,
    rest_interactions,
    rest_messages,
    zoom,
)
from sandbox.brief import brief_answers
from sandbox.hub import HUB_KEY, Hub
from sandbox.model import JSON
from sandbox.persist import load_world, move_attachment_urls, save_world
from sandbox.rest import RestApi, Router
from sandbox.schema import SCHEMA_KEY, SchemaGate
from sandbox.seed import Crowd, SeedInfo, build_world, seed_info
from sandbox.snowflakes import Clock, system_clock
from sandbox.validation import Violation, form_errors

log = logging.getLogger(__name__)

_DEFAULT_SPEC = Path(__file__).resolve().parents[2] / "shared" / "discord-api-spec" / "openapi.json"
_UNSET: Any = object()
MAX_REQUEST_BYTES = 30 * 1024 * 1024
AUTOSAVE_EVERY = 5.0  # seconds between saves of a kept world (and once more on stop)


def default_spec_path() -> Path | None:
    return _DEFAULT_SPEC if _DEFAULT_SPEC.is_file() else None


def _make_token(bot_id: int) -> str:
    head = base64.b64encode(str(bot_id).encode()).decode().rstrip("=")
    return f"{head}.{secrets.token_urlsafe(5)[:6]}.{secrets.token_urlsafe(27)[:38]}"


def _rest_router() -> Router:
    router = Router()
    for module in (rest_core, rest_messages, rest_channels, rest_guild, rest_events, rest_interactions):
        router.routes.extend(module.router.routes)
    return router


class Sandbox:
    """A local Discord: start it, point discord.py at it with `discord_endpoints(sb)`, drive it via /_sandbox.

    `clock` is the sandbox's Discord-time (an aware UTC "now"; default the system clock): snowflake ids,
    message timestamps, the "Cannot schedule event in the past" rule and the enforced-nonce window
    follow it, so a bot on a shifted clock sees a Discord at the same instant. Interaction deadlines
    and rate limits stay on real monotonic time: they measure real latency.

    `guilds=2` seeds a second guild on the other of two shards (`seed.other()`), for sharding tests;
    control calls choose it with `?guild=<id>` (`SandboxClient(..., guild=id)`).
    """

    def __init__(
        self,
        seed: bool = True,
        spec_path: Path | None = _UNSET,
        clock: Clock | None = None,
        crowd: Crowd | None = None,
        world_file: Path | None = None,
        guilds: int = 1,
    ) -> None:
        """`world_file`: keep the world there: loaded when it exists (`restored` is then True), saved
        every few seconds while running and on stop."""
        self.clock: Clock = clock if clock is not None else system_clock
        self.world_file = world_file
        self.restored = world_file is not None and world_file.exists()
        if world_file is not None and self.restored:
            world = load_world(world_file, self.clock)
            info = seed_info(world)
        else:
            world, info = build_world(seed, self.clock, crowd, guilds)
        self.seed: SeedInfo = info
        self._autosave: asyncio.Task[None] | None = None
        self.bot_token: str = _make_token(info.bot_user_id)
        self.hub = Hub(world, info, self.bot_token)
        self._schema = SchemaGate(default_spec_path() if spec_path is _UNSET else spec_path)
        self._runner: web.AppRunner | None = None
        self.host = "127.0.0.1"
        self.port = 0
        self.zoom = zoom.ZoomMeeting(clock=self.clock)
        """The sandbox's Zoom meeting; set `zoom.webhook_url` to the bot's web server to drive it."""

    @property
    def http_base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/"

    @property
    def violations(self) -> list[JSON]:
        return self.hub.violations

    @property
    def requests(self) -> list[JSON]:
        return self.hub.requests

    @property
    def validation_status(self) -> str:
        """OpenAPI body validation: "absent", "loading" or "ready" (the documented limits: always on)."""
        return self._schema.status

    async def wait_validation_loaded(self) -> str:
        """Wait until the spec layer has loaded (queued bodies are then checked); returns the status."""
        return await self._schema.wait_loaded()

    def build_app(self) -> web.Application:
        app = web.Application(
            middlewares=[brief_answers, control.control_errors], client_max_size=MAX_REQUEST_BYTES
        )
        app[HUB_KEY] = self.hub
        api = RestApi(self.hub, _rest_router(), self._schema)
        app[SCHEMA_KEY] = self._schema
        app.router.add_get("/", self.hub.gateway.handle)
        app.router.add_route("*", "/api/{tail:.*}", api.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._serve_attachment)
        app.add_routes(control.routes)
        app.add_routes(control_interactions.routes)
        app[zoom.ZOOM_KEY] = self.zoom
        app.add_routes(zoom.routes)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        runner = web.AppRunner(self.build_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.host = host
        self.port = int(sockets[0].getsockname()[1]) if sockets else port
        self.hub.http_base = self.http_base
        move_attachment_urls(self.hub.world, self.http_base)
        self.hub.world.http_base = self.http_base
        self._schema.start(self._record_late_schema_findings)
        if self.world_file is not None:
            self.save_world()
            self._autosave = asyncio.create_task(self._save_periodically(), name="sandbox-autosave")
        log.info("sandbox listening on %s (guild %s)", self.http_base, self.seed.guild_id)

    def _record_late_schema_findings(self, method: str, path: str, findings: list[Violation]) -> None:
        self.hub.record_violation(
            method,
            path,
            400,
            50035,
            "Invalid Form Body (OpenAPI schema, checked late)",
            form_errors(findings),
            "schema",
        )

    def save_world(self) -> None:
        if self.world_file is not None:
            save_world(self.hub.world, self.world_file)

    async def _save_periodically(self) -> None:
        while True:
            await asyncio.sleep(AUTOSAVE_EVERY)
            try:
                self.save_world()
            except OSError as exc:
                log.warning("sandbox: could not save the world to %s: %s", self.world_file, exc)

    async def stop(self) -> None:
        if self._autosave is not None:
            self._autosave.cancel()
            self._autosave = None
            self.save_world()
        await self.hub.gateway.close()
        await self._schema.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        raw = request.match_info["attachment_id"]
        stored = self.hub.world.attachments.get(int(raw)) if raw.isdigit() else None
        if stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.data, headers={"Content-Type": stored.content_type})

"""The aiohttp application: routes, guards, and a start/stop wrapper for the bot process.

Routes:
- POST /zoom/webhook         Zoom events (signed); 200 fast, work done after from a durable record
- GET  /calendar/{token}.ics the guild's next drop-ins as iCalendar
- GET  /g/{token}/           the guild's public page (English/French)
- GET  /static/{name}        the page's stylesheet and script
- GET  /healthz, /metrics    for operators: allowed networks or a bearer token only
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.domain.zoom import MAX_BODY, WebhookRejected
from bot.i18n import Catalog
from bot.logs import exception_summary
from bot.services.web import WebService
from bot.services.zoom import ZoomService
from bot.web import page
from bot.web.guards import RateLimiter, ops_access, rate_limit, security_headers
from bot.web.metrics import CONTENT_TYPE_LATEST, Metrics

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"page.css": "text/css", "page.js": "text/javascript"}
HealthProbe = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8766
    ops_networks: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
    ops_token: str | None = None
    public_per_minute: int = 120
    webhook_per_minute: int = 3000
    public_base_url: str = ""


@dataclass
class WebDeps:
    settings: WebSettings
    catalog: Catalog
    web: WebService
    zoom: ZoomService | None
    health: HealthProbe
    metrics: Metrics
    ready: Callable[[], bool] = lambda: True  # Discord reachable: recorded webhooks may be acted upon
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)


DEPS = web.AppKey("deps", WebDeps)


def build_web_app(deps: WebDeps) -> web.Application:
    app = web.Application(
        client_max_size=MAX_BODY,
        middlewares=[
            security_headers(),
            ops_access(deps.settings.ops_networks, deps.settings.ops_token),
            rate_limit(
                RateLimiter(deps.settings.public_per_minute), RateLimiter(deps.settings.webhook_per_minute)
            ),
        ],
    )
    app[DEPS] = deps
    app.router.add_post("/zoom/webhook", zoom_webhook)
    app.router.add_get("/calendar/{token}.ics", calendar)
    app.router.add_get("/g/{token}/", public_page)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app


async def zoom_webhook(request: web.Request) -> web.Response:
    deps = request.app[DEPS]
    if deps.zoom is None:
        raise web.HTTPNotFound()
    if request.content_length is not None and request.content_length > MAX_BODY:
        return _count(deps, "rejected", web.json_response({"error": "body too large"}, status=413))
    raw = await request.read()  # over MAX_BODY: aiohttp answers 413 itself
    try:
        receipt = await deps.zoom.receive(
            raw, request.headers.get("x-zm-request-timestamp"), request.headers.get("x-zm-signature")
        )
    except WebhookRejected as rejected:
        log.info("zoom webhook refused (%s): %s", rejected.status, rejected.reason)
        return _count(deps, "rejected", web.json_response({"error": rejected.reason}, status=rejected.status))
    deps.metrics.events.labels("zoom", "webhook", receipt.outcome).inc()
    if receipt.answer is not None:
        return web.json_response(receipt.answer)
    if receipt.recorded and deps.ready():  # otherwise the records wait for the bot to be ready
        _spawn(deps, deps.zoom.process_pending())
    return web.json_response({"ok": True})


def _count(deps: WebDeps, outcome: str, response: web.Response) -> web.Response:
    deps.metrics.events.labels("zoom", "webhook", outcome).inc()
    return response


def _spawn(deps: WebDeps, work: Awaitable[Any]) -> None:
    async def run() -> None:
        try:
            await work
        except Exception as exc:
            log.error("background web work failed: %s", exception_summary(exc))

    task = asyncio.get_running_loop().create_task(run())
    deps.tasks.add(task)
    task.add_done_callback(deps.tasks.discard)


async def calendar(request: web.Request) -> web.Response:
    feed = await request.app[DEPS].web.calendar(request.match_info["token"])
    if feed is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=feed,
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": 'inline; filename="dropin.ics"',
            "Cache-Control": "private, max-age=300",
        },
    )


async def public_page(request: web.Request) -> web.Response:
    deps = request.app[DEPS]
    data = await deps.web.page(request.match_info["token"])
    if data is None:
        raise web.HTTPNotFound()
    lang = page.choose_language(request.query.get("lang"), request.headers.get("Accept-Language", ""))
    base = deps.settings.public_base_url or f"{request.scheme}://{request.host}"
    html = page.render(deps.catalog, data, lang, base)
    return web.Response(
        text=html,
        content_type="text/html",
        charset="utf-8",
        headers={"Cache-Control": "private, no-store", "Content-Language": lang, "Vary": "Accept-Language"},
    )


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    return web.Response(
        body=(STATIC / name).read_bytes(),
        headers={
            "Content-Type": f"{STATIC_FILES[name]}; charset=utf-8",
            "Cache-Control": "public, max-age=3600",
        },
    )


async def healthz(request: web.Request) -> web.Response:
    report = await request.app[DEPS].health()
    return web.Response(
        text=json.dumps(report),
        status=200 if report.get("healthy") else 503,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


async def metrics(request: web.Request) -> web.Response:
    body = await request.app[DEPS].metrics.exposition()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


class WebServer:
    """Started with the bot, stopped before it; access logging is off (tokens live in URLs)."""

    def __init__(self, deps: WebDeps) -> None:
        self.deps = deps
        self._runner: web.AppRunner | None = None
        self.port = deps.settings.port

    @property
    def base_url(self) -> str:
        """Where members reach the server: the configured public URL, else this host and port."""
        settings = self.deps.settings
        return settings.public_base_url or f"http://{settings.host}:{self.port}"

    async def start(self) -> None:
        if self._runner is not None:
            return
        runner = web.AppRunner(build_web_app(self.deps), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.deps.settings.host, self.deps.settings.port)
        await site.start()
        self._runner = runner
        sockets = getattr(site._server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        log.info("web server listening on %s:%s", self.deps.settings.host, self.port)

    def after_ready(self, ready: Callable[[], Awaitable[Any]], work: Callable[[], Awaitable[Any]]) -> None:
        """At start: once Discord is ready, act on webhooks recorded before a crash or while away."""

        async def run() -> None:
            await ready()
            await work()

        _spawn(self.deps, run())

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for task in list(self.deps.tasks):
            task.cancel()

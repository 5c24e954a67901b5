"""The web server on a real database with fake Discord ports, and a fake Zoom that signs like Zoom."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.minutes import Minutes
from bot.domain.settings import ChannelPurpose
from bot.domain.shards import every_guild
from bot.i18n import Catalog
from bot.services.minutes_archive import Published
from bot.services.web import WebService
from bot.services.zoom import ZoomService
from bot.services.zoom_text import ZoomText
from bot.web.metrics import Metrics
from bot.web.server import WebDeps, WebSettings, build_web_app
from tests.bot.services.dropin_fakes import CHANNEL, GUILD, START, Harness

SECRET = "test-zoom-secret"
MEETING_ID = "85012345678"
UUID = "4444AAAiAAAAAiAiAiiAii=="
REVIEW_CHANNEL = 377777777777777777


def zoom_signature(secret: str, ts: str, raw: bytes) -> str:
    """Zoom's algorithm, written out independently of bot/domain/zoom.py (reference §3.1)."""
    return "v0=" + hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256).hexdigest()


def event_body(
    event: str,
    at: datetime,
    *,
    meeting_id: str = MEETING_ID,
    uuid: str = UUID,
    participant: dict | None = None,
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": meeting_id,
        "uuid": uuid,
        "host_id": "x1yCzABCDEfg23HiJKl4mN",
        "topic": "NSS-CoP drop-in",
        "type": 8,
        "start_time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "timezone": "America/Toronto",
        "duration": 90,
    }
    if participant is not None:
        obj["participant"] = participant
    return {
        "event": event,
        "event_ts": int(at.timestamp() * 1000),
        "payload": {"account_id": "AAAA", "object": obj},
    }


def person(name: str, *, join: int = 1) -> dict[str, Any]:
    """A guest as Zoom describes one: `user_id` changes per join; `participant_uuid` does not."""
    return {
        "user_id": f"1600{join}{len(name)}",
        "user_name": name,
        "id": "",
        "participant_uuid": f"uuid-{name}",
        "email": f"{name.lower()}@example.org",
        "join_time": "2026-12-03T17:00:00Z",
    }


@dataclass
class FakeMinutes:
    items: list[tuple[Published, str]] = field(default_factory=list)

    async def published(self, guild_id: int, year: int | None = None) -> list[Published]:
        return [published for published, _ in self.items]

    async def published_text(self, minutes: Minutes) -> str:
        return next(text for published, text in self.items if published.minutes.id == minutes.id)


class WebHarness:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], settings: WebSettings | None = None
    ) -> None:
        self.dropin = Harness(sessions)
        self.dropin.clock.set(START - timedelta(minutes=5))
        self.sessions = sessions
        self.catalog = Catalog.load()
        self.minutes = FakeMinutes()
        self.metrics = Metrics()
        self.ready = True
        self.healthy: dict[str, Any] = {"healthy": True, "reason": None}
        self.zoom = self.zoom_process()
        self.web = WebService(sessions, self.clock, self.dropin.settings, self.dropin.service, self.minutes)
        self.deps = WebDeps(
            settings or WebSettings(public_base_url="https://bot.example.org"),
            self.catalog,
            self.web,
            self.zoom,
            self._health,
            self.metrics,
            ready=lambda: self.ready,
        )
        self.client: TestClient | None = None

    @property
    def clock(self):  # type: ignore[no-untyped-def]
        return self.dropin.clock

    @property
    def announcer(self):  # type: ignore[no-untyped-def]
        return self.dropin.announcer

    def zoom_process(self, owns: Callable[[int], bool] = every_guild) -> ZoomService:
        """A ZoomService as a (re)started process builds it: same database and Discord, fresh memory;
        `owns`: the guilds of its shards (bot/domain/shards.py)."""
        return ZoomService(
            self.sessions,
            self.clock,
            self.dropin.settings,
            self.dropin.service,
            self.dropin.announcer,
            ZoomText(Catalog.load()),
            SECRET,
            owns=owns,
        )

    async def _health(self) -> dict[str, Any]:
        return self.healthy

    async def setup_guild(self) -> None:
        await self.dropin.configure(meeting_id="850 1234 5678")
        await self.dropin.settings.bootstrap(
            GUILD, channels={ChannelPurpose.MINUTES_REVIEW: REVIEW_CHANNEL}, roles={}
        )

    async def post_event(
        self,
        body: dict[str, Any] | bytes,
        *,
        ts: datetime | None = None,
        secret: str = SECRET,
        headers: dict | None = None,
    ) -> tuple[int, Any]:
        raw = body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":")).encode()
        stamp = str(int((ts or self.clock.now()).timestamp()))
        sent = {
            "Content-Type": "application/json",
            "x-zm-request-timestamp": stamp,
            "x-zm-signature": zoom_signature(secret, stamp, raw),
        }
        if headers is not None:
            sent = {**sent, **headers}
            sent = {k: v for k, v in sent.items() if v is not None}
        assert self.client is not None
        response = await self.client.post("/zoom/webhook", data=raw, headers=sent)
        text = await response.text()
        await self.settle()
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text

    async def settle(self) -> None:
        """Wait (bounded) for the work the route handed to the background."""
        if self.deps.tasks:
            await asyncio.wait_for(asyncio.gather(*list(self.deps.tasks)), timeout=10)

    def live_posts(self) -> list[Any]:
        return [c for c in self.announcer.delivered if c.channel_id == CHANNEL]

    def prompts(self) -> list[Any]:
        return [c for c in self.announcer.delivered if c.channel_id == REVIEW_CHANNEL]


@asynccontextmanager
async def serving(harness: WebHarness) -> AsyncIterator[TestClient]:
    client = TestClient(TestServer(build_web_app(harness.deps)))
    await client.start_server()
    harness.client = client
    try:
        yield client
    finally:
        await harness.settle()
        await client.close()


AT_START = START + timedelta(minutes=1)

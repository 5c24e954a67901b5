"""The benchmark's sandbox process: a seeded local Discord with N extra members and a latency probe.

Run by `python -m bench`, not by hand: `python -m bench.sandbox_proc --members 5000` prints one JSON
line ({"base", "token", "seed"}) once listening, then serves until SIGTERM. Besides the usual control
API it answers GET /_bench/latencies (and DELETE to reset): for every interaction, seconds from the
dispatch to the bot's callback (and, once a deferred answer is posted, to that), and for every DM from a member, seconds from the MESSAGE_CREATE
dispatch to the bot's next message in that DM channel. All timings are taken inside this process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import time
from collections import defaultdict, deque
from dataclasses import asdict
from typing import Any

from aiohttp import web

from sandbox import Sandbox
from sandbox.hub import HUB_KEY
from sandbox.model import Member, User

PROBE_KEY: web.AppKey[DmProbe] = web.AppKey("bench_probe")


class DmProbe:
    """FIFO per DM channel: the oldest unanswered member message is answered by the bot's next one."""

    def __init__(self, bot_user_id: int) -> None:
        self.bot_id = str(bot_user_id)
        self.waiting: dict[str, deque[float]] = defaultdict(deque)
        self.latencies: list[float] = []
        self.sent = 0

    def observe(self, message: dict[str, Any]) -> None:
        channel = str(message.get("channel_id"))
        if str((message.get("author") or {}).get("id")) == self.bot_id:
            queue = self.waiting.get(channel)
            if queue:
                self.latencies.append(time.monotonic() - queue.popleft())
        else:
            self.sent += 1
            self.waiting[channel].append(time.monotonic())

    def reset(self) -> None:
        self.waiting.clear()
        self.latencies.clear()
        self.sent = 0


class BenchSandbox(Sandbox):
    def __init__(self, members: int) -> None:
        super().__init__(seed=True)
        self.probe = DmProbe(self.seed.bot_user_id)
        self._since = time.monotonic()
        self._add_members(members)
        dispatch_message = self.hub.gateway.dispatch_message

        def observed(event: str, message: dict[str, Any], *, is_dm: bool) -> None:
            if event == "MESSAGE_CREATE" and is_dm:
                self.probe.observe(message)
            dispatch_message(event, message, is_dm=is_dm)

        self.hub.gateway.dispatch_message = observed  # type: ignore[method-assign]

    def _add_members(self, count: int) -> None:
        world = self.hub.world
        member_role = self.seed.roles["Member"]
        for index in range(count):
            user = User(id=world.ids.next(), username=f"m{index:05d}", global_name=f"M{index}")
            world.users[user.id] = user
            world.guild.members[user.id] = Member(
                user_id=user.id, role_ids=[member_role], joined_at=world.now_iso()
            )

    def build_app(self) -> web.Application:
        app = super().build_app()
        app.router.add_get("/_bench/latencies", self._latencies)
        app.router.add_delete("/_bench/latencies", self._reset)
        return app

    async def _latencies(self, request: web.Request) -> web.Response:
        hub = request.app[HUB_KEY]
        answered, completed, unanswered = [], [], 0
        for record in hub.interactions.by_id.values():
            if record.created_at < self._since:
                continue
            if record.callback_at is None:
                unanswered += 1
            else:
                answered.append(record.callback_at - record.created_at)
            if record.progressed_at is not None:  # a deferred answer, posted
                completed.append(record.progressed_at - record.created_at)
        body = {
            "interactions": answered,
            "interactions_completed": completed,
            "interactions_unanswered": unanswered,
            "dms": list(self.probe.latencies),
            "dms_sent": self.probe.sent,
            "violations": len(hub.violations),
        }
        return web.json_response(body)

    async def _reset(self, request: web.Request) -> web.Response:
        self._since = time.monotonic()
        self.probe.reset()
        return web.json_response({})


async def _serve(members: int) -> None:
    sandbox = BenchSandbox(members)
    await sandbox.start(port=0)
    print(
        json.dumps({"base": sandbox.http_base, "token": sandbox.bot_token, "seed": asdict(sandbox.seed)}),
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(sandbox.stop(), 5)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=0)
    asyncio.run(_serve(parser.parse_args().members))

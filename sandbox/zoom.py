"""The sandbox plays Zoom: one recurring meeting whose webhooks go, signed as Zoom signs them, to the
bot's web server (reference §3.1). Driven through the control API:

POST /_sandbox/zoom
    body   {"action": "start" | "end" | "join" | "leave", "count": N (join/leave, default 1),
            "duplicate": bool (default false: also send each delivery a second time, as Zoom does
            when it did not see the answer in time)}
    answer {"meeting": {"id": "85012345678", "uuid": "...", "running": bool, "in_meeting": int},
            "sent": [{"event": "meeting.started", "status": 200, "attempts": 1}, ...]}
    `join` adds N new people ("Guest 1", "Guest 2", …) — or, after some left, brings the earliest
    leavers back (a rejoin, with a new per-join `user_id` as Zoom gives). `leave` removes the N most
    recent. A delivery that fails or answers other than 2xx is retried up to 3 more times (Zoom waits
    5, 20 and 60 minutes; the sandbox waits 0.2, 0.5 and 1 s). 400 when no bot web server is known.
GET /_sandbox/zoom
    answer the same "meeting" object, plus "webhook_url".
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp
from aiohttp import web

from sandbox.errors import ControlError, json_response

SANDBOX_ZOOM_SECRET = "sandbox-zoom-secret"
SANDBOX_MEETING_ID = "85012345678"
RETRY_DELAYS = (0.2, 0.5, 1.0)
routes = web.RouteTableDef()


@dataclass
class ZoomMeeting:
    clock: Callable[[], datetime]
    webhook_url: str = ""
    secret: str = SANDBOX_ZOOM_SECRET
    meeting_id: str = SANDBOX_MEETING_ID
    uuid: str = ""
    running: bool = False
    present: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    joins: int = 0
    people: int = 0

    def view(self) -> dict[str, Any]:
        return {
            "id": self.meeting_id,
            "uuid": self.uuid,
            "running": self.running,
            "in_meeting": len(self.present),
        }

    def _object(self, participant: dict[str, Any] | None = None) -> dict[str, Any]:
        now = self.clock()
        obj: dict[str, Any] = {
            "id": self.meeting_id,
            "uuid": self.uuid,
            "host_id": "sandboxHostId0000000000",
            "topic": "NSS-CoP drop-in",
            "type": 8,
            "start_time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "timezone": "America/Toronto",
            "duration": 90,
        }
        if participant is not None:
            obj["participant"] = participant
        return obj

    def _participant(self, name: str, when: str) -> dict[str, Any]:
        self.joins += 1
        return {
            "user_id": str(16_000_000 + self.joins),  # per join, as Zoom gives it
            "user_name": name,
            "id": "",
            "participant_uuid": "sbx-" + hashlib.sha256(name.encode()).hexdigest()[:16],
            "email": "",
            when: self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def events(self, action: str, count: int) -> list[dict[str, Any]]:
        """The webhook bodies for one control action, updating the meeting's state."""
        if action == "start":
            if self.running:
                raise ControlError("the meeting is already running; end it first")
            self.uuid = base64.b64encode(secrets.token_bytes(16)).decode()
            self.running, self.present, self.left = True, [], []
            return [self._body("meeting.started", self._object())]
        if not self.running:
            raise ControlError("the meeting is not running; start it first")
        if action == "end":
            bodies = [
                self._body("meeting.participant_left", self._object(self._participant(name, "leave_time")))
                for name in reversed(self.present)
            ]
            self.running, self.present = False, []
            return [*bodies, self._body("meeting.ended", self._object())]
        if action == "join":
            bodies = []
            for _ in range(count):
                if self.left:
                    name = self.left.pop(0)
                else:
                    self.people += 1
                    name = f"Guest {self.people}"
                self.present.append(name)
                bodies.append(
                    self._body(
                        "meeting.participant_joined", self._object(self._participant(name, "join_time"))
                    )
                )
            return bodies
        if action == "leave":
            if count > len(self.present):
                raise ControlError(f"only {len(self.present)} people are in the meeting")
            bodies = []
            for _ in range(count):
                name = self.present.pop()
                self.left.append(name)
                bodies.append(
                    self._body(
                        "meeting.participant_left", self._object(self._participant(name, "leave_time"))
                    )
                )
            return bodies
        raise ControlError('action must be "start", "end", "join" or "leave"')

    def _body(self, event: str, obj: dict[str, Any]) -> dict[str, Any]:
        stamp = int(self.clock().timestamp() * 1000)
        return {"event": event, "event_ts": stamp, "payload": {"account_id": "sandboxAccount", "object": obj}}

    def signed(self, body: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        raw = json.dumps(body, separators=(",", ":")).encode()
        ts = str(int(self.clock().timestamp()))
        digest = hmac.new(self.secret.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "x-zm-request-timestamp": ts,
            "x-zm-signature": f"v0={digest}",
        }
        return raw, headers

    async def deliver(self, session: aiohttp.ClientSession, body: dict[str, Any]) -> dict[str, Any]:
        """Send one event as Zoom does: retried after a failure or a non-2xx answer."""
        status: int | None = None
        for attempt in range(1 + len(RETRY_DELAYS)):
            raw, headers = self.signed(body)  # a retry is signed again, with a fresh timestamp
            try:
                async with session.post(self.webhook_url, data=raw, headers=headers) as response:
                    status = response.status
                    if 200 <= status < 300:
                        return {"event": body["event"], "status": status, "attempts": attempt + 1}
            except (aiohttp.ClientError, TimeoutError):
                status = None
            if attempt < len(RETRY_DELAYS):
                await asyncio.sleep(RETRY_DELAYS[attempt])
        return {"event": body["event"], "status": status, "attempts": 1 + len(RETRY_DELAYS)}


ZOOM_KEY = web.AppKey("zoom", ZoomMeeting)


@routes.get("/_sandbox/zoom")
async def meeting_state(request: web.Request) -> web.Response:
    meeting = request.app[ZOOM_KEY]
    return json_response({**meeting.view(), "webhook_url": meeting.webhook_url})


@routes.post("/_sandbox/zoom")
async def act(request: web.Request) -> web.Response:
    meeting = request.app[ZOOM_KEY]
    body = await request.json() if request.can_read_body else {}
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    if not meeting.webhook_url:
        raise ControlError("no bot web server to send Zoom webhooks to (run with --web-port)")
    count = body.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 500:
        raise ControlError("count must be a whole number from 1 to 500")
    events = meeting.events(str(body.get("action", "")), count)
    sent = []
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for event in events:
            sent.append(await meeting.deliver(session, event))
            if body.get("duplicate") is True:
                sent.append(await meeting.deliver(session, event))
    return json_response({"meeting": meeting.view(), "sent": sent})

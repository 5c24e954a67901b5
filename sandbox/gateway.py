"""Gateway v10 over a websocket: HELLO, IDENTIFY/RESUME, heartbeats, dispatches honoring intents and
shards.

Sharding (discord-api-docs developers/events/gateway.mdx, "Sharding"): IDENTIFY may carry
`shard: [shard_id, num_shards]` (:615); a guild's events go to the session(s) whose shard is
`(guild_id >> 22) % num_shards` (:627); events without a guild_id, DMs included, go to shard 0 only
(:635); sessions of different shards are open at once (the sandbox keeps the newest per shard). An
invalid shard closes the connection with 4010 "Invalid shard" (topics/opcodes-and-status-codes.mdx:47).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from sandbox.model import JSON, World
from sandbox.payloads import guild_create_payload, member_payload, user_payload

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_MS = 41250
# A HEARTBEAT_ACK comes back after a network round trip, never in the same instant. discord.py's
# keep-alive thread records when it sent a heartbeat only once the event loop has sent it; an ACK
# answered at once is handled before that, so the latency is measured from the PREVIOUS heartbeat,
# one whole interval (41.3 s), and "Can't keep up, shard ID None websocket is 41.3s behind" is
# logged on every beat of an idle sandbox. A realistic delay keeps the ACK after the record.
HEARTBEAT_ACK_DELAY = 0.05
HISTORY_LIMIT = 2000
FULL_REQUEST_EVERY = 30.0  # seconds between two requests for all of a guild's members

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
GUILD_SCHEDULED_EVENTS = 1 << 16
KNOWN_INTENTS = (1 << 26) - 1
NOT_ALLOWED_PRIVILEGED = GUILD_PRESENCES | MESSAGE_CONTENT
APPLICATION_FLAGS = (1 << 14) | (1 << 23)  # GATEWAY_GUILD_MEMBERS, APPLICATION_COMMAND_BADGE

EVENT_INTENTS: dict[str, int] = {
    "GUILD_MEMBER_ADD": GUILD_MEMBERS,
    "GUILD_MEMBER_UPDATE": GUILD_MEMBERS,
    "GUILD_MEMBER_REMOVE": GUILD_MEMBERS,
    "THREAD_MEMBERS_UPDATE": GUILD_MEMBERS,
    "GUILD_SCHEDULED_EVENT_CREATE": GUILD_SCHEDULED_EVENTS,
    "GUILD_SCHEDULED_EVENT_UPDATE": GUILD_SCHEDULED_EVENTS,
    "GUILD_SCHEDULED_EVENT_DELETE": GUILD_SCHEDULED_EVENTS,
    "INTERACTION_CREATE": 0,
}
CONTENT_FIELDS: dict[str, Any] = {"content": "", "embeds": [], "attachments": [], "components": []}


@dataclass(eq=False)
class _Connection:
    ws: web.WebSocketResponse
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)


@dataclass
class GatewaySession:
    session_id: str
    intents: int
    seq: int = 0
    history: list[tuple[int, str]] = field(default_factory=list)
    connection: _Connection | None = None
    shard: tuple[int, int] | None = None  # (shard_id, num_shards); None: not sharded, every guild

    def receives(self, guild_id: int | None) -> bool:
        """gateway.mdx:627 and :635: a guild's shard by the formula; no guild, shard 0."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return shard_id == (0 if guild_id is None else (guild_id >> 22) % count)

    def push(self, event: str, data: Any) -> None:
        self.seq += 1
        frame = json.dumps({"op": 0, "t": event, "s": self.seq, "d": data})
        self.history.append((self.seq, frame))
        del self.history[:-HISTORY_LIMIT]
        if self.connection is not None:
            self.connection.queue.put_nowait(frame)


class Gateway:
    def __init__(
        self,
        world: World,
        token: str,
        url: Callable[[], str],
        on_violation: Callable[[str], None] | None = None,
    ) -> None:
        self._world = world
        self._token = token
        self._url = url
        self._on_violation = on_violation or (lambda message: None)
        self.sessions: dict[str, GatewaySession] = {}
        self._connections: set[_Connection] = set()
        self.identify_count = 0
        self.rate_limited_count = 0
        self._last_full_request: dict[int, float] = {}  # by guild

    @property
    def connected(self) -> bool:
        return any(s.connection is not None for s in self.sessions.values())

    @property
    def session(self) -> GatewaySession | None:
        return next(iter(self.sessions.values()), None)

    # -- dispatching -----------------------------------------------------------------------------
    def dispatch(self, event: str, data: Any, *, intent: int | None = None) -> None:
        needed = EVENT_INTENTS.get(event, GUILDS) if intent is None else intent
        guild_id = _guild_of(event, data)
        for session in self.sessions.values():
            if (needed == 0 or session.intents & needed) and session.receives(guild_id):
                session.push(event, data)

    def dispatch_message(self, event: str, message: JSON, *, is_dm: bool) -> None:
        """MESSAGE_CREATE/UPDATE: GUILD_MESSAGES or DIRECT_MESSAGES; content only where Discord gives it."""
        needed = DIRECT_MESSAGES if is_dm else GUILD_MESSAGES
        bot_id = str(self._world.bot_user_id)
        author_id = str((message.get("author") or {}).get("id", ""))
        mentioned = any(str(u.get("id")) == bot_id for u in message.get("mentions") or [])
        guild_id = _guild_of(event, message)
        for session in self.sessions.values():
            if not session.intents & needed or not session.receives(guild_id):
                continue
            keeps_content = is_dm or mentioned or author_id == bot_id or session.intents & MESSAGE_CONTENT
            payload = message if keeps_content else {**message, **CONTENT_FIELDS}
            session.push(event, payload)

    # -- test hooks ------------------------------------------------------------------------------
    def force_reconnect(self) -> int:
        return self._broadcast({"op": 7, "d": None})

    def invalidate_sessions(self) -> int:
        count = self._broadcast({"op": 9, "d": False})
        self.sessions.clear()
        return count

    def _broadcast(self, payload: JSON) -> int:
        frame = json.dumps(payload)
        count = 0
        for session in self.sessions.values():
            if session.connection is not None:
                session.connection.queue.put_nowait(frame)
                count += 1
        return count

    async def close(self) -> None:
        for conn in list(self._connections):
            conn.queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"sandbox stopping")

    # -- the websocket ---------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = _Connection(ws)
        self._connections.add(conn)
        writer = asyncio.create_task(self._write(conn))
        conn.queue.put_nowait(json.dumps({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}}))
        session: GatewaySession | None = None
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                try:
                    payload = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                session = await self._on_frame(conn, session, payload) or session
        finally:
            if session is not None and session.connection is conn:
                session.connection = None
            self._connections.discard(conn)
            conn.queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer, 2)
        return ws

    async def _write(self, conn: _Connection) -> None:
        while True:
            frame = await conn.queue.get()
            if frame is None or conn.ws.closed:
                return
            try:
                await conn.ws.send_str(frame)
            except (ConnectionError, RuntimeError):
                return

    async def _on_frame(
        self, conn: _Connection, session: GatewaySession | None, payload: Any
    ) -> GatewaySession | None:
        op = payload.get("op") if isinstance(payload, dict) else None
        data = payload.get("d") if isinstance(payload, dict) else None
        if op == 1:
            ack = json.dumps({"op": 11})
            asyncio.get_running_loop().call_later(HEARTBEAT_ACK_DELAY, conn.queue.put_nowait, ack)
        elif op == 2 and session is not None:
            # opcodes-and-status-codes.mdx:95: 4005 "Already authenticated: You sent more than one identify payload."
            await conn.ws.close(code=4005, message=b"Already authenticated.")
        elif op == 2:
            return await self._identify(conn, data or {})
        elif op == 6:
            return await self._resume(conn, data or {})
        elif op == 8 and session is not None:
            self._chunk(session, data or {})
        elif op in (3, 4, 31):
            pass  # presence / voice / soundboard requests: accepted, nothing to do
        elif op not in (1, 2, 6, 8):
            await conn.ws.close(code=4001, message=b"Unknown opcode.")
        elif session is None:
            await conn.ws.close(code=4003, message=b"Not authenticated.")
        return None

    async def _identify(self, conn: _Connection, data: JSON) -> GatewaySession | None:
        if data.get("token") != self._token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return None
        intents = data.get("intents")
        if (
            not isinstance(intents, int)
            or isinstance(intents, bool)
            or intents < 0
            or intents & ~KNOWN_INTENTS
        ):
            await conn.ws.close(code=4013, message=b"Invalid intent(s).")
            return None
        if intents & NOT_ALLOWED_PRIVILEGED:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        shard = _valid_shard(data.get("shard", None))
        if shard is INVALID_SHARD:
            # opcodes-and-status-codes.mdx:47: 4010 "Invalid shard: You sent us an invalid shard when identifying."
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return None
        # Discord lets several sessions share a shard (gateway.mdx:636). The sandbox keeps the newest one
        # per shard, so a killed bot's dead session does not linger; other shards' sessions stay open.
        for stale in [s for s in self.sessions.values() if s.shard == shard]:
            del self.sessions[stale.session_id]
        session = GatewaySession(
            session_id=secrets.token_hex(16), intents=intents, connection=conn, shard=shard
        )
        self.sessions[session.session_id] = session
        self.identify_count += 1
        world = self._world
        bot = {**user_payload(world.bot_user), "verified": True, "mfa_enabled": False, "email": None}
        ready: JSON = {}
        if shard is not None:  # gateway-events.mdx:474: READY's shard, "if sent when identifying"
            ready["shard"] = list(shard)
        session.push(
            "READY",
            {
                **ready,
                "v": 10,
                "user": bot,
                "guilds": [{"id": str(g), "unavailable": True} for g in world.guilds if session.receives(g)],
                "session_id": session.session_id,
                "resume_gateway_url": self._url(),
                "session_type": "normal",
                "application": {"id": str(world.application_id), "flags": APPLICATION_FLAGS},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "user_settings": {},
                "geo_ordered_rtc_regions": ["sandbox"],
                "_trace": ["sandbox-gateway"],
            },
        )
        for guild_id in [g for g in world.guilds if session.receives(g)]:
            with world.serving(guild_id):
                guild = guild_create_payload(world)
                # gateway-events.mdx:182: "When initially connecting, if you don't have the GUILD_PRESENCES
                # Gateway Intent ... it will only send members who are in voice, plus the member for you".
                # The sandbox never grants GUILD_PRESENCES and has no voice, so the rest come from Request
                # Guild Members (op 8).
                guild["members"] = [member_payload(world, world.bot_member)]
            session.push("GUILD_CREATE", guild)
        return session

    async def _resume(self, conn: _Connection, data: JSON) -> GatewaySession | None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self._token:
            conn.queue.put_nowait(json.dumps({"op": 9, "d": False}))
            return None
        seq = data.get("seq")
        last_seen = seq if isinstance(seq, int) else 0
        if session.connection is not None and session.connection is not conn:
            old = session.connection
            old.queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await old.ws.close(code=4000, message=b"Session resumed elsewhere.")
        session.connection = conn
        for seq, frame in session.history:
            if seq > last_seen:
                conn.queue.put_nowait(frame)
        session.push("RESUMED", {"_trace": ["sandbox-gateway"]})
        return session

    def _chunk(self, session: GatewaySession, data: JSON) -> None:
        raw = str(data.get("guild_id", ""))
        with self._world.serving(int(raw) if raw.isdigit() else None):
            self._chunk_guild(session, data)

    def _chunk_guild(self, session: GatewaySession, data: JSON) -> None:
        world = self._world
        members = list(world.guild.members.values())
        wanted = data.get("user_ids")
        if not wanted and not data.get("query") and not data.get("limit"):
            # A request for ALL members (change-log.mdx:1470: limit 0 and an empty query). It needs the
            # GUILD_MEMBERS intent (gateway-events.mdx:187), and is limited to "1 request per guild per bot
            # every 30 seconds"; past that Discord answers with a RATE_LIMITED event (change-log.mdx:1476-1490,
            # gateway-events.mdx:1638-1668) instead of chunks.
            if not session.intents & GUILD_MEMBERS:
                # The docs say the intent "is required" but not what Discord answers without it: no chunk
                # is sent, and the request is recorded as a violation so a test that relies on it fails.
                self._on_violation(
                    "Request Guild Members for the whole list without the GUILD_MEMBERS intent"
                )
                return
            now = time.monotonic()
            last = self._last_full_request.get(world.guild.id)
            if last is not None and now - last < FULL_REQUEST_EVERY:
                meta: JSON = {"guild_id": str(world.guild.id)}
                if data.get("nonce") is not None:
                    meta["nonce"] = data["nonce"]
                retry_after = round(FULL_REQUEST_EVERY - (now - last), 3)
                session.push("RATE_LIMITED", {"opcode": 8, "retry_after": retry_after, "meta": meta})
                self.rate_limited_count += 1
                return
            self._last_full_request[world.guild.id] = now
        if wanted:
            ids = {int(u) for u in (wanted if isinstance(wanted, list) else [wanted])}
            members = [m for m in members if m.user_id in ids]
        elif data.get("query"):
            query = str(data["query"]).lower()
            members = [m for m in members if world.users[m.user_id].username.lower().startswith(query)]
        limit = data.get("limit") or 0
        if isinstance(limit, int) and limit > 0:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(world.guild.id),
            "members": [member_payload(world, m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        session.push("GUILD_MEMBERS_CHUNK", chunk)


INVALID_SHARD = (-1, -1)


def _valid_shard(raw: Any) -> tuple[int, int] | None:
    """IDENTIFY's `shard` (gateway.mdx:615): absent, or [shard_id, num_shards] with 0 <= shard_id <
    num_shards. INVALID_SHARD: anything else (4010)."""
    if raw is None:
        return None
    if (
        not isinstance(raw, list)
        or len(raw) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in raw)
    ):
        return INVALID_SHARD
    shard_id, count = raw
    return (shard_id, count) if count >= 1 and 0 <= shard_id < count else INVALID_SHARD


def _guild_of(event: str, data: Any) -> int | None:
    """The guild an event belongs to, for routing: its guild_id, or a guild event's own id."""
    if not isinstance(data, dict):
        return None
    raw = data.get("guild_id")
    if raw is None and event in ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"):
        raw = data.get("id")
    text = str(raw) if raw is not None else ""
    return int(text) if text.isdigit() else None

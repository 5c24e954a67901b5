"""The REST pipeline: route matching, auth, faults, rate limits, validation, logging, error replies."""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from sandbox.errors import ApiError, FieldError, form_error, json_response, unknown_channel, unknown_message
from sandbox.hub import Hub
from sandbox.messaging import UploadedFile
from sandbox.model import JSON, Channel, StoredMessage
from sandbox.permissions import perm
from sandbox.ratelimit import DEFAULT_POLICY, BucketPolicy
from sandbox.schema import SchemaGate, rejection

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
MAJOR_PARAMS = ("channel_id", "guild_id", "webhook_id", "interaction_id")


@dataclass
class RestCall:
    hub: Hub
    method: str
    path: str
    params: dict[str, str]
    query: Mapping[str, str]
    body: Any
    files: list[UploadedFile] = field(default_factory=list)

    def id_param(self, name: str, unknown: ApiError) -> int:
        raw = self.params[name]
        if not raw.isdigit():
            raise unknown
        return int(raw)

    def json(self) -> JSON:
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise form_error(
                [FieldError("", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")]
            )
        return self.body


Handler = Callable[[RestCall], Awaitable[web.Response]]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    policy: BucketPolicy
    auth: bool
    global_exempt: bool

    @property
    def placeholders(self) -> int:
        return self.template.count("{")


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(
        self,
        method: str,
        template: str,
        handler: Handler,
        *,
        policy: BucketPolicy = DEFAULT_POLICY,
        auth: bool = True,
        global_exempt: bool = False,
    ) -> None:
        regex = re.sub(
            r"\{(\w+)\}", r"(?P<\1>[^/]+)", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
        )
        self.routes.append(
            Route(method, template, re.compile(f"^{regex}/?$"), handler, policy, auth, global_exempt)
        )

    def route(self, method: str, template: str, **options: Any) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(method, template, handler, **options)
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        found = [(r, m) for r in self.routes if r.method == method and (m := r.pattern.match(path))]
        if not found:
            return None
        route, match = min(found, key=lambda pair: pair[0].placeholders)
        return route, match.groupdict()


FILE_LIMIT = 10 * 1024 * 1024  # reference.mdx:430: "The default limit is 10 MiB" per file
REQUEST_LIMIT = (
    25 * 1024 * 1024
)  # message.mdx:1072: "The maximum request size when sending a message is 25 MiB"


def check_upload_sizes(files: list[UploadedFile]) -> None:
    """413 40005 "Request entity too large" (opcodes-and-status-codes.mdx:239) past either limit."""
    if any(len(f.data) > FILE_LIMIT for f in files) or sum(len(f.data) for f in files) > REQUEST_LIMIT:
        raise ApiError(413, 40005, "Request entity too large")


async def read_body(request: web.Request) -> tuple[Any, list[UploadedFile], str | None]:
    """(json body or payload_json, uploaded files, parse error message)."""
    if not request.can_read_body:
        return None, [], None
    content_type = request.content_type
    try:
        if content_type.startswith("multipart/"):
            body: Any = None
            files: list[UploadedFile] = []
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):
                    continue
                name = part.name or ""
                if name == "payload_json":
                    body = json.loads(await part.text() or "null")
                elif name.startswith("files[") or part.filename:
                    digits = re.findall(r"\d+", name)
                    index = int(digits[0]) if digits else len(files)
                    data = bytes(await part.read(decode=False))
                    ctype = part.headers.get("Content-Type", "")
                    files.append(UploadedFile(index, part.filename or f"file{index}", ctype, data))
            return body, files, None
        raw = await request.read()
        if not raw:
            return None, [], None
        return json.loads(raw), [], None
    except (ValueError, UnicodeDecodeError) as exc:
        return None, [], f"could not parse the request body: {exc}"


class RestApi:
    def __init__(self, hub: Hub, router: Router, schema: SchemaGate) -> None:
        self.hub = hub
        self.router = router
        self.schema = schema

    async def handle(self, request: web.Request) -> web.Response:
        method, path = request.method, request.path
        query = dict(request.query)
        body, files, parse_error = await read_body(request)
        params: dict[str, str] = {}
        response = await self._respond(request, query, body, files, parse_error, params)
        self._log(method, path, query, body, params, response.status)
        if files:
            self.hub.requests[-1]["files"] = [{"filename": f.filename, "size": len(f.data)} for f in files]
        return response

    async def _respond(
        self,
        request: web.Request,
        query: dict[str, str],
        body: Any,
        files: list[UploadedFile],
        parse_error: str | None,
        params: dict[str, str],
    ) -> web.Response:
        hub = self.hub
        method, path = request.method, request.path
        short = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else path
        headers: dict[str, str] = {}
        try:
            found = self.router.match(method, short)
            if found is None:
                raise ApiError(404, 0, "404: Not Found")
            route, matched = found
            params.update(matched)
            hub.world.set_serving(self._guild_named(params))
            if route.auth and request.headers.get("Authorization") != f"Bot {hub.bot_token}":
                raise ApiError(401, 0, "401: Unauthorized")
            fault = hub.take_fault(method, path)
            if fault is not None:
                return self._fault_reply(fault.status, fault.retry_after)
            major = next((params[k] for k in MAJOR_PARAMS if k in params), "")
            if "webhook_token" in params:
                major += ":" + params["webhook_token"]
            decision = hub.rate_limiter.check(
                f"{method} {route.template}", major, route.policy, global_exempt=route.global_exempt
            )
            headers = decision.headers
            if not decision.allowed:
                return self._rate_limited(decision.retry_after, decision.is_global, headers)
            if parse_error is not None:  # opcodes-and-status-codes.mdx:310
                raise ApiError(400, 50109, "The request body contains invalid JSON.")
            check_upload_sizes(files)
            violations = self.schema.check(method, path, query, body, uploads=bool(files))
            if violations:  # recorded here, once, with the layer that found it
                error = rejection(violations)
                source = "limit" if all(v.source == "limit" for v in violations) else "schema"
                hub.record_violation(method, path, 400, error.code, error.message, error.errors, source)
                error.violation = False
                raise error
            call = RestCall(hub, method, path, params, query, body, files)
            response = await route.handler(call)
            response.headers.update(headers)
            return response
        except ApiError as error:
            if error.violation:
                hub.record_violation(method, path, error.status, error.code, error.message, error.errors)
            return json_response(error.body(), error.status, headers)
        except Exception as exc:  # a sandbox bug must never look like a Discord 5xx
            log.error("sandbox handler crashed on %s %s\n%s", method, path, traceback.format_exc())
            message = f"sandbox internal error: {type(exc).__name__}: {exc}"
            hub.record_violation(method, path, 400, 0, message, None, "sandbox-bug")
            return json_response({"code": 0, "message": message}, 400, headers)

    def _log(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        body: Any,
        params: Mapping[str, str],
        status: int,
    ) -> None:
        world = self.hub.world
        dm_user: int | None = None
        channel_id = params.get("channel_id", "")
        record = None
        if params.get("interaction_id", "").isdigit():
            record = self.hub.interactions.get(int(params["interaction_id"]))
        elif "webhook_token" in params:
            record = self.hub.interactions.for_token(params["webhook_token"])
        if record is not None:
            channel_id = str(record.channel_id)
        if channel_id.isdigit():
            channel = world.channel(int(channel_id))
            if channel is not None and channel.is_dm:
                dm_user = channel.recipient_id
        if (
            path.endswith("/users/@me/channels")
            and isinstance(body, dict)
            and str(body.get("recipient_id", "")).isdigit()
        ):
            dm_user = int(body["recipient_id"])
        self.hub.requests.append(
            {
                "method": method,
                "path": path,
                "query": dict(query),
                "body": body,
                "time": time.time(),
                "status": status,
                "dm": dm_user is not None,
                "dm_user_id": str(dm_user) if dm_user else None,
            }
        )

    def _guild_named(self, params: dict[str, str]) -> int | None:
        """The guild this call is about (a world may hold two, see sandbox/model.py): the path's guild,
        the guild of the path's channel, or the guild of the interaction whose token it carries."""
        world = self.hub.world
        raw = params.get("guild_id", "")
        if raw.isdigit():
            return int(raw)
        raw = params.get("channel_id", "")
        if raw.isdigit():
            found = world.guild_of_channel(int(raw))
            return found.id if found is not None else None
        token = params.get("webhook_token") or params.get("interaction_token")
        record = self.hub.interactions.for_token(token) if token else None
        guild_id = str(record.payload.get("guild_id", "")) if record is not None else ""
        return int(guild_id) if guild_id.isdigit() else None

    @staticmethod
    def _fault_reply(status: int, retry_after: float) -> web.Response:
        if status == 429:
            return RestApi._rate_limited(retry_after, False, {})
        return json_response({"code": 0, "message": f"{status}: injected sandbox fault"}, status)

    @staticmethod
    def _rate_limited(retry_after: float, is_global: bool, headers: dict[str, str]) -> web.Response:
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}
        return json_response(
            body, 429, {**headers, "Via": "1.1 google", "Retry-After": str(max(1, round(retry_after)))}
        )


def channel_from(call: RestCall, key: str = "channel_id") -> Channel:
    """The channel named in the path; 404 Unknown Channel; 403 Missing Access if the bot can't see it."""
    raw = call.params[key]
    channel = call.hub.world.channel(int(raw)) if raw.isdigit() else None
    if channel is None:
        raise unknown_channel()
    if not channel.is_dm and not call.hub.bot_permissions(channel) & perm("view_channel"):
        raise ApiError(403, 50001, "Missing Access")
    return channel


def message_from(call: RestCall, channel: Channel, key: str = "message_id") -> StoredMessage:
    raw = call.params[key]
    stored = call.hub.world.messages.get(int(raw)) if raw.isdigit() else None
    if stored is None or stored.channel_id != channel.id or stored.ephemeral:
        raise unknown_message()
    return stored

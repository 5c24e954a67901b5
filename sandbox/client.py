"""A small async client for the sandbox's control API (tests, benchmarks, `python -m bot sandbox` users)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp

T = TypeVar("T")


class SandboxClientError(Exception):
    """A control call answered with an error status; `.status` and `.body` tell why."""

    def __init__(self, status: int, body: Any) -> None:
        detail = body.get("error") if isinstance(body, dict) else body
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.body = body


class SandboxClient:
    def __init__(self, base_url: str, *, timeout: float = 30.0, guild: int | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.serving_guild = guild  # a two-guild sandbox: control calls are about this guild (`?guild=`)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """Raw call: (status, parsed JSON or None), whatever the status."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        params = {"guild": str(self.serving_guild)} if self.serving_guild is not None else None
        async with self._session.request(method, self.base_url + path, json=body, params=params) as response:
            text = await response.text()
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = text
            return response.status, parsed

    async def _ok(self, method: str, path: str, body: Any = None) -> Any:
        status, parsed = await self.call(method, path, body)
        if status >= 400:
            raise SandboxClientError(status, parsed)
        return parsed

    # -- inspection ------------------------------------------------------------------------------
    async def health(self) -> dict[str, Any]:
        return dict(await self._ok("GET", "/_sandbox/health"))

    async def guild(self) -> dict[str, Any]:
        return dict(await self._ok("GET", "/_sandbox/guild"))

    async def commands(self) -> list[dict[str, Any]]:
        return list(await self._ok("GET", "/_sandbox/commands"))

    async def interaction(self, interaction_id: str | int) -> dict[str, Any]:
        return dict(await self._ok("GET", f"/_sandbox/interactions/{interaction_id}"))

    async def channel_messages(self, channel: str | int) -> list[dict[str, Any]]:
        return list(await self._ok("GET", f"/_sandbox/channels/{channel}/messages"))

    async def dms(self, user: str | int) -> list[dict[str, Any]]:
        return list(await self._ok("GET", f"/_sandbox/dms/{user}"))

    async def requests(self) -> list[dict[str, Any]]:
        return list(await self._ok("GET", "/_sandbox/requests"))

    async def violations(self) -> list[dict[str, Any]]:
        return list(await self._ok("GET", "/_sandbox/violations"))

    async def clear_violations(self) -> None:
        await self._ok("DELETE", "/_sandbox/violations")

    # -- acting as members -----------------------------------------------------------------------
    async def command(
        self,
        user: str | int,
        command: str,
        options: dict[str, Any] | None = None,
        channel: str | int | None = None,
        locale: str | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"user": user, "command": command, "options": options or {}}
        if channel is not None:
            body["channel"] = channel
        if locale is not None:
            body["locale"] = locale
        return dict(await self._ok("POST", "/_sandbox/interactions/command", body))

    async def component(
        self, user: str | int, message_id: str | int, custom_id: str, values: list[Any] | None = None
    ) -> dict[str, Any]:
        body = {"user": user, "message_id": str(message_id), "custom_id": custom_id, "values": values or []}
        return dict(await self._ok("POST", "/_sandbox/interactions/component", body))

    async def modal(
        self, user: str | int, interaction_id: str | int, values: dict[str, str]
    ) -> dict[str, Any]:
        body = {"user": user, "interaction_id": str(interaction_id), "values": values}
        return dict(await self._ok("POST", "/_sandbox/interactions/modal", body))

    async def send_message(
        self,
        user: str | int,
        channel: str | int,
        content: str,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        body = {"user": user, "channel": channel, "content": content, "attachments": attachments or []}
        return dict(await self._ok("POST", "/_sandbox/messages", body))

    async def add_member(
        self, username: str, locale: str | None = None, roles: list[str | int] | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"username": username, "roles": roles or []}
        if locale is not None:
            body["locale"] = locale
        return dict(await self._ok("POST", "/_sandbox/members", body))

    async def remove_member(self, user: str | int) -> dict[str, Any]:
        """The member leaves the server; `add_member` with the same username brings them back."""
        return dict(await self._ok("DELETE", f"/_sandbox/members/{user}"))

    # -- test hooks ------------------------------------------------------------------------------
    async def set_overwrite(
        self,
        channel: str | int,
        target: str | int,
        allow: list[str] | None = None,
        deny: list[str] | None = None,
    ) -> dict[str, Any]:
        body = {"target": target, "allow": allow or [], "deny": deny or []}
        return dict(await self._ok("PUT", f"/_sandbox/channels/{channel}/overwrites", body))

    async def permissions(self, user: str | int, channel: str | int) -> dict[str, Any]:
        """{"permissions", "names", "view", "send"} for `user` in `channel`."""
        return dict(await self._ok("GET", f"/_sandbox/permissions?user={user}&channel={channel}"))

    async def set_role_permissions(self, role: str | int, permissions: int | list[str]) -> dict[str, Any]:
        return dict(await self._ok("PATCH", f"/_sandbox/roles/{role}", {"permissions": permissions}))

    async def fault(
        self, method: str, path: str, status: int, count: int = 1, retry_after: float = 0.1
    ) -> dict[str, Any]:
        body = {"method": method, "path": path, "status": status, "count": count, "retry_after": retry_after}
        return dict(await self._ok("POST", "/_sandbox/faults", body))

    async def gateway_reconnect(self) -> dict[str, Any]:
        return dict(await self._ok("POST", "/_sandbox/gateway/reconnect"))

    async def gateway_invalidate(self) -> dict[str, Any]:
        return dict(await self._ok("POST", "/_sandbox/gateway/invalidate"))

    async def set_dms_open(self, user: str | int, open_: bool) -> dict[str, Any]:
        return dict(await self._ok("POST", f"/_sandbox/users/{user}/dms", {"open": open_}))

    # -- waiting ---------------------------------------------------------------------------------
    @staticmethod
    async def wait_for(
        predicate: Callable[[], Awaitable[T]],
        timeout: float = 5.0,  # noqa: ASYNC109 - a polling helper with the brief's signature
        interval: float = 0.02,
    ) -> T:
        """Poll `predicate` until it returns something truthy (returned); TimeoutError after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            result = await predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout} s")
            await asyncio.sleep(interval)

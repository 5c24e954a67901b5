"""Discord-shaped error replies and the exceptions REST handlers raise to produce them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

JSON_HEADERS = {"Content-Type": "application/json"}


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON reply with Content-Type exactly `application/json` (discord.py needs it, facts §0.2)."""
    merged = dict(JSON_HEADERS)
    if headers:
        merged.update(headers)
    return web.Response(status=status, body=json.dumps(payload).encode(), headers=merged)


def no_content(headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=204, headers=headers or {})


@dataclass(frozen=True)
class FieldError:
    """One invalid field: dotted path ("embeds.0.title", "" for the whole body), code, message."""

    field: str
    code: str
    message: str


def nest_errors(errors: list[FieldError]) -> dict[str, Any]:
    """Build Discord's nested form-error object from dotted field paths."""
    root: dict[str, Any] = {}
    for error in errors:
        node = root
        for part in [p for p in error.field.split(".") if p]:
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": error.code, "message": error.message})
    return root


class ApiError(Exception):
    """Raised by REST handlers; becomes a Discord error reply (and maybe a recorded violation)."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: dict[str, Any] | None = None,
        *,
        violation: bool = True,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.violation = violation

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            data["errors"] = self.errors
        return data


def form_error(errors: list[FieldError]) -> ApiError:
    return ApiError(400, 50035, "Invalid Form Body", nest_errors(errors))


def missing_permissions() -> ApiError:
    return ApiError(403, 50013, "Missing Permissions")


def missing_access() -> ApiError:
    return ApiError(403, 50001, "Missing Access")


def unknown(kind: str, code: int) -> ApiError:
    """404 Unknown X: not a bot defect by itself (races happen), so not a violation."""
    return ApiError(404, code, f"Unknown {kind}", violation=False)


def unknown_channel() -> ApiError:
    return unknown("Channel", 10003)


def unknown_message() -> ApiError:
    return unknown("Message", 10008)


class ControlError(Exception):
    """A bad control-API request: answered 400 {"error": ...}."""

    def __init__(self, message: str, status: int = 400, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field  # the body field at fault, when one is

"""Reading a control request's JSON body: every error names the field and what it expects."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from sandbox.errors import ControlError
from sandbox.model import JSON

USER = "a user name such as alex, or a user id"
MESSAGE_ID = "the id of a message with components (from a channel listing or a command's answer)"
INTERACTION_ID = "the id of the interaction that opened the modal (the answer's interaction_id)"


async def read_body(request: web.Request) -> JSON:
    """The body as a JSON object (an empty body is {})."""
    if not request.can_read_body:
        return {}
    raw = await request.text()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ControlError(f"the body is not valid JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(body, dict):
        raise ControlError(f"the body must be a JSON object {{...}}, not {type(body).__name__}")
    return body


def missing(name: str, expected: str) -> ControlError:
    return ControlError(f"missing field '{name}': expected {expected}", field=name)


def wrong(name: str, value: Any, expected: str) -> ControlError:
    return ControlError(f"field '{name}' is {json.dumps(value)}: expected {expected}", field=name)


def text(body: JSON, name: str, expected: str, *, required: bool = True) -> str:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise missing(name, expected)
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise wrong(name, value, expected)
    return str(value).strip()


def snowflake(body: JSON, name: str, expected: str) -> int:
    value = text(body, name, expected)
    if not value.isdigit():
        raise wrong(name, body.get(name), expected)
    return int(value)


def mapping(body: JSON, name: str, expected: str) -> JSON:
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise wrong(name, value, expected)
    return value


def listing(body: JSON, name: str, expected: str) -> list[Any]:
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise wrong(name, value, expected)
    return value

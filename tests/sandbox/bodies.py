"""Request paths and body builders shared by the sandbox tests (test_limits, test_validation, and the
scheduled-event tests over raw HTTP)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.sandbox.recorded import START

CHANNEL = "/api/v10/channels/2/messages"
CALLBACK = "/api/v10/interactions/99/tok/callback"
FOLLOWUP = "/api/v10/webhooks/1/tok"
ORIGINAL = "/api/v10/webhooks/1/tok/messages/@original"
COMMANDS = "/api/v10/applications/1/commands"
EVENTS = "/api/v10/guilds/1/scheduled-events"


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def button(**fields: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "ok", "custom_id": "b", **fields}


def select(**fields: Any) -> dict[str, Any]:
    return {"type": 3, "custom_id": "s", "options": [{"label": "a", "value": "a"}], **fields}


def modal_reply(*rows: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"type": 9, "data": {"custom_id": "m", "title": "Question", "components": list(rows), **fields}}


def text_input(**fields: Any) -> dict[str, Any]:
    return row({"type": 4, "custom_id": "q", "style": 1, "label": "Question", **fields})


def event(
    start: dt.datetime = START, length: dt.timedelta = dt.timedelta(hours=1), **fields: Any
) -> dict[str, Any]:
    """An external scheduled event (a Zoom link) from `start`, `length` long; `fields` override."""
    return {
        "name": "Drop-in",
        "privacy_level": 2,
        "entity_type": 3,
        "scheduled_start_time": start.isoformat(),
        "scheduled_end_time": (start + length).isoformat(),
        "entity_metadata": {"location": "https://zoom.us/j/1"},
        **fields,
    }


def command(**fields: Any) -> dict[str, Any]:
    return {"name": "ping", "description": "Ping", "type": 1, **fields}


def option(**fields: Any) -> dict[str, Any]:
    return {"type": 3, "name": "word", "description": "a word", **fields}


X = "x"

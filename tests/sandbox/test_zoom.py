"""The sandbox's Zoom: events as Zoom shapes and signs them, rejoins, and refused control input."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from sandbox.errors import ControlError
from sandbox.zoom import SANDBOX_MEETING_ID, SANDBOX_ZOOM_SECRET, ZoomMeeting

NOW = datetime(2026, 12, 3, 16, 58, tzinfo=UTC)


def meeting() -> ZoomMeeting:
    return ZoomMeeting(clock=lambda: NOW)


def test_start_sends_meeting_started_for_the_sandbox_meeting() -> None:
    (body,) = meeting().events("start", 1)

    assert body["event"] == "meeting.started"
    assert body["payload"]["object"]["id"] == SANDBOX_MEETING_ID
    assert body["event_ts"] == int(NOW.timestamp() * 1000)


def test_deliveries_are_signed_as_zoom_signs_them() -> None:
    zoom = meeting()
    (body,) = zoom.events("start", 1)

    raw, headers = zoom.signed(body)

    ts = headers["x-zm-request-timestamp"]
    expected = hmac.new(SANDBOX_ZOOM_SECRET.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    assert headers["x-zm-signature"] == "v0=" + expected
    assert json.loads(raw) == body


def test_a_rejoin_is_the_same_person_with_a_new_per_join_id() -> None:
    zoom = meeting()
    zoom.events("start", 1)
    (first,) = zoom.events("join", 1)
    zoom.events("leave", 1)
    (again,) = zoom.events("join", 1)

    one, two = first["payload"]["object"]["participant"], again["payload"]["object"]["participant"]
    assert one["participant_uuid"] == two["participant_uuid"]
    assert one["user_id"] != two["user_id"]


def test_end_lets_everyone_leave_first() -> None:
    zoom = meeting()
    zoom.events("start", 1)
    zoom.events("join", 2)

    bodies = zoom.events("end", 1)

    assert [b["event"] for b in bodies] == ["meeting.participant_left"] * 2 + ["meeting.ended"]
    assert zoom.view()["running"] is False


@pytest.mark.parametrize(
    ("steps", "action"),
    [((), "join"), (("start",), "start"), ((), "end"), (("start",), "dance")],
)
def test_impossible_actions_are_refused(steps: tuple[str, ...], action: str) -> None:
    zoom = meeting()
    for step in steps:
        zoom.events(step, 1)

    with pytest.raises(ControlError):
        zoom.events(action, 1)


def test_more_people_cannot_leave_than_are_in() -> None:
    zoom = meeting()
    zoom.events("start", 1)
    zoom.events("join", 1)

    with pytest.raises(ControlError):
        zoom.events("leave", 2)

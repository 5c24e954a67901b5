"""Zoom's rules as pure functions: signatures, meeting ids, who a participant is, which occurrence."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.dropin import DropinException, DropinSchedule
from bot.domain.zoom import (
    WebhookRejected,
    keyed_hash,
    meeting_digits,
    occurrence_at,
    participant_identity,
    signature,
    verify,
)

NOW = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
SCHEDULE = DropinSchedule(guild_id=1)


def test_signature_is_hmac_sha256_of_v0_timestamp_and_raw_body() -> None:
    raw = b'{"event":"meeting.started"}'

    expected = hmac.new(b"s3cret", b"v0:1700000000:" + raw, hashlib.sha256).hexdigest()

    assert signature("s3cret", "1700000000", raw) == "v0=" + expected


def test_verify_accepts_a_fresh_correct_signature() -> None:
    ts = str(int(NOW.timestamp()))

    verify("s3cret", ts, signature("s3cret", ts, b"{}"), b"{}", NOW + timedelta(minutes=4))


@pytest.mark.parametrize("skew", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_verify_refuses_timestamps_outside_five_minutes(skew: timedelta) -> None:
    ts = str(int(NOW.timestamp()))

    with pytest.raises(WebhookRejected) as refused:
        verify("s3cret", ts, signature("s3cret", ts, b"{}"), b"{}", NOW + skew)
    assert refused.value.status == 401


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("850 1234 5678", "85012345678"),
        ("850-1234-5678", "85012345678"),
        ("https://zoom.us/j/85012345678?pwd=abc", "85012345678"),
        ("https://us02web.zoom.us/j/85012345678", "85012345678"),
        ("", ""),
        ("not a meeting", ""),
    ],
)
def test_meeting_digits(text: str, digits: str) -> None:
    assert meeting_digits(text) == digits


def test_participant_uuid_wins_over_names_and_emails() -> None:
    identity = participant_identity({"participant_uuid": "U1", "user_name": "Ana", "email": "a@x.org"})

    assert identity == "participant_uuid:u1"


def test_a_guest_without_ids_is_known_by_name() -> None:
    assert participant_identity({"user_id": "16001", "user_name": "Ana ", "id": ""}) == "user_name:ana"


def test_keyed_hashes_differ_between_meetings() -> None:
    assert keyed_hash(b"k1" * 16, "user_name:ana") != keyed_hash(b"k2" * 16, "user_name:ana")


def test_the_occurrence_window_opens_an_hour_early() -> None:
    found = occurrence_at(SCHEDULE, {}, NOW - timedelta(minutes=50))

    assert found is not None and found.key == date(2026, 12, 3)


def test_a_skipped_week_has_no_occurrence_to_count() -> None:
    skipped = {date(2026, 12, 3): DropinException(date(2026, 12, 3), skipped=True)}

    assert occurrence_at(SCHEDULE, skipped, NOW) is None


def test_a_monday_meeting_belongs_to_no_drop_in() -> None:
    assert occurrence_at(SCHEDULE, {}, NOW - timedelta(days=3)) is None

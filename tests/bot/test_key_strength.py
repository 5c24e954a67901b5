"""bot/key_strength.py: weak keys are refused with a reason; generated keys always pass."""

from __future__ import annotations

import base64

import pytest

from bot.key_strength import weakness
from bot.services.privacy import generate_keys


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (b"short", "too short"),
        (b"x" * 31, "too short"),
        (b"\x00" * 32, "every byte is the same"),
        (b"a" * 64, "every byte is the same"),
        (b"changeme" * 6, "repeats a 8-byte pattern"),
        (b"secret" * 6, "repeats a 6-byte pattern"),
        (b"0123456789abcdef" * 2, "repeats a 16-byte pattern"),
        (b"abababababababababababababababababab", "repeats a 2-byte pattern"),
        (b"aaaaaaaabbbbbbbbccccccccdddddddd", "too little entropy"),
        (b"passwordpassword1passwordpassword2", "too little entropy"),
    ],
)
def test_a_weak_key_is_refused_with_its_reason(key: bytes, reason: str) -> None:
    problem = weakness(key)
    assert problem is not None and reason in problem


@pytest.mark.parametrize("attempt", range(50))
def test_every_generated_key_passes(attempt: int) -> None:
    pseudonym_key, relay_key = generate_keys()
    assert weakness(pseudonym_key.encode()) is None
    assert weakness(base64.b64decode(relay_key)) is None


def test_a_hex_key_from_openssl_passes() -> None:
    assert weakness(b"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") is None

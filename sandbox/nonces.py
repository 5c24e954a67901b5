"""Enforced nonces: Discord's idempotent message creation.

`POST /channels/{id}/messages` with `"enforce_nonce": true` and a `nonce`: when the same author
created a message with the same nonce in that channel within the last few minutes, Discord answers
200 with that message and creates none (discord.py always sends `enforce_nonce: true` with its
nonce, http.py `handle_message_parameters`). If that message has since been deleted, Discord
answers 404 Unknown Message (discord.py documents this under `Messageable.send`'s NotFound).
The window runs on the sandbox clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

NONCE_WINDOW = timedelta(minutes=5)

NonceKey = tuple[int, int, str]


@dataclass(frozen=True)
class NoncedMessage:
    message_id: int
    created_at: datetime


class NonceRegistry:
    """The nonces of recently created messages, by (channel, author, nonce)."""

    def __init__(self, window: timedelta = NONCE_WINDOW) -> None:
        self.window = window
        self._seen: dict[NonceKey, NoncedMessage] = {}

    @staticmethod
    def key(channel_id: int, author_id: int, nonce: object) -> NonceKey:
        return (channel_id, author_id, str(nonce))

    def remember(self, channel_id: int, author_id: int, nonce: object, message_id: int, at: datetime) -> None:
        self._forget_expired(at)
        self._seen[self.key(channel_id, author_id, nonce)] = NoncedMessage(message_id, at)

    def recent(self, channel_id: int, author_id: int, nonce: object, now: datetime) -> int | None:
        """The id of the message created with this nonce within the window, if any."""
        self._forget_expired(now)
        found = self._seen.get(self.key(channel_id, author_id, nonce))
        return found.message_id if found is not None else None

    def _forget_expired(self, now: datetime) -> None:
        # A clock that went backwards makes ages negative: those entries are recent, not expired.
        expired = [key for key, seen in self._seen.items() if now - seen.created_at >= self.window]
        for key in expired:
            del self._seen[key]

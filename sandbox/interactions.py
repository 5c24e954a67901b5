"""Interaction records: what was dispatched, how the bot answered, and waiting for it."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from dataclasses import dataclass, field

from sandbox.model import JSON

ACK_DEADLINE_S = 3.0
TOKEN_LIFETIME_S = 15 * 60
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


@dataclass
class InteractionRecord:
    id: int
    type: int
    user_id: int
    channel_id: int
    payload: JSON
    token: str = field(default_factory=lambda: "sandbox-" + secrets.token_urlsafe(48))
    created_at: float = field(default_factory=time.monotonic)
    source_message_id: int | None = None  # component interactions: the clicked message
    parent_interaction_id: int | None = None  # modal submits: the interaction that opened it
    callback: JSON | None = None
    callback_at: float | None = None
    response_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    edits: list[JSON] = field(default_factory=list)
    acknowledged: asyncio.Event = field(default_factory=asyncio.Event)
    progressed: asyncio.Event = field(default_factory=asyncio.Event)
    progressed_at: float | None = None  # monotonic: the first followup or edit after the callback

    def mark_progressed(self) -> None:
        if self.progressed_at is None:
            self.progressed_at = time.monotonic()
        self.progressed.set()

    @property
    def expired(self) -> bool:
        return time.monotonic() - self.created_at > TOKEN_LIFETIME_S

    @property
    def callback_type(self) -> int | None:
        return None if self.callback is None else int(self.callback.get("type", 0))

    @property
    def modal(self) -> JSON | None:
        if self.callback is not None and self.callback.get("type") == 9:
            data = self.callback.get("data")
            return data if isinstance(data, dict) else None
        return None


class InteractionRegistry:
    def __init__(self) -> None:
        self.by_id: dict[int, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}

    def add(self, record: InteractionRecord) -> None:
        self.by_id[record.id] = record
        self.by_token[record.token] = record

    def get(self, interaction_id: int) -> InteractionRecord | None:
        return self.by_id.get(interaction_id)

    def for_token(self, token: str) -> InteractionRecord | None:
        return self.by_token.get(token)

    @staticmethod
    async def wait_for_outcome(record: InteractionRecord, deferred_timeout: float = 10.0) -> bool:
        """Wait for the callback (3 s); after a defer, for the first followup or edit. False on no callback."""
        remaining = ACK_DEADLINE_S - (time.monotonic() - record.created_at)
        try:
            await asyncio.wait_for(record.acknowledged.wait(), max(0.0, remaining) + 0.05)
        except TimeoutError:
            return record.acknowledged.is_set()
        if record.callback_type in (5, 6):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(record.progressed.wait(), deferred_timeout)
        return True

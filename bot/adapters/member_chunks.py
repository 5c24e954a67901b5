"""Request Guild Members answered with RATE_LIMITED: stop waiting at once, ask again when allowed.

Discord limits a request for all of a guild's members (gateway op 8 with an empty query and limit 0) to
"1 request per guild per bot every 30 seconds" and answers a request past that with a RATE_LIMITED
gateway event instead of member chunks (discord-api-docs developers/change-log.mdx:1464-1490,
developers/events/gateway-events.mdx:1638-1668). discord.py 2.7.1 has no parser for that event, so after
a quick re-identify it would wait for chunks that never come (its chunk timeout) before the bot is ready,
and keep a member cache holding only the bot. This adapter ends the pending request with what it has and
asks once more after `retry_after`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord

log = logging.getLogger(__name__)
REQUEST_GUILD_MEMBERS = 8


class MemberChunkRetry:
    def __init__(self, client: discord.Client) -> None:
        self._client = client
        self._pending: dict[int, asyncio.TimerHandle] = {}

    def install(self) -> None:
        """Registers the RATE_LIMITED parser on the client's gateway state (discord.py dispatches raw
        events by name through `ConnectionState.parsers`)."""
        self._client._connection.parsers["RATE_LIMITED"] = self.on_rate_limited

    def on_rate_limited(self, data: dict[str, Any]) -> None:
        if data.get("opcode") != REQUEST_GUILD_MEMBERS:
            return
        meta = data.get("meta") or {}
        guild_id = int(meta.get("guild_id") or 0)
        retry_after = float(data.get("retry_after") or 0.0)
        log.info("member list rate limited for guild %s; asking again in %.1f s", guild_id, retry_after)
        state = self._client._connection
        state.process_chunk_requests(guild_id, meta.get("nonce"), [], True)  # nobody waits for chunks
        if guild_id in self._pending:
            return
        loop = asyncio.get_running_loop()
        self._pending[guild_id] = loop.call_later(retry_after, self._ask_again, guild_id)

    def _ask_again(self, guild_id: int) -> None:
        self._pending.pop(guild_id, None)
        guild = self._client.get_guild(guild_id)
        if guild is None or guild.chunked or self._client.is_closed():
            return
        task = asyncio.get_running_loop().create_task(guild.chunk(cache=True))
        task.add_done_callback(_log_failure)

    def cancel(self) -> None:
        for handle in self._pending.values():
            handle.cancel()
        self._pending.clear()


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("member list not fetched again: %s", type(task.exception()).__name__)

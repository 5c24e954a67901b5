"""The communities a person who writes to the bot by DM belongs to, across shard processes.

DMs arrive on shard 0 only (bot/domain/shards.py), and a sharded process caches only the guilds of
its own shards. So the process holding shard 0 finds the sender in its own member cache, then asks
Discord (GET /guilds/{guild.id}/members/{user.id}) about each configured guild served by another
process. Unsharded, the member cache holds every guild and no request is made.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord
from aiolimiter import AsyncLimiter

from bot.adapters.membership import shared_guild_ids
from bot.domain.shards import Shards

log = logging.getLogger(__name__)


class SharedGuilds:
    def __init__(
        self,
        client: discord.Client,
        shards: Shards,
        configured: Callable[[], Awaitable[list[int]]],
        limiter: AsyncLimiter,
    ) -> None:
        self._client = client
        self._shards = shards
        self._configured = configured
        self._limiter = limiter  # the bot's shared REST pace
        self._names: dict[int, str] = {}

    async def of(self, user_id: int) -> dict[int, str]:
        """Guild id → name, for every community the bot serves that has this person as a member."""
        # Our own guilds: the member cache, or Discord while a guild's member list is incomplete.
        ours = set(await shared_guild_ids(list(self._client.guilds), user_id, self._limiter))
        found = {g.id: g.name for g in self._client.guilds if g.id in ours}
        if not self._shards.sharded:
            return found
        for guild_id in await self._configured():
            if guild_id in found or self._shards.owns(guild_id):
                continue  # ours: answered above
            if await self._is_member(guild_id, user_id):
                found[guild_id] = await self._name(guild_id)
        return found

    async def _is_member(self, guild_id: int, user_id: int) -> bool:
        try:
            async with self._limiter:
                await self._client.http.get_member(guild_id, user_id)
        except discord.NotFound:
            return False
        except discord.HTTPException as exc:  # an unreachable guild is skipped, never fatal to the DM
            log.warning("membership lookup in another shard's guild failed: status=%s", exc.status)
            return False
        return True

    async def _name(self, guild_id: int) -> str:
        if guild_id not in self._names:
            try:
                async with self._limiter:
                    data = await self._client.http.get_guild(guild_id)
            except discord.HTTPException:
                return str(guild_id)  # the menu still offers it; the name is asked again next time
            self._names[guild_id] = str(data["name"])
        return self._names[guild_id]

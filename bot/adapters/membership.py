"""Which of the bot's guilds a person belongs to, even while the member cache is incomplete.

After a fresh IDENTIFY (an invalidated session, a restart) GUILD_CREATE holds only the bot's own member
without the GUILD_PRESENCES intent (discord-api-docs developers/events/gateway-events.mdx:182); the rest
come from Request Guild Members, which Discord limits to one request for all members per guild every
30 seconds and otherwise answers with RATE_LIMITED (change-log.mdx:1464-1490; see member_chunks.py).
Until the member list is back, a cache miss does not mean "not a member": for a guild whose list is
incomplete, the answer comes from Get Guild Member over REST
(developers/resources/guild.mdx "Get Guild Member", 404 Unknown Member when the person is not in it).
"""

from __future__ import annotations

import discord
from aiolimiter import AsyncLimiter


async def shared_guild_ids(guilds: list[discord.Guild], user_id: int, limiter: AsyncLimiter) -> list[int]:
    """The ids of `guilds` that `user_id` is a member of, in order. Trusts the cache for a guild whose
    member list is complete (the GUILD_MEMBERS intent keeps it current) and asks Discord otherwise;
    `limiter` paces those REST calls with the bot's other bot-initiated calls."""
    shared = []
    for guild in guilds:
        if guild.get_member(user_id) is not None or (
            not guild.chunked and await _fetched(guild, user_id, limiter)
        ):
            shared.append(guild.id)
    return shared


async def _fetched(guild: discord.Guild, user_id: int, limiter: AsyncLimiter) -> bool:
    try:
        async with limiter:
            member = await guild.fetch_member(user_id)
    except discord.NotFound:  # 10007 Unknown Member (or the guild is gone): not a member
        return False
    # Kept in the member cache, as a chunk would: that person's next DM needs no call, and the
    # GUILD_MEMBERS intent's remove and update events keep the entry current (what chunking relies on).
    guild._add_member(member)
    return True

"""shared_guild_ids: a cache miss in a guild whose member list is incomplete is checked with Discord."""

from __future__ import annotations

from typing import Any

import discord
from aiolimiter import AsyncLimiter

from bot.adapters.membership import shared_guild_ids

USER = 42


class _NotFoundResponse:
    status = 404
    reason = "Not Found"


class FakeGuild:
    def __init__(self, guild_id: int, *, cached: set[int], members: set[int], chunked: bool) -> None:
        self.id = guild_id
        self.chunked = chunked
        self._cached = cached
        self._members = members
        self.fetched: list[int] = []

    def get_member(self, user_id: int) -> object | None:
        return object() if user_id in self._cached else None

    async def fetch_member(self, user_id: int) -> object:
        self.fetched.append(user_id)
        if user_id not in self._members:
            raise discord.NotFound(_NotFoundResponse(), {"code": 10007, "message": "Unknown Member"})  # type: ignore[arg-type]
        return discord.Object(user_id)

    def _add_member(self, member: discord.Object, /) -> None:
        self._cached.add(member.id)


async def _shared(*guilds: FakeGuild) -> list[int]:
    found: list[Any] = list(guilds)
    return await shared_guild_ids(found, USER, AsyncLimiter(100, 1))


async def test_a_member_in_the_cache_is_shared_without_asking_discord() -> None:
    guild = FakeGuild(1, cached={USER}, members={USER}, chunked=False)

    assert await _shared(guild) == [1]
    assert guild.fetched == []


async def test_a_member_missing_from_an_incomplete_member_list_is_found_by_asking_discord() -> None:
    guild = FakeGuild(1, cached=set(), members={USER}, chunked=False)

    assert await _shared(guild) == [1]
    assert guild.fetched == [USER]


async def test_a_member_found_by_asking_discord_is_not_asked_about_again() -> None:
    guild = FakeGuild(1, cached=set(), members={USER}, chunked=False)

    await _shared(guild)

    assert await _shared(guild) == [1]
    assert guild.fetched == [USER]


async def test_unknown_member_from_discord_means_not_shared() -> None:
    guild = FakeGuild(1, cached=set(), members=set(), chunked=False)

    assert await _shared(guild) == []


async def test_a_complete_member_list_is_trusted_without_asking_discord() -> None:
    guild = FakeGuild(1, cached=set(), members={USER}, chunked=True)

    assert await _shared(guild) == []
    assert guild.fetched == []


async def test_only_the_guilds_the_person_is_in_are_returned_in_order() -> None:
    guilds = (
        FakeGuild(1, cached=set(), members={USER}, chunked=False),
        FakeGuild(2, cached=set(), members=set(), chunked=False),
        FakeGuild(3, cached={USER}, members={USER}, chunked=True),
    )

    assert await _shared(*guilds) == [1, 3]

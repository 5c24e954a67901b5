"""Community roles over Discord's REST API: only roles the members feature created are ever touched."""

from __future__ import annotations

from typing import Any

import discord

from bot.services.ports import DeliveryError

REASON = "community role chosen by the member"


class DiscordRoleAdmin:
    def __init__(self, client_source: Any) -> None:
        self._source = client_source  # DiscordPorts: the attached client and the shared pace

    @property
    def _client(self) -> discord.Client:
        client: discord.Client = self._source.client
        return client

    def role_exists(self, guild_id: int, role_id: int) -> bool:
        guild = self._client.get_guild(guild_id)
        if guild is None:
            raise DeliveryError("guild not in cache")
        return guild.get_role(role_id) is not None

    async def create_role(self, guild_id: int, name: str) -> int:
        # Not mentionable and no permissions: a community role says who someone is, it grants nothing.
        data = await self._source.deliver(
            lambda: self._client.http.create_role(
                guild_id, reason="community role", name=name[:100], mentionable=False, permissions="0"
            )
        )
        return int(data["id"])

    def role_name(self, guild_id: int, role_id: int) -> str | None:
        guild = self._client.get_guild(guild_id)
        role = guild.get_role(role_id) if guild else None
        return role.name if role else None

    async def rename_role(self, guild_id: int, role_id: int, name: str) -> None:
        await self._source.deliver(
            lambda: self._client.http.edit_role(guild_id, role_id, reason="community role", name=name[:100])
        )

    async def add_role(self, guild_id: int, user_id: int, role_id: int) -> None:
        await self._source.deliver(
            lambda: self._client.http.add_role(guild_id, user_id, role_id, reason=REASON)
        )

    async def remove_role(self, guild_id: int, user_id: int, role_id: int) -> None:
        await self._source.deliver(
            lambda: self._client.http.remove_role(guild_id, user_id, role_id, reason=REASON)
        )

"""GuildAdmin over Discord's REST API (explicit payloads, so overwrites carry exact role/member types)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import discord

from bot.adapters.discord_text import granted_permissions
from bot.services.ports import DeliveryError, GuildFacts, PermissionOverwrite

TEXT: Literal[0] = 0
CATEGORY: Literal[4] = 4
CATEGORY_LIMIT = 50


def permission_value(names: frozenset[str]) -> int:
    return discord.Permissions(**dict.fromkeys(names, True)).value


def _overwrite_payload(overwrite: PermissionOverwrite) -> dict[str, Any]:
    return {
        "id": str(overwrite.target_id),
        "type": 0 if overwrite.is_role else 1,
        "allow": str(permission_value(overwrite.allow)),
        "deny": str(permission_value(overwrite.deny)),
    }


class DiscordGuildAdmin:
    def __init__(self, client_source: Any) -> None:
        self._source = client_source  # DiscordPorts: gives the attached client and the shared pace

    @property
    def _client(self) -> discord.Client:
        client: discord.Client = self._source.client
        return client

    def _guild(self, guild_id: int) -> discord.Guild:
        guild = self._client.get_guild(guild_id)
        if guild is None:
            raise DeliveryError("guild not in cache")
        return guild

    def facts(self, guild_id: int) -> GuildFacts:
        guild = self._guild(guild_id)
        return GuildFacts(
            everyone_role_id=guild.default_role.id,
            bot_user_id=guild.me.id,
            bot_permissions=granted_permissions(guild.me.guild_permissions),
        )

    async def create_role(self, guild_id: int, name: str) -> int:
        data = await self._source.deliver(
            lambda: self._client.http.create_role(
                guild_id, reason="working group", name=name[:100], mentionable=True, permissions="0"
            )
        )
        return int(data["id"])

    async def category_with_room(self, guild_id: int, base_name: str) -> int:
        guild = self._guild(guild_id)
        names = [base_name] + [f"{base_name} {n}" for n in range(2, 20)]
        for name in names:
            category = discord.utils.get(guild.categories, name=name)
            if category is not None and len(category.channels) < CATEGORY_LIMIT:
                return category.id
            if category is None:
                data = await self._source.deliver(
                    lambda name=name: self._client.http.create_channel(
                        guild_id, CATEGORY, name=name, reason="working groups"
                    )
                )
                return int(data["id"])
        raise DeliveryError("no category with room")

    async def create_text_channel(
        self, guild_id: int, name: str, category_id: int, overwrites: list[PermissionOverwrite], topic: str
    ) -> int:
        data = await self._source.deliver(
            lambda: self._client.http.create_channel(
                guild_id,
                TEXT,
                name=name[:100],
                parent_id=category_id,
                topic=topic or None,
                permission_overwrites=[_overwrite_payload(o) for o in overwrites],
                reason="working group",
            )
        )
        return int(data["id"])

    async def update_channel(
        self,
        channel_id: int,
        *,
        category_id: int | None = None,
        overwrites: list[PermissionOverwrite] | None = None,
        topic: str | None = None,
    ) -> None:
        options: dict[str, Any] = {}
        if category_id is not None:
            options["parent_id"] = category_id
        if overwrites is not None:
            options["permission_overwrites"] = [_overwrite_payload(o) for o in overwrites]
        if topic is not None:
            options["topic"] = topic
        if options:
            await self._source.deliver(
                lambda: self._client.http.edit_channel(channel_id, reason="working group", **options)
            )

    async def add_role(self, guild_id: int, user_id: int, role_id: int) -> None:
        await self._source.deliver(
            lambda: self._client.http.add_role(guild_id, user_id, role_id, reason="working group")
        )

    async def remove_role(self, guild_id: int, user_id: int, role_id: int) -> None:
        await self._source.deliver(
            lambda: self._client.http.remove_role(guild_id, user_id, role_id, reason="working group")
        )

    async def pin(self, channel_id: int, message_id: int) -> None:
        await self._source.deliver(
            lambda: self._client.http.pin_message(channel_id, message_id, reason="charter")
        )

    async def discard_channel(self, channel_id: int) -> None:
        await self._source.deliver(
            lambda: self._client.http.delete_channel(channel_id, reason="working group not created")
        )

    async def discard_role(self, guild_id: int, role_id: int) -> None:
        await self._source.deliver(
            lambda: self._client.http.delete_role(guild_id, role_id, reason="working group not created")
        )

    def channel_exists(self, guild_id: int, channel_id: int) -> bool:
        return self._guild(guild_id).get_channel(channel_id) is not None

    def role_exists(self, guild_id: int, role_id: int) -> bool:
        return self._guild(guild_id).get_role(role_id) is not None

    async def last_activity(self, channel_id: int) -> datetime | None:
        try:
            data = await self._source.deliver(lambda: self._client.http.get_channel(channel_id))
        except DeliveryError:
            return None
        last = data.get("last_message_id")
        return discord.utils.snowflake_time(int(last)) if last else None

    def display_name(self, guild_id: int, user_id: int) -> str:
        guild = self._client.get_guild(guild_id)
        member = guild.get_member(user_id) if guild else None
        return member.display_name if member else f"<@{user_id}>"

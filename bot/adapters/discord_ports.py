"""Discord implementations of the service ports, over REST only (they work before the cache is filled)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord
from discord.http import Route

from bot.services.ports import Announcement, DeliveryError, EventSpec

T = TypeVar("T")
EXTERNAL = 3
GUILD_ONLY = 2
CANCELED = 4
EMBED_COLOUR = discord.Colour.teal()


class DiscordPorts:
    """Announcer and ScheduledEvents for services; attached to the client once it exists."""

    def __init__(self) -> None:
        self._client: discord.Client | None = None

    def attach(self, client: discord.Client) -> None:
        self._client = client

    @property
    def client(self) -> discord.Client:
        if self._client is None:
            raise RuntimeError("DiscordPorts used before attach()")
        return self._client

    async def post(self, channel_id: int, announcement: Announcement) -> int:
        channel = self.client.get_partial_messageable(channel_id)
        mentions = discord.AllowedMentions(
            everyone=False,
            users=False,
            replied_user=False,
            roles=[discord.Object(announcement.ping_role_id)] if announcement.ping_role_id else False,
        )
        embeds = [
            discord.Embed(title=e.title, description=e.description, colour=EMBED_COLOUR)
            for e in announcement.embeds
        ]
        message = await _deliver(
            lambda: channel.send(
                content=announcement.content or None,
                embeds=embeds,
                allowed_mentions=mentions,
                nonce=announcement.nonce,
            )
        )
        return message.id

    async def create_event(self, guild_id: int, spec: EventSpec) -> int:
        # The raw route: discord.py drops entity_type/privacy_level when inferring them (DESIGN §5).
        route = Route("POST", "/guilds/{guild_id}/scheduled-events", guild_id=guild_id)
        data: dict[str, Any] = await _deliver(
            lambda: self.client.http.request(route, json=_event_payload(spec))
        )
        return int(data["id"])

    async def update_event(self, guild_id: int, event_id: int, spec: EventSpec) -> None:
        route = Route(
            "PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", guild_id=guild_id, event_id=event_id
        )
        await _deliver(lambda: self.client.http.request(route, json=_event_payload(spec)))

    async def cancel_event(self, guild_id: int, event_id: int) -> None:
        route = Route(
            "PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", guild_id=guild_id, event_id=event_id
        )
        await _deliver(lambda: self.client.http.request(route, json={"status": CANCELED}))


def _event_payload(spec: EventSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "description": spec.description,
        "privacy_level": GUILD_ONLY,
        "entity_type": EXTERNAL,
        "channel_id": None,
        "scheduled_start_time": spec.start.isoformat(),
        "scheduled_end_time": spec.end.isoformat(),
        "entity_metadata": {"location": spec.location},
    }


async def _deliver(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except discord.HTTPException as exc:
        raise DeliveryError(f"{type(exc).__name__} status={exc.status} code={exc.code}") from None

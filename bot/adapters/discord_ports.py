"""Discord implementations of the service ports, over REST only (they work before the cache is filled)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import discord
from aiolimiter import AsyncLimiter
from discord.http import Route

from bot.adapters.components import ComponentRegistry
from bot.adapters.discord_text import embed_of, embeds_of
from bot.adapters.uploads import as_files
from bot.domain.uploads import FILE_LIMIT, Upload, batches
from bot.errors import UserError
from bot.services.ports import Announcement, Card, DeliveryError, EventSpec, EventState

T = TypeVar("T")
EXTERNAL = 3
GUILD_ONLY = 2
COMPLETED, CANCELED = 3, 4
_STATES = {1: EventState.SCHEDULED, 2: EventState.ACTIVE}  # 3 COMPLETED and 4 CANCELED are final
MARKER_SCAN = 50  # messages read after an unconfirmed claim, looking for its marker


class DiscordPorts:
    """Announcer, ScheduledEvents and QuestionDesk for services; attached to the client once it exists."""

    def __init__(self, components: ComponentRegistry, limiter: AsyncLimiter) -> None:
        self._client: discord.Client | None = None
        self._components = components
        self._limiter = limiter

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
        embeds = [embed_of(e) for e in announcement.embeds]
        if embeds:  # the marker find_posted looks for: fetched messages carry no nonce (message.mdx:1081)
            embeds[-1].set_footer(text=announcement.nonce)
        message = await self.deliver(
            lambda: channel.send(
                content=announcement.content or None,
                embeds=embeds,
                allowed_mentions=mentions,
                nonce=announcement.nonce,
            )
        )
        return message.id

    async def find_posted(self, channel_id: int, marker: str, since: datetime) -> int | None:
        channel = self.client.get_partial_messageable(channel_id)
        bot_id = self.client.user.id if self.client.user else None

        async def scan() -> int | None:
            async for message in channel.history(limit=MARKER_SCAN, after=since - timedelta(minutes=1)):
                if message.author.id == bot_id and any(e.footer.text == marker for e in message.embeds):
                    return message.id
            return None

        return await self.deliver(scan)

    async def deliver(self, call: Callable[[], Awaitable[T]]) -> T:
        """Bot-initiated calls share one pace, under Discord's global 50 requests per second."""
        return await _deliver(call, self._limiter)

    # --- QuestionDesk ---------------------------------------------------------------------------
    async def post_card(self, channel_id: int, card: Card, nonce: str | None = None) -> int:
        channel = self.client.get_partial_messageable(channel_id)
        message = await self.deliver(
            lambda: channel.send(
                content=card.content or None,
                embeds=embeds_of(card),
                files=_files(card),
                view=self._components.view_for(card.actions, card.menu),
                allowed_mentions=_mentions(card),
                nonce=nonce or secrets.token_hex(8),
            )
        )
        return message.id

    async def find_card(self, channel_id: int, card: Card) -> int | None:
        if not card.embeds:
            return None
        first = card.embeds[0]
        channel = self.client.get_partial_messageable(channel_id)
        bot_id = self.client.user.id if self.client.user else None

        async def scan() -> int | None:
            async for message in channel.history(limit=MARKER_SCAN):
                shown = message.embeds[0] if message.embeds else None
                if (
                    message.author.id == bot_id
                    and shown is not None
                    and (shown.title, shown.description) == (first.title, first.description)
                ):
                    return message.id
            return None

        return await self.deliver(scan)

    async def edit_card(self, channel_id: int, message_id: int, card: Card) -> None:
        message = self.client.get_partial_messageable(channel_id).get_partial_message(message_id)
        await self.deliver(
            lambda: message.edit(
                content=card.content or None,
                embeds=embeds_of(card),
                attachments=_files(card),
                view=self._components.view_for(card.actions, card.menu),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        )

    async def delete_message(self, channel_id: int, message_id: int) -> None:
        message = self.client.get_partial_messageable(channel_id).get_partial_message(message_id)
        await self.deliver(lambda: message.delete())

    async def start_thread(self, channel_id: int, message_id: int, name: str) -> int:
        # The raw route: a partial message has no guild attached, which Message.create_thread requires.
        data: Any = await self.deliver(
            lambda: self.client.http.start_thread_with_message(
                channel_id, message_id, name=name[:100], auto_archive_duration=10080, rate_limit_per_user=None
            )
        )
        return int(data["id"])

    async def send_dm(self, user_id: int, card: Card) -> bool:
        try:
            channel = await self.deliver(lambda: self.client.create_dm(discord.Object(user_id)))
            await self.deliver(
                lambda: channel.send(
                    embeds=embeds_of(card),
                    view=self._components.view_for(card.actions, card.menu),
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            )
        except DeliveryError as exc:
            if exc.code == 50007:  # the person does not accept DMs from the bot
                return False
            raise
        return True

    # --- ScheduledEvents ------------------------------------------------------------------------
    async def create_event(self, guild_id: int, spec: EventSpec) -> int:
        # The raw route: discord.py drops entity_type/privacy_level when inferring them (DESIGN §5).
        route = Route("POST", "/guilds/{guild_id}/scheduled-events", guild_id=guild_id)
        data: dict[str, Any] = await self.deliver(
            lambda: self.client.http.request(route, json=_event_payload(spec))
        )
        return int(data["id"])

    async def update_event(self, guild_id: int, event_id: int, spec: EventSpec) -> None:
        route = Route(
            "PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", guild_id=guild_id, event_id=event_id
        )
        await self.deliver(lambda: self.client.http.request(route, json=_event_payload(spec)))

    async def cancel_event(self, guild_id: int, event_id: int) -> None:
        route = Route(
            "PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", guild_id=guild_id, event_id=event_id
        )
        await self.deliver(lambda: self.client.http.request(route, json={"status": CANCELED}))

    async def end_event(self, guild_id: int, event_id: int) -> None:
        route = Route(
            "PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", guild_id=guild_id, event_id=event_id
        )
        await self.deliver(lambda: self.client.http.request(route, json={"status": COMPLETED}))

    async def event_states(self, guild_id: int) -> dict[int, EventState]:
        events = await self.deliver(lambda: self.client.http.get_scheduled_events(guild_id, False))
        return {int(e["id"]): _STATES.get(int(e["status"]), EventState.FINISHED) for e in events}


def _files(card: Card) -> list[discord.File]:
    """A card is one message: its files must fit one (bot/domain/uploads.py), else it is refused clearly."""
    groups = batches([Upload(name, data) for name, data in card.files])
    if len(groups) > 1:
        name = card.files[0][0] if card.files else ""
        raise UserError("upload.too_large", name=name, limit=FILE_LIMIT // (1024 * 1024))
    return as_files(groups[0]) if groups else []


def _mentions(card: Card) -> discord.AllowedMentions:
    if card.ping_role_id is None:
        return discord.AllowedMentions.none()
    return discord.AllowedMentions(everyone=False, users=False, roles=[discord.Object(card.ping_role_id)])


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


async def _deliver(call: Callable[[], Awaitable[T]], limiter: AsyncLimiter | None = None) -> T:
    try:
        if limiter is None:
            return await call()
        async with limiter:
            return await call()
    except discord.HTTPException as exc:
        raise DeliveryError(
            f"{type(exc).__name__} status={exc.status} code={exc.code}", exc.status, exc.code
        ) from None

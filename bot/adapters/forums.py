"""ForumDesk over discord.py: a forum's tags from the cache, and a new post through the REST route."""

from __future__ import annotations

import io
from typing import Any

import discord

from bot.services.ports import Card, DeliveryError, ForumDesk

TITLE_MAX = 100  # a thread's name: 1-100 characters


class DiscordForums(ForumDesk):
    def __init__(self, ports: Any) -> None:
        self._ports = ports  # DiscordPorts: the attached client, the shared pace, the file conversion

    def _forum(self, channel_id: int) -> discord.ForumChannel | None:
        channel = self._ports.client.get_channel(channel_id)
        return channel if isinstance(channel, discord.ForumChannel) else None

    def forum_tags(self, channel_id: int) -> dict[str, int] | None:
        forum = self._forum(channel_id)
        if forum is None:
            return None
        return {tag.name.casefold(): tag.id for tag in forum.available_tags}

    async def start_post(self, forum_id: int, title: str, card: Card, tag_ids: tuple[int, ...]) -> int:
        forum = self._forum(forum_id)
        if forum is None:
            raise DeliveryError("not a forum channel", status=404)
        tags = [tag for tag in forum.available_tags if tag.id in tag_ids]
        files = [discord.File(io.BytesIO(content), filename=name) for name, content in card.files]
        created = await self._ports.deliver(
            lambda: forum.create_thread(
                name=title[:TITLE_MAX],
                content=card.content or None,
                files=files,
                applied_tags=tags,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        )
        return int(created.thread.id)

"""Publishing approved minutes in the minutes channel (a forum: one post per meeting), in Discord-sized
messages with the whole Markdown attached to the last. Amended minutes edit the same messages in place.
Every step is saved as it happens, so approving again after a failure resumes without duplicates."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.minutes import Minutes, Section, split_message
from bot.domain.settings import ChannelPurpose
from bot.errors import UserError
from bot.services.minutes_archive import MinutesArchive, message_link
from bot.services.minutes_text import MinutesText
from bot.services.ports import Card, DeliveryError, ForumDesk, MinutesDesk
from bot.services.settings import SettingsService
from db.repositories.minutes import MinutesRepository


class MinutesPublisher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: SettingsService,
        desk: MinutesDesk,
        text: MinutesText,
        archive: MinutesArchive,
        forums: ForumDesk | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._settings = settings
        self._desk = desk
        self._text = text
        self._archive = archive
        self._forums = forums

    async def channel(self, minutes: Minutes) -> int:
        """Where the minutes are (or go, the first time): a missing minutes channel is a UserError."""
        settings = await self._settings.get(minutes.guild_id)
        channel = minutes.published_channel_id or settings.channel(ChannelPurpose.MINUTES)
        if channel is None:
            raise UserError("minutes.error.no_channel")
        return channel

    async def publish(self, minutes: Minutes, approver: int) -> str:
        """Edit the messages already carrying the minutes, post the rest, delete any surplus; every
        step is saved as it happens, so approving again after a failure resumes without duplicates.
        Returns the link to the first message."""
        channel = await self.channel(minutes)
        markdown = await self._archive.markdown(minutes)
        chunks = split_message(markdown)
        filename = await self._archive.filename(minutes)
        ids = list(minutes.published_message_ids)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            card = Card(embeds=(), content=chunk, files=((filename, markdown.encode()),) if last else ())
            if not ids:  # nothing published yet, or all of it deleted: start from the configured channel
                channel = await self.channel(replace(minutes, published_channel_id=None))
                if (tags := self._forums.forum_tags(channel) if self._forums else None) is not None:
                    channel = await self._start_forum_post(minutes, channel, card, tags)
                    ids.append(channel)  # a forum post's first message has the post's id
                    await self._save_progress(minutes.id, channel, ids)
                    continue
            if index < len(ids):
                if await self._edited(channel, ids[index], card):
                    continue
                # Deleted by hand: repost from here on, so the channel still reads in order.
                await self._delete_all(channel, ids[index:])
                del ids[index:]
            nonce = f"mn{minutes.id}.{minutes.version}.{index}"  # a retry within minutes is dropped
            ids.append(await self._desk.post_card(channel, card, nonce=nonce))
            await self._save_progress(minutes.id, channel, ids)
        while len(ids) > len(chunks):
            await self._delete_all(channel, ids[-1:])
            ids.pop()
            await self._save_progress(minutes.id, channel, ids)
        changed = [s for s in Section if minutes.sections.get(s, "") != minutes.published_sections.get(s, "")]
        async with self._sessions.begin() as session:
            await MinutesRepository(session).mark_published(
                minutes, channel, ids, approver, changed, self._clock.now()
            )
        return message_link(minutes.guild_id, channel, ids[0])

    async def _start_forum_post(self, minutes: Minutes, forum: int, card: Card, tags: dict[str, int]) -> int:
        """One post per meeting: its title is the date and kind; its tags, those the forum has."""
        language = (await self._settings.get(minutes.guild_id)).language
        title = self._text.forum_title(minutes, await self._archive.group_name(minutes), language)
        assert self._forums is not None
        return await self._forums.start_post(forum, title, card, self._text.forum_tags(minutes, tags))

    async def _delete_all(self, channel: int, message_ids: list[int]) -> None:
        for message_id in message_ids:
            try:
                await self._desk.delete_message(channel, message_id)
            except DeliveryError as exc:
                if not exc.gone:  # already deleted is as good as deleted
                    raise

    async def _edited(self, channel: int, message_id: int, card: Card) -> bool:
        """False when the message is gone (deleted by hand): the caller posts it anew."""
        try:
            await self._desk.edit_card(channel, message_id, card)
        except DeliveryError as exc:
            if exc.gone:
                return False
            raise
        return True

    async def _save_progress(self, minutes_id: int, channel: int, ids: list[int]) -> None:
        async with self._sessions.begin() as session:
            await MinutesRepository(session).save_progress(minutes_id, channel, ids)

"""A hand-written fake of the MinutesDesk port and a MinutesService harness on a real database.

The harness builds the service and its MinutesArchive as bot/app.py does: real sessions, SettingsService, a
DropinService with a saved schedule (Thursdays 12:00 Toronto, 17:00 UTC in December), the working groups'
GroupAccess, one FixedClock shared by all of them, and MinutesText on the real catalogue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.dropin import DropinException
from bot.domain.groups import Group, Visibility, slug_for
from bot.domain.minutes import Minutes, Revision, Section
from bot.domain.settings import ChannelPurpose, Language, RolePurpose
from bot.i18n import default_catalog
from bot.services.group_access import Actor, GroupAccess
from bot.services.minutes import Meeting, MinutesService
from bot.services.minutes_archive import MinutesArchive, Published
from bot.services.minutes_text import MinutesText
from bot.services.ports import Card, DeliveryError
from db.models import GuildSettingsRow
from db.repositories.dropin import DropinRepository
from db.repositories.groups import GroupRepository
from db.repositories.minutes import MinutesRepository
from db.repositories.settings import SettingsRepository
from tests.bot.services.dropin_fakes import Harness

GUILD = 123456789012345678
OTHER_GUILD = 223456789012345678
MINUTES_CHANNEL = 366666666666666666
REVIEW_CHANNEL = 377777777777777777
WG_CHANNEL = 311111111111111111
FACILITATORS_CHANNEL = 322222222222222222
FACILITATOR_ROLE = 433333333333333333
# People: two facilitators (the two-person rule needs both), group leads and a plain member.
FIONA = 500000000000000005
GABRIEL = 500000000000000006
LEAD = 500000000000000001
OTHER_LEAD = 500000000000000007
ALEX = 500000000000000002
AS_FIONA = Actor(FIONA, facilitator=True)
AS_GABRIEL = Actor(GABRIEL, facilitator=True)
AS_LEAD = Actor(LEAD, facilitator=False)
AS_OTHER_LEAD = Actor(OTHER_LEAD, facilitator=False)
AS_ALEX = Actor(ALEX, facilitator=False)

# Thursday 2026-12-03: the drop-in ran 17:00-18:30 UTC (12:00 Toronto); it is now 18:40 UTC.
DROPIN_DAY = date(2026, 12, 3)
DROPIN_START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
PREVIOUS_DAY = date(2026, 11, 26)
NOW = datetime(2026, 12, 3, 18, 40, tzinfo=UTC)
SCHEDULE_SAVED = datetime(2025, 6, 2, 15, 0, tzinfo=UTC)  # a Monday, well before any date used

SHORT: dict[Section, str] = {
    Section.FACILITATORS: "Two facilitators",
    Section.NOTE_TAKER: "One volunteer",
    Section.ATTENDANCE: "14",
    Section.TOPICS: "Naloxone kits in rural pharmacies; drug checking results from Halifax.",
    Section.ACTIONS: "Facilitators: share the naloxone map.",
}


def paragraphs(subject: str, count: int) -> str:
    """Prose in paragraphs of about 190 characters, so that splitting has blank lines to cut at."""
    sentence = f"The group discussed {subject} and how peers can support each other safely. "
    return "\n\n".join(f"{n}. {sentence * 2}".strip() for n in range(1, count + 1))


# About 8,500 characters of Markdown: five messages.
LONG: dict[Section, str] = {
    **SHORT,
    Section.TOPICS: paragraphs("drug checking", 18),
    Section.RESOURCES: paragraphs("the naloxone map", 10),
    Section.DECISIONS: paragraphs("the next survey", 10),
    Section.ACTIONS: paragraphs("outreach roles", 6),
}


@dataclass
class FakeMessage:
    id: int
    channel_id: int
    card: Card
    edits: list[Card] = field(default_factory=list)

    @property
    def current(self) -> Card:
        return self.edits[-1] if self.edits else self.card


@dataclass(frozen=True)
class DeskCall:
    kind: str  # post, edit, delete, dm
    target: int  # the channel, or the user for a DM
    message_id: int | None
    card: Card | None


class FakeMinutesDesk:
    """Messages that exist, by id, with their edits; every call that went through, in order; DMs.

    `fail(kind, after=n)` lets n more calls of that kind (post, edit, delete, dm) through, then makes
    the next one raise DeliveryError. `during(kind, hook)` runs `hook` inside the next call of that
    kind, before it acts, to interleave another process. Editing or deleting a message that does not
    exist raises DeliveryError (NotFound), as Discord does. Users in `closed_dms` refuse DMs."""

    def __init__(self) -> None:
        self.messages: dict[int, FakeMessage] = {}
        self.calls: list[DeskCall] = []
        self.closed_dms: set[int] = set()
        self._fail_after: dict[str, int] = {}
        self._hooks: dict[str, Callable[[], Awaitable[None]]] = {}
        self._next_id = 910_000_000_000_000_000

    def fail(self, kind: str, *, after: int = 0) -> None:
        self._fail_after[kind] = after

    def during(self, kind: str, hook: Callable[[], Awaitable[None]]) -> None:
        self._hooks[kind] = hook

    async def _enter(self, kind: str) -> None:
        hook = self._hooks.pop(kind, None)
        if hook is not None:
            await hook()
        if kind in self._fail_after:
            if self._fail_after[kind] == 0:
                del self._fail_after[kind]
                raise DeliveryError(f"DiscordServerError status=503 code=0 ({kind})")
            self._fail_after[kind] -= 1

    # --- the port -------------------------------------------------------------------------------
    async def post_card(self, channel_id: int, card: Card, nonce: str | None = None) -> int:
        await self._enter("post")
        self._next_id += 1
        self.messages[self._next_id] = FakeMessage(self._next_id, channel_id, card)
        self.calls.append(DeskCall("post", channel_id, self._next_id, card))
        return self._next_id

    async def edit_card(self, channel_id: int, message_id: int, card: Card) -> None:
        await self._enter("edit")
        message = self.messages.get(message_id)
        if message is None or message.channel_id != channel_id:
            raise DeliveryError("NotFound status=404 code=10008 (message)", status=404, code=10008)
        message.edits.append(card)
        self.calls.append(DeskCall("edit", channel_id, message_id, card))

    async def delete_message(self, channel_id: int, message_id: int) -> None:
        await self._enter("delete")
        message = self.messages.get(message_id)
        if message is None or message.channel_id != channel_id:
            raise DeliveryError("NotFound status=404 code=10008 (message)", status=404, code=10008)
        del self.messages[message_id]
        self.calls.append(DeskCall("delete", channel_id, message_id, None))

    async def start_thread(self, channel_id: int, message_id: int, name: str) -> int:
        raise AssertionError("minutes never start threads")

    async def send_dm(self, user_id: int, card: Card) -> bool:
        await self._enter("dm")
        self.calls.append(DeskCall("dm", user_id, None, card))
        return user_id not in self.closed_dms

    # --- for tests ------------------------------------------------------------------------------
    def in_channel(self, channel_id: int) -> list[FakeMessage]:
        """Messages that exist in a channel, oldest first."""
        return sorted((m for m in self.messages.values() if m.channel_id == channel_id), key=lambda m: m.id)

    def count(self, kind: str, target: int | None = None) -> int:
        return sum(1 for c in self.calls if c.kind == kind and target in (None, c.target))

    @property
    def dms(self) -> list[DeskCall]:
        return [c for c in self.calls if c.kind == "dm"]


@dataclass(frozen=True)
class ForumPost:
    forum_id: int
    thread_id: int
    title: str
    tag_ids: tuple[int, ...]


class FakeForums:
    """Forum channels by id with their tags (name → id). A post is a thread whose first message,
    with the thread's id, is stored in the minutes desk, as Discord does."""

    def __init__(self, desk: FakeMinutesDesk) -> None:
        self.desk = desk
        self.tags: dict[int, dict[str, int]] = {}
        self.posts: list[ForumPost] = []

    def forum_tags(self, channel_id: int) -> dict[str, int] | None:
        return self.tags.get(channel_id)

    async def start_post(self, forum_id: int, title: str, card: Card, tag_ids: tuple[int, ...]) -> int:
        await self.desk._enter("post")
        self.desk._next_id += 1
        thread_id = self.desk._next_id
        self.desk.messages[thread_id] = FakeMessage(thread_id, thread_id, card)
        self.desk.calls.append(DeskCall("post", thread_id, thread_id, card))
        self.posts.append(ForumPost(forum_id, thread_id, title, tag_ids))
        return thread_id


def card_text(card: Card) -> str:
    """Everything a card says, for assertions."""
    parts = [card.content]
    for embed in card.embeds:
        parts += [embed.title, embed.description]
    parts += [action.label for action in card.actions]
    return "\n".join(parts)


def words(text: str) -> str:
    """The text with runs of whitespace made one space: chunks lose the blank lines they were cut at."""
    return " ".join(text.split())


class MinutesHarness:
    """The minutes service and archive on a real database, with fake Discord ports and one clock standing
    still."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.dropin = Harness(sessions)  # the drop-in service with its own fakes; its clock is ours
        self.clock = self.dropin.clock
        self.settings = self.dropin.settings
        self.groups = GroupAccess(sessions)
        self.desk = FakeMinutesDesk()
        self.forums = FakeForums(self.desk)
        self.text = MinutesText(default_catalog())
        self.archive = MinutesArchive(sessions, self.settings, self.dropin.service, self.groups, self.text)
        self.service = self.process()

    def process(self) -> MinutesService:
        """Another MinutesService on the same database and Discord, as a second process would be."""
        return MinutesService(
            self.sessions,
            self.clock,
            self.settings,
            self.dropin.service,
            self.groups,
            self.desk,
            self.text,
            self.archive,
            self.forums,
        )

    async def setup_guild(
        self,
        guild_id: int = GUILD,
        *,
        channels: Mapping[ChannelPurpose, int] | None = None,
        language: Language = "both",
        schedule_saved: datetime | None = SCHEDULE_SAVED,
    ) -> None:
        """Channels and the facilitator role, then the drop-in schedule saved at `schedule_saved`
        (None: no schedule). The clock is left at NOW."""
        if channels is None:
            channels = {
                ChannelPurpose.MINUTES: MINUTES_CHANNEL,
                ChannelPurpose.MINUTES_REVIEW: REVIEW_CHANNEL,
                ChannelPurpose.WORKING_GROUPS: WG_CHANNEL,
                ChannelPurpose.FACILITATORS: FACILITATORS_CHANNEL,
            }
        self.clock.set(schedule_saved or NOW)
        await self.settings.bootstrap(
            guild_id, channels, {RolePurpose.FACILITATOR: FACILITATOR_ROLE}, language
        )
        if schedule_saved is not None:
            await self.dropin.configure(guild_id)
        self.clock.set(NOW)

    async def set_channel(self, purpose: ChannelPurpose, channel_id: int, guild_id: int = GUILD) -> None:
        await self.settings.bootstrap(guild_id, {purpose: channel_id}, {})

    async def clear_channel(self, purpose: ChannelPurpose, guild_id: int = GUILD) -> None:
        async with self.sessions.begin() as session:
            await SettingsRepository(session).clear_channel(guild_id, purpose)

    async def require_two_reviewers(self, required: bool, guild_id: int = GUILD) -> None:
        async with self.sessions.begin() as session:
            await session.execute(
                update(GuildSettingsRow)
                .where(GuildSettingsRow.guild_id == guild_id)
                .values(minutes_two_reviewers=required)
            )

    async def save_exception(self, exception: DropinException, guild_id: int = GUILD) -> None:
        """A skipped or moved drop-in, straight in the database (the service refuses past dates)."""
        async with self.sessions.begin() as session:
            await DropinRepository(session).save_exception(guild_id, exception, self.clock.now())

    async def add_group(
        self,
        name: str,
        *,
        lead: int = LEAD,
        members: tuple[int, ...] = (),
        visibility: Visibility = Visibility.OPEN,
        guild_id: int = GUILD,
    ) -> Group:
        """A working group straight in the database: its lead and plain members (no Discord side)."""
        async with self.sessions.begin() as session:
            repo = GroupRepository(session)
            group = await repo.add(guild_id, name, slug_for(name), "About it.", visibility, self.clock.now())
            await repo.add_member(group.id, lead, self.clock.now(), lead=True)
            for member in members:
                await repo.add_member(group.id, member, self.clock.now())
        return group

    # --- walking the workflow -------------------------------------------------------------------
    async def meeting(
        self, day: date | None = DROPIN_DAY, *, group: str | None = None, actor: Actor = AS_FIONA
    ) -> Meeting:
        return await self.service.meeting(GUILD, day.isoformat() if day else None, group, actor)

    async def draft(
        self,
        day: date | None = DROPIN_DAY,
        sections: Mapping[Section, str] = SHORT,
        *,
        group: str | None = None,
        author: Actor = AS_FIONA,
    ) -> Minutes:
        meeting = await self.meeting(day, group=group, actor=author)
        started = await self.service.start(GUILD, meeting, author.user_id)
        return await self.service.save(started.id, author, dict(sections))

    async def submitted(
        self,
        day: date | None = DROPIN_DAY,
        sections: Mapping[Section, str] = SHORT,
        *,
        group: str | None = None,
        author: Actor = AS_FIONA,
    ) -> Minutes:
        minutes = await self.draft(day, sections, group=group, author=author)
        assert await self.service.submit(minutes.id, author, [], confirmed=True) == []
        return await self.get(minutes.id)

    async def published(
        self,
        day: date | None = DROPIN_DAY,
        sections: Mapping[Section, str] = SHORT,
        *,
        group: str | None = None,
        author: Actor = AS_FIONA,
        approver: Actor = AS_GABRIEL,
    ) -> Published:
        minutes = await self.submitted(day, sections, group=group, author=author)
        return await self.service.approve(minutes.id, approver)

    async def amend(self, *, actor: Actor = AS_FIONA) -> int:
        """Reopen the published drop-in minutes of DROPIN_DAY for `actor`; their id."""
        minutes = await self.service.amend(GUILD, await self.meeting(actor=actor), actor)
        return minutes.id

    async def amended(
        self, published: Published, sections: Mapping[Section, str], *, actor: Actor = AS_FIONA
    ) -> Published:
        """Amend published drop-in minutes with new section text, submit, and have the other facilitator approve."""
        minutes = published.minutes
        group = await self.archive.group_name(minutes) or None
        meeting = await self.service.meeting(GUILD, minutes.meeting_date.isoformat(), group, actor)
        await self.service.amend(GUILD, meeting, actor)
        await self.service.save(minutes.id, actor, dict(sections))
        assert await self.service.submit(minutes.id, actor, [], confirmed=True) == []
        return await self.service.approve(minutes.id, AS_GABRIEL if actor == AS_FIONA else AS_FIONA)

    async def get(self, minutes_id: int) -> Minutes:
        async with self.sessions() as session:
            found = await MinutesRepository(session).get(minutes_id)
        assert found is not None
        return found

    async def published_markdown(self, minutes_id: int) -> str:
        """The published text of the minutes, as /minutes show gives it."""
        return await self.archive.published_text(await self.get(minutes_id))

    async def revisions(self, minutes_id: int) -> list[Revision]:
        async with self.sessions() as session:
            return await MinutesRepository(session).revisions(minutes_id)

    def published_messages(self, channel_id: int = MINUTES_CHANNEL) -> list[FakeMessage]:
        return self.desk.in_channel(channel_id)

    def review_cards(self) -> list[FakeMessage]:
        return self.desk.in_channel(REVIEW_CHANNEL)


@pytest.fixture(name="harness")
async def harness_fixture(migrated_sessions: async_sessionmaker[AsyncSession]) -> MinutesHarness:
    """The minutes service with one guild set up (channels, facilitator role, drop-in schedule), at NOW.

    Test modules opt in with `harness_fixture = minutes_fakes.harness_fixture`."""
    harness = MinutesHarness(migrated_sessions)
    await harness.setup_guild()
    return harness

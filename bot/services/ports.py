"""How services reach the outside world. Implemented in bot/adapters (Discord) and scheduler/."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol


@dataclass(frozen=True)
class EmbedText:
    title: str
    description: str


@dataclass(frozen=True)
class Announcement:
    """A post the bot makes on its own. Only `ping_role_id` may ping; nothing in the text does."""

    embeds: tuple[EmbedText, ...]
    nonce: str  # deterministic per post: Discord drops a repeat sent with the same nonce
    content: str = ""
    ping_role_id: int | None = None


@dataclass(frozen=True)
class EventSpec:
    name: str
    description: str
    start: datetime
    end: datetime
    location: str


class DeliveryError(Exception):
    """Discord refused or failed an action. `reason` is safe to log: it never holds user text."""

    def __init__(self, reason: str, status: int | None = None, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.code = code

    @property
    def gone(self) -> bool:
        """The target no longer exists on Discord (deleted by hand, for instance)."""
        return self.status == 404


@dataclass(frozen=True)
class Action:
    """A button: `kind` names what it does (the adapter maps it to a persistent custom id)."""

    kind: str
    target_id: int
    label: str
    style: str = "secondary"  # primary, secondary, success, danger


@dataclass(frozen=True)
class Menu:
    """A select menu: `kind` names what choosing does; options are (label, value)."""

    kind: str
    target_id: int
    placeholder: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Card:
    """A message with embeds, buttons and at most one menu; text is localized. Only `ping_role_id`
    may ping (when set, `content` should mention that role)."""

    embeds: tuple[EmbedText, ...]
    actions: tuple[Action, ...] = ()
    content: str = ""
    menu: Menu | None = None
    ping_role_id: int | None = None
    files: tuple[tuple[str, bytes], ...] = ()  # (filename, content)


class QuestionDesk(Protocol):
    async def post_card(self, channel_id: int, card: Card, nonce: str | None = None) -> int: ...

    async def find_card(self, channel_id: int, card: Card) -> int | None:
        """The id of a recent post of the bot's in the channel showing this card's first embed, if any:
        what a retry checks once Discord's nonce (kept "the past few minutes") can no longer deduplicate."""
        ...

    async def edit_card(self, channel_id: int, message_id: int, card: Card) -> None: ...

    async def start_thread(self, channel_id: int, message_id: int, name: str) -> int: ...

    async def send_dm(self, user_id: int, card: Card) -> bool:
        """False when the user does not accept DMs from the bot."""
        ...


@dataclass(frozen=True)
class PermissionOverwrite:
    target_id: int
    is_role: bool
    allow: frozenset[str]
    deny: frozenset[str]


@dataclass(frozen=True)
class GuildFacts:
    """What the services need to know about a guild from Discord's side."""

    everyone_role_id: int
    bot_user_id: int
    bot_permissions: frozenset[str]


class GuildAdmin(Protocol):
    """Channels, roles and categories, for working groups."""

    def facts(self, guild_id: int) -> GuildFacts: ...

    async def create_role(self, guild_id: int, name: str) -> int: ...

    async def category_with_room(self, guild_id: int, base_name: str) -> int: ...

    async def create_text_channel(
        self, guild_id: int, name: str, category_id: int, overwrites: list[PermissionOverwrite], topic: str
    ) -> int: ...

    async def update_channel(
        self,
        channel_id: int,
        *,
        category_id: int | None = None,
        overwrites: list[PermissionOverwrite] | None = None,
        topic: str | None = None,
    ) -> None: ...

    async def add_role(self, guild_id: int, user_id: int, role_id: int) -> None: ...

    async def remove_role(self, guild_id: int, user_id: int, role_id: int) -> None: ...

    async def pin(self, channel_id: int, message_id: int) -> None: ...

    async def discard_channel(self, channel_id: int) -> None:
        """Delete a channel the bot made (undoing a creation Discord refused part-way)."""
        ...

    async def discard_role(self, guild_id: int, role_id: int) -> None:
        """Delete a role the bot made (undoing a creation Discord refused part-way)."""
        ...

    def channel_exists(self, guild_id: int, channel_id: int) -> bool: ...

    def role_exists(self, guild_id: int, role_id: int) -> bool: ...

    async def last_activity(self, channel_id: int) -> datetime | None:
        """When the channel's last message was posted (from its id; never its content)."""
        ...

    def display_name(self, guild_id: int, user_id: int) -> str: ...


class HeldQuestions(Protocol):
    """Anonymous questions approved to be raised at the next drop-in."""

    async def held_texts(self, guild_id: int) -> list[tuple[int, str]]:
        """(question id, text) of questions held for the next drop-in, oldest first."""
        ...

    async def mark_raised(self, question_ids: list[int]) -> None: ...


class MinutesDesk(QuestionDesk, Protocol):
    async def delete_message(self, channel_id: int, message_id: int) -> None: ...


class Announcer(Protocol):
    async def post(self, channel_id: int, announcement: Announcement) -> int:
        """Posts and returns the message id. The post carries `announcement.nonce` as a marker that
        `find_posted` can recognise later."""
        ...

    async def find_posted(self, channel_id: int, marker: str, since: datetime) -> int | None:
        """The id of the bot's own recent post in the channel carrying `marker`, sent after `since`."""
        ...


class EventState(StrEnum):
    SCHEDULED = "scheduled"
    ACTIVE = "active"
    FINISHED = "finished"  # COMPLETED or CANCELED: final, Discord refuses to edit it


class ScheduledEvents(Protocol):
    async def create_event(self, guild_id: int, spec: EventSpec) -> int: ...

    async def update_event(self, guild_id: int, event_id: int, spec: EventSpec) -> None: ...

    async def cancel_event(self, guild_id: int, event_id: int) -> None: ...

    async def end_event(self, guild_id: int, event_id: int) -> None:
        """Ends an ACTIVE event (the only change Discord allows on one that started)."""
        ...

    async def event_states(self, guild_id: int) -> dict[int, EventState]:
        """The guild's scheduled events as Discord has them now; a deleted event is absent."""
        ...


class Timers(Protocol):
    def at(self, job_id: str, when: datetime, func: Callable[..., Awaitable[Any]], *args: Any) -> None: ...

    def cancel(self, job_id: str) -> None: ...


class AttendanceCounts(Protocol):
    """Counted attendance of a drop-in (never names), offered to its minutes."""

    async def counts_text(self, guild_id: int, day: date, language: str) -> str:
        """The counts as a line for the minutes, or "" when none were counted."""


class ForumDesk(Protocol):
    """Forum channels (Discord type 15), where each post is a thread whose first message shares its id."""

    def forum_tags(self, channel_id: int) -> dict[str, int] | None:
        """The forum's available tags by lower-cased name; None when the channel is not a forum."""
        ...

    async def start_post(self, forum_id: int, title: str, card: Card, tag_ids: tuple[int, ...]) -> int:
        """Creates a post whose first message is `card`; returns the post's (thread's) id."""
        ...

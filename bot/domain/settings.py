"""Per-guild settings: which channel serves which purpose, which role, which language."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

Language = Literal["en", "fr", "both"]
LANGUAGES: tuple[Language, ...] = ("en", "fr", "both")


class ChannelPurpose(StrEnum):
    WELCOME = "welcome"
    ANNOUNCEMENTS = "announcements"
    DROPIN = "dropin"
    QUESTIONS = "questions"
    QUESTION_REVIEW = "question_review"
    MINUTES = "minutes"
    MINUTES_REVIEW = "minutes_review"
    WORKING_GROUPS = "working_groups"
    FACILITATORS = "facilitators"


class RolePurpose(StrEnum):
    FACILITATOR = "facilitator"
    MEMBER = "member"
    DROPIN_NOTIFY = "dropin_notify"


_POST = ("view_channel", "send_messages", "embed_links", "read_message_history")

# What the bot must hold in a channel to do its job there (Discord permission flag names).
REQUIRED_CHANNEL_PERMISSIONS: dict[ChannelPurpose, tuple[str, ...]] = {
    ChannelPurpose.WELCOME: _POST,
    ChannelPurpose.ANNOUNCEMENTS: _POST,
    ChannelPurpose.DROPIN: _POST,
    ChannelPurpose.QUESTIONS: (*_POST, "create_public_threads", "send_messages_in_threads"),
    ChannelPurpose.QUESTION_REVIEW: _POST,
    ChannelPurpose.MINUTES: (*_POST, "attach_files"),
    ChannelPurpose.MINUTES_REVIEW: (*_POST, "attach_files"),
    ChannelPurpose.WORKING_GROUPS: (*_POST, "pin_messages"),
    ChannelPurpose.FACILITATORS: _POST,
}


# Purposes a forum channel may serve, and what the bot needs there: creating a post takes
# SEND_MESSAGES (discord-api-docs, Start Thread in Forum or Media Channel), writing the rest of it
# SEND_MESSAGES_IN_THREADS, and the Markdown file ATTACH_FILES.
FORUM_CHANNEL_PERMISSIONS: dict[ChannelPurpose, tuple[str, ...]] = {
    ChannelPurpose.MINUTES: (*_POST, "attach_files", "send_messages_in_threads"),
}


def missing_permissions(
    purpose: ChannelPurpose, granted: frozenset[str], *, forum: bool = False
) -> list[str]:
    """The permissions the bot lacks for `purpose`, in a stable order."""
    required = FORUM_CHANNEL_PERMISSIONS[purpose] if forum else REQUIRED_CHANNEL_PERMISSIONS[purpose]
    return [name for name in required if name not in granted]


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    language: Language
    channels: dict[ChannelPurpose, int] = field(default_factory=dict)
    roles: dict[RolePurpose, int] = field(default_factory=dict)

    def channel(self, purpose: ChannelPurpose) -> int | None:
        return self.channels.get(purpose)

    def role(self, purpose: RolePurpose) -> int | None:
        return self.roles.get(purpose)


def is_facilitator(settings: GuildSettings, member_role_ids: frozenset[int], can_manage_guild: bool) -> bool:
    """Server managers always count, so a fresh server can name its facilitator role."""
    if can_manage_guild:
        return True
    role = settings.role(RolePurpose.FACILITATOR)
    return role is not None and role in member_role_ids


def parse_language(value: str) -> Language:
    """A stored or chosen language value; anything unknown reads as the bilingual default."""
    if value == "en":
        return "en"
    if value == "fr":
        return "fr"
    return "both"

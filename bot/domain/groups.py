"""Working groups: names, visibility, and the permission overwrites each state calls for."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.errors import UserError

NAME_MIN, NAME_MAX = 2, 40
CATEGORY_CHANNEL_LIMIT = 50  # Discord: at most 50 channels in a category
DESCRIPTION_MAX = 500
CADENCE_MAX = 100
ANNOUNCE_MAX = 1800


class Visibility(StrEnum):
    OPEN = "open"  # anyone sees the channel and may join
    REQUEST = "request"  # anyone sees the directory entry; a lead approves each join
    PRIVATE = "private"  # only members, leads and facilitators know it exists


@dataclass(frozen=True)
class Group:
    id: int
    guild_id: int
    name: str
    slug: str
    description: str
    visibility: Visibility
    cadence: str
    role_id: int | None
    channel_id: int | None
    charter_message_id: int | None
    archived: bool
    created_at: datetime


@dataclass(frozen=True)
class Membership:
    user_id: int
    lead: bool


@dataclass(frozen=True)
class Overwrite:
    """A channel permission overwrite, by Discord permission flag names."""

    target_id: int
    is_role: bool
    allow: frozenset[str] = frozenset()
    deny: frozenset[str] = frozenset()


READ = frozenset({"view_channel", "read_message_history"})
WRITE = frozenset({"send_messages", "send_messages_in_threads", "create_public_threads", "add_reactions"})
LEAD_EXTRA = frozenset({"manage_messages", "pin_messages"})
BOT = (
    READ
    | WRITE
    | frozenset({"embed_links", "attach_files", "manage_messages", "pin_messages", "manage_channels"})
)


def slug_for(name: str) -> str:
    """The Discord channel name for a group: lowercase, words joined by dashes, `wg-` first."""
    cleaned = check_name(name)
    lowered = cleaned.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")  # NFKD keeps ligatures
    folded = unicodedata.normalize("NFKD", lowered)
    ascii_words = re.sub(r"[^a-z0-9]+", "-", "".join(c for c in folded if not unicodedata.combining(c)))
    return "wg-" + ascii_words.strip("-")


def channel_name(name: str, prefix: str) -> str:
    """The Discord channel for a group, in the guild's language: `gt-santé-mentale`. Lowercase, words
    joined by dashes, accents kept (Discord allows any lowercase letter in a text channel's name)."""
    words = re.sub(r"[^\w]+|_", "-", check_name(name).lower())
    return f"{prefix}-{words.strip('-')}"[:100]


def check_name(name: str) -> str:
    cleaned = " ".join(name.replace("’", "'").split())  # phones type a curly apostrophe
    if not NAME_MIN <= len(cleaned) <= NAME_MAX or not re.fullmatch(r"[\w][\w '\-&]*", cleaned):
        raise UserError("groups.error.bad_name", name=name, min=NAME_MIN, max=NAME_MAX)
    if not re.search(r"[A-Za-z0-9]", unicodedata.normalize("NFKD", cleaned)):
        raise UserError("groups.error.bad_name", name=name, min=NAME_MIN, max=NAME_MAX)
    return cleaned


def check_length(text: str, limit: int, key: str) -> str:
    cleaned = text.strip()
    if len(cleaned) > limit:
        raise UserError(key, count=len(cleaned), limit=limit)
    return cleaned


def overwrites(
    visibility: Visibility,
    *,
    archived: bool,
    everyone_role_id: int,
    group_role_id: int,
    facilitator_role_id: int | None,
    bot_user_id: int,
    lead_ids: frozenset[int],
    grantable: frozenset[str] | None = None,
    shut_out: frozenset[int] = frozenset(),
) -> list[Overwrite]:
    """Exactly the view and post rights each state intends.

    open: everyone reads, members post. request and private: only members, leads and facilitators
    see the channel. Archived: everyone who could read still reads; nobody but the bot posts.

    `grantable`: the permissions the bot holds in the guild. Discord refuses an overwrite that allows or
    denies anything else, even one the bot's own overwrite on this channel gives it, so every overwrite
    (the bot's own included) is cut to them; the bot's real access comes from its role. `shut_out`: members
    who are leaving a group that is not open, denied the channel until their role is gone too."""
    everyone_sees = visibility is Visibility.OPEN
    write = frozenset() if archived else WRITE
    result = [
        Overwrite(
            everyone_role_id,
            True,
            allow=READ if everyone_sees else frozenset(),
            deny=(WRITE if everyone_sees else READ | WRITE),
        ),
        Overwrite(group_role_id, True, allow=READ | write, deny=WRITE if archived else frozenset()),
    ]
    if facilitator_role_id is not None:
        result.append(
            Overwrite(facilitator_role_id, True, allow=READ | write, deny=WRITE if archived else frozenset())
        )
    for lead in sorted(lead_ids):
        result.append(
            Overwrite(
                lead,
                False,
                allow=READ | write | (frozenset() if archived else LEAD_EXTRA),
                deny=WRITE if archived else frozenset(),
            )
        )
    for user_id in sorted(shut_out - lead_ids):
        if not everyone_sees:
            result.append(Overwrite(user_id, False, deny=READ | WRITE))
    result.append(Overwrite(bot_user_id, False, allow=BOT))
    if grantable is None or "administrator" in grantable:
        return result
    return [replace(o, allow=o.allow & grantable, deny=o.deny & grantable) for o in result]


def listed_in_directory(group: Group) -> bool:
    return not group.archived and group.visibility is not Visibility.PRIVATE

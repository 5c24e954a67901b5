"""Exactly-once delivery of drop-in posts without trusting Discord's nonce window.

A post is claimed in the database before it is sent and confirmed (its message id saved) after. A claim
left unconfirmed (the send failed, or the process died) is sent again while the post is still useful: a
start post until the meeting ends, a reminder or a skip notice until it starts, and only while no later
post of the same occurrence is due (that one replaces it). Discord deduplicates an enforced nonce only
"in the past few minutes" (discord-api-docs developers/resources/message.mdx:1092), so within
NONCE_WINDOW the retry carries the same nonce; after it, the channel's recent messages are searched for
the post's marker first (fetched messages carry no nonce: message.mdx:1081 says it appears in the
Message Create event), and the post is recorded, not sent again, when it is found.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.dropin import LATE_AFTER, DropinSchedule, Occurrence, PostKind, planned_posts
from bot.services.ports import Announcer, DeliveryError
from db.repositories.dropin import DropinRepository, PostRecord

log = logging.getLogger(__name__)

NONCE_WINDOW = timedelta(minutes=5)  # Discord deduplicates an enforced nonce for "the past few minutes"


@dataclass(frozen=True)
class Redelivery:
    """How to deliver an unconfirmed post again."""

    late: bool
    check_channel_first: bool


def redelivery(
    schedule: DropinSchedule, occurrence: Occurrence, record: PostRecord, now: datetime
) -> Redelivery | None:
    """What to do with an unconfirmed claim now; None when it is no longer worth posting."""
    if record.message_id is not None:
        return None
    posts = planned_posts(schedule, occurrence)
    post = next((p for p in posts if p.slug == record.slug), None)
    if post is None:  # the occurrence changed (skipped, reminders edited): its planned posts took over
        return None
    useful_until = occurrence.end if post.kind is PostKind.START else occurrence.start
    if now >= useful_until or any(p.due > post.due and p.due <= now for p in posts):
        return None
    late = post.kind is not PostKind.SKIPPED and (record.late or now - post.due > LATE_AFTER)
    return Redelivery(late=late, check_channel_first=now - record.claimed_at >= NONCE_WINDOW)


def retry_soon(
    schedule: DropinSchedule, occurrence: Occurrence, records: list[PostRecord], now: datetime
) -> bool:
    """Whether an unconfirmed post of this occurrence is still worth another attempt."""
    return any(redelivery(schedule, occurrence, record, now) is not None for record in records)


async def found_in_channel(
    announcer: Announcer,
    sessions: async_sessionmaker[AsyncSession],
    guild_id: int,
    channel_id: int | None,
    record: PostRecord,
    now: datetime,
) -> bool:
    """True when the post must not be sent now: it is already in the channel (then it is confirmed here),
    or the channel could not be read (the next attempt checks again). False: send it."""
    if channel_id is None:
        return False
    try:
        message_id = await announcer.find_posted(channel_id, record.nonce, record.claimed_at)
    except DeliveryError as exc:
        log.warning("drop-in channel not checked before a repost (%s): %s", record.slug, exc.reason)
        return True
    if message_id is None:
        return False
    log.info("unconfirmed drop-in post (%s) found in the channel; recorded, not sent again", record.slug)
    async with sessions.begin() as session:
        await DropinRepository(session).mark_posted(guild_id, record.occurrence, record.slug, message_id, now)
    return True

"""Tables. Repositories turn rows into plain dataclasses; nothing outside db/ sees these."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class GuildSettingsRow(Base):
    __tablename__ = "guild_settings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(8))
    questions_review: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    minutes_two_reviewers: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GuildChannelRow(Base):
    __tablename__ = "guild_channels"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)


class GuildRoleRow(Base):
    __tablename__ = "guild_roles"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    role_id: Mapped[int] = mapped_column(BigInteger)


class DropinScheduleRow(Base):
    __tablename__ = "dropin_schedules"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    weekday: Mapped[int] = mapped_column(Integer)
    local_time: Mapped[str] = mapped_column(String(5))  # "HH:MM"
    timezone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    minuted_minutes: Mapped[int] = mapped_column(Integer)
    join_url: Mapped[str] = mapped_column(String(512))
    meeting_id: Mapped[str] = mapped_column(String(32))
    passcode: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    ping_role_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    reminder_minutes: Mapped[str] = mapped_column(String(64))  # "1440,15"
    events_ahead: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    plan_from: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DropinExceptionRow(Base):
    __tablename__ = "dropin_exceptions"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[date] = mapped_column(Date, primary_key=True)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(String(1000), default="")
    moved_to: Mapped[str | None] = mapped_column(String(5), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    plan_from: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DropinTopicRow(Base):
    __tablename__ = "dropin_topics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), index=True
    )
    occurrence: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed: Mapped[bool] = mapped_column(Boolean, default=False)


class DropinPostRow(Base):
    """One row per (guild, occurrence, post): claimed before posting, so nothing is posted twice."""

    __tablename__ = "dropin_posts"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[date] = mapped_column(Date, primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(25))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DropinEventRow(Base):
    """The Discord scheduled event that mirrors one occurrence."""

    __tablename__ = "dropin_events"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[date] = mapped_column(Date, primary_key=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # None while being created
    fingerprint: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class QuestionDraftRow(Base):
    """A DM not yet submitted. `owner_tag` is a random salt and an HMAC of (salt, author): never their
    id, and never the same for two drafts of one person."""

    __tablename__ = "question_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_tag: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    guild_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    relay: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)  # the hourly purge


class QuestionCounterRow(Base):
    __tablename__ = "question_counters"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    last_number: Mapped[int] = mapped_column(Integer)


class QuestionRow(Base):
    """A submitted question (or, with `follows_id`, an asker's follow-up to one). The asker appears only
    as a random alias and, if they asked for answers, as a fixed-size AES-GCM sealed relay target
    deleted after the retention window. `deliver_after` is when it may reach reviewers (random delay)."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("guild_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    pseudonym: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    hold: Mapped[bool] = mapped_column(Boolean, default=False)
    asker_lang: Mapped[str] = mapped_column(String(8))  # the language to answer in; not identifying
    relay_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    relay_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    review_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    published_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    thread_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    follows_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    deliver_after: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class QuestionBlockRow(Base):
    """`pseudonym` is the asker's stable per-guild HMAC (so a block survives forget-me); `code` is
    what reviewers saw when they blocked, for /questions unblock."""

    __tablename__ = "question_blocks"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    pseudonym: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(8), server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuestionAliasRow(Base):
    """An asker's current alias in a guild, keyed by their pseudonym. Forget-me deletes the row (and
    replaces the alias on every earlier question), so the next question starts a new alias."""

    __tablename__ = "question_aliases"
    __table_args__ = (UniqueConstraint("guild_id", "alias"),)

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    pseudonym: Mapped[str] = mapped_column(String(32), primary_key=True)
    alias: Mapped[str] = mapped_column(String(32))


class WorkingGroupRow(Base):
    __tablename__ = "working_groups"
    __table_args__ = (UniqueConstraint("guild_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(64))
    slug: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500))
    visibility: Mapped[str] = mapped_column(String(16))
    cadence: Mapped[str] = mapped_column(String(100), default="")
    role_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    channel_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    charter_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    inactive_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GroupMemberRow(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    lead: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GroupRequestRow(Base):
    __tablename__ = "group_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))  # pending, approved, denied
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class GroupDirectoryRow(Base):
    __tablename__ = "group_directories"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)


class HonorariaOptInRow(Base):
    """Members who chose to have their participation recorded for honoraria. Private to facilitators."""

    __tablename__ = "honoraria_optins"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    opted_in_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GroupAttendanceRow(Base):
    __tablename__ = "group_attendance"

    group_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True
    )
    meeting_date: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MinutesRow(Base):
    """Minutes of one meeting: the drop-in of a date, or a working group's meeting of a date."""

    __tablename__ = "minutes"
    __table_args__ = (UniqueConstraint("guild_id", "meeting_key", "meeting_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE")
    )
    meeting_key: Mapped[str] = mapped_column(String(32))  # "dropin" or "wg:<group id>"
    meeting_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[int] = mapped_column(BigInteger)
    sections: Mapped[str] = mapped_column(Text)  # JSON object: section -> text
    published_sections: Mapped[str] = mapped_column(Text, default="{}")
    review_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    published_channel_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    published_message_ids: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MinutesRevisionRow(Base):
    __tablename__ = "minutes_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    minutes_id: Mapped[int] = mapped_column(Integer, ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(BigInteger)
    approved_by: Mapped[int] = mapped_column(BigInteger)
    sections_changed: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CommunityRoleRow(Base):
    """The Discord roles the bot manages for community roles. Who holds them lives in Discord only."""

    __tablename__ = "community_roles"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    role_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    role_id: Mapped[int] = mapped_column(BigInteger)


class MemberSettingsRow(Base):
    __tablename__ = "member_settings"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    welcome_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    picker_channel_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    picker_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class MemberWelcomeRow(Base):
    """A welcome sent, so a rejoin within a day is not welcomed twice. `member_tag` is an HMAC of
    (guild, member) under the server key, never the id; rows are deleted once a day has passed."""

    __tablename__ = "member_welcomes"

    member_tag: Mapped[str] = mapped_column(String(64), primary_key=True)
    welcomed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ZoomWebhookRow(Base):
    """A verified Zoom webhook, recorded before it is acknowledged and processed after (issue 10).

    Holds no name, e-mail or participant id: `participant` is a keyed hash whose key is discarded when
    the meeting ends."""

    __tablename__ = "zoom_webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(48))
    meeting_uuid: Mapped[str] = mapped_column(String(64))
    event_ts: Mapped[int] = mapped_column(BigInteger)
    participant: Mapped[str] = mapped_column(String(64), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)


class ZoomMeetingKeyRow(Base):
    """The per-meeting key for participant hashes; `hash_key` is erased when the meeting ends."""

    __tablename__ = "zoom_meeting_keys"

    meeting_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    hash_key: Mapped[bytes | None] = mapped_column(LargeBinary(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ZoomPresenceRow(Base):
    """Who is in a running meeting, as keyed hashes: joins minus leaves. Deleted when it ends."""

    __tablename__ = "zoom_presence"

    meeting_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant: Mapped[str] = mapped_column(String(64), primary_key=True)
    net: Mapped[int] = mapped_column(Integer)


class ZoomAttendanceRow(Base):
    """Per occurrence: counts (never names), and the once-only effects of the meeting's start and end."""

    __tablename__ = "zoom_attendance"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[date] = mapped_column(Date, primary_key=True)
    peak: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    live_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class GuildWebRow(Base):
    """A guild's public web token (calendar feed and page) and whether its page shows minutes."""

    __tablename__ = "guild_web"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guild_settings.guild_id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    web_minutes: Mapped[bool] = mapped_column(Boolean, default=False)
    rotated_at: Mapped[datetime] = mapped_column(UTCDateTime())

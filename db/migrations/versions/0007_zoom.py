"""Zoom: durable webhook records with their idempotency key, per-meeting hash keys and presence,
attendance counts per occurrence, and each guild's public web token and web-minutes switch.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _guild_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["guild_id"],
        ["guild_settings.guild_id"],
        name=op.f(f"fk_{table}_guild_id_guild_settings"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "zoom_webhooks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("event", sa.String(length=48), nullable=False),
        sa.Column("meeting_uuid", sa.String(length=64), nullable=False),
        sa.Column("event_ts", sa.BigInteger(), nullable=False),
        sa.Column("participant", sa.String(length=64), nullable=False),
        sa.Column("received_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("processed_at", db.types.UTCDateTime(), nullable=True),
        _guild_fk("zoom_webhooks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zoom_webhooks")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_zoom_webhooks_idempotency_key")),
    )
    with op.batch_alter_table("zoom_webhooks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zoom_webhooks_guild_id"), ["guild_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_zoom_webhooks_processed_at"), ["processed_at"], unique=False)
    op.create_table(
        "zoom_meeting_keys",
        sa.Column("meeting_uuid", sa.String(length=64), nullable=False),
        sa.Column("hash_key", sa.LargeBinary(length=32), nullable=True),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("meeting_uuid", name=op.f("pk_zoom_meeting_keys")),
    )
    op.create_table(
        "zoom_presence",
        sa.Column("meeting_uuid", sa.String(length=64), nullable=False),
        sa.Column("participant", sa.String(length=64), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("meeting_uuid", "participant", name=op.f("pk_zoom_presence")),
    )
    op.create_table(
        "zoom_attendance",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("occurrence", sa.Date(), nullable=False),
        sa.Column("peak", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("started_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("ended_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("live_message_id", sa.BigInteger(), nullable=True),
        _guild_fk("zoom_attendance"),
        sa.PrimaryKeyConstraint("guild_id", "occurrence", name=op.f("pk_zoom_attendance")),
    )
    op.create_table(
        "guild_web",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("web_minutes", sa.Boolean(), nullable=False),
        sa.Column("rotated_at", db.types.UTCDateTime(), nullable=False),
        _guild_fk("guild_web"),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_guild_web")),
        sa.UniqueConstraint("token", name=op.f("uq_guild_web_token")),
    )


def downgrade() -> None:
    op.drop_table("guild_web")
    op.drop_table("zoom_attendance")
    op.drop_table("zoom_presence")
    op.drop_table("zoom_meeting_keys")
    with op.batch_alter_table("zoom_webhooks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zoom_webhooks_processed_at"))
        batch_op.drop_index(batch_op.f("ix_zoom_webhooks_guild_id"))
    op.drop_table("zoom_webhooks")

"""Community roles the bot manages, per-guild welcome settings, and the welcome-once record.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "community_roles",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("role_key", sa.String(length=32), nullable=False),
        sa.Column("role_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guild_settings.guild_id"],
            name=op.f("fk_community_roles_guild_id_guild_settings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", "role_key", name=op.f("pk_community_roles")),
    )
    op.create_table(
        "member_settings",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("welcome_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("picker_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("picker_message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guild_settings.guild_id"],
            name=op.f("fk_member_settings_guild_id_guild_settings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_member_settings")),
    )
    op.create_table(
        "member_welcomes",
        sa.Column("member_tag", sa.String(length=64), nullable=False),
        sa.Column("welcomed_at", db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("member_tag", name=op.f("pk_member_welcomes")),
    )
    with op.batch_alter_table("member_welcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_welcomes_welcomed_at"), ["welcomed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("member_welcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_welcomes_welcomed_at"))
    op.drop_table("member_welcomes")
    op.drop_table("member_settings")
    op.drop_table("community_roles")

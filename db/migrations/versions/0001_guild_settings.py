"""Per-guild settings: language, channels by purpose, roles by purpose.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guild_settings",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_guild_settings")),
    )
    for table, column in (("guild_channels", "channel_id"), ("guild_roles", "role_id")):
        op.create_table(
            table,
            sa.Column("guild_id", sa.BigInteger(), nullable=False),
            sa.Column("purpose", sa.String(length=32), nullable=False),
            sa.Column(column, sa.BigInteger(), nullable=False),
            sa.ForeignKeyConstraint(
                ["guild_id"],
                ["guild_settings.guild_id"],
                name=op.f(f"fk_{table}_guild_id_guild_settings"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("guild_id", "purpose", name=op.f(f"pk_{table}")),
        )


def downgrade() -> None:
    op.drop_table("guild_roles")
    op.drop_table("guild_channels")
    op.drop_table("guild_settings")

"""Question privacy: random aliases (forget-me replaces them), block codes, follow-ups under review,
the random delivery delay, and per-draft salted owner tags.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_aliases",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("pseudonym", sa.String(length=32), nullable=False),
        sa.Column("alias", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guild_settings.guild_id"],
            name=op.f("fk_question_aliases_guild_id_guild_settings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", "pseudonym", name=op.f("pk_question_aliases")),
        sa.UniqueConstraint("guild_id", "alias", name=op.f("uq_question_aliases_guild_id")),
    )
    # Questions asked so far keep their code: their stored pseudonym becomes the asker's alias.
    op.execute(
        "INSERT INTO question_aliases (guild_id, pseudonym, alias) "
        "SELECT DISTINCT guild_id, pseudonym, pseudonym FROM questions"
    )
    with op.batch_alter_table("question_blocks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=8), server_default="", nullable=False))
    op.execute("UPDATE question_blocks SET code = substr(pseudonym, 1, 8)")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follows_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("deliver_after", db.types.UTCDateTime(), nullable=True))
    # Drafts carried the same tag for every draft of a person: they are short-lived, so drop them.
    op.execute("DELETE FROM question_drafts")
    with op.batch_alter_table("question_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_drafts_owner_tag"))


def downgrade() -> None:
    with op.batch_alter_table("question_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_drafts_owner_tag"), ["owner_tag"], unique=False)
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_column("deliver_after")
        batch_op.drop_column("follows_id")
    with op.batch_alter_table("question_blocks", schema=None) as batch_op:
        batch_op.drop_column("code")
    op.drop_table("question_aliases")

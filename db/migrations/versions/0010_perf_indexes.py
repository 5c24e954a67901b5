"""Indexes for the hourly purge: drafts by creation time, relay targets by expiry.

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("question_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_drafts_created_at"), ["created_at"], unique=False)
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questions_relay_expires_at"), ["relay_expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questions_relay_expires_at"))
    with op.batch_alter_table("question_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_drafts_created_at"))

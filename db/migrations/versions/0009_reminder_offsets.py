"""Drop-in plans: when a schedule was created and when its timing (or a week's) last changed.

`plan_from` lets the reconciler tell a post the bot missed while offline (posted late) from one that
only came to exist after its time had passed (an offset added, a time moved: never posted).
`created_at` lets minutes refuse drop-in dates from before the schedule existed. Both are NULL for
rows saved before this revision, which keeps their old behaviour.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dropin_schedules") as batch:
        batch.add_column(sa.Column("created_at", db.types.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("plan_from", db.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("dropin_exceptions") as batch:
        batch.add_column(sa.Column("plan_from", db.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dropin_exceptions") as batch:
        batch.drop_column("plan_from")
    with op.batch_alter_table("dropin_schedules") as batch:
        batch.drop_column("plan_from")
        batch.drop_column("created_at")

"""`INSERT … ON CONFLICT DO NOTHING`, spelled for whichever backend the session is on."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


def insert_ignoring_conflicts(session: AsyncSession, table: Any, **values: Any) -> Any:
    """An insert that leaves an existing row alone; `rowcount` tells whether it inserted."""
    # Imported here: each dialect's insert construct drags in that dialect (~40 ms at start-up).
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).values(**values).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).values(**values).on_conflict_do_nothing()

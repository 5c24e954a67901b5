"""Alembic, configured in code so that `python -m bot db upgrade` and the app's start share it.

Alembic (with Mako and its templates) is imported only when there is something to migrate: a start
on a database already at head reads the head from the revision files and one row from the database.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")
MIGRATION_LOCK = 0x6E7373636F70  # "nsscop": a PostgreSQL advisory lock id of our own


def alembic_config(url: str) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@cache
def head_revisions() -> frozenset[str]:
    """The revisions no other revision builds on, read from the files in versions/."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = _DOWN_REVISION.search(source)
        if down is not None:
            parents.update(_QUOTED.findall(down.group(1)))
    return frozenset(revisions - parents)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision` on the given engine's connection; nothing to do at head."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Sharded processes start together on one database: one migrates, the others wait here, then
            # find it at head. The lock ends with this transaction.
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        if revision == "head" and await connection.run_sync(_at_head):
            return
        await connection.run_sync(_upgrade_sync, revision)


def _at_head(connection: Connection) -> bool:
    try:
        with connection.begin_nested():  # a missing table must not spoil the outer transaction (PostgreSQL)
            current = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    except DBAPIError:
        return False
    heads = head_revisions()
    return bool(heads) and current == heads


def _upgrade_sync(connection: Connection, revision: str) -> None:
    from alembic import command

    config = alembic_config(connection.engine.url.render_as_string(hide_password=False))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)

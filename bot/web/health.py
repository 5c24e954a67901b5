"""GET /healthz: the Discord connection, the database, the scheduler and the next announcement."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.logs import exception_summary
from db.repositories.ops import OpsRepository
from scheduler import JobScheduler

log = logging.getLogger(__name__)
DATABASE_TIMEOUT = 2.0


class Health:
    def __init__(
        self,
        discord_connected: Callable[[], bool],
        sessions: async_sessionmaker[AsyncSession],
        scheduler: JobScheduler,
    ) -> None:
        self._discord_connected = discord_connected
        self._sessions = sessions
        self._scheduler = scheduler

    async def report(self) -> dict[str, Any]:
        problems = []
        discord = self._discord_connected()
        if not discord:
            problems.append("not connected to Discord")
        database = await self._database()
        if not database:
            problems.append("database unreachable")
        scheduler = self._scheduler.running
        if not scheduler:
            problems.append("scheduler stopped")
        following = self._scheduler.next_run("dropin:")
        return {
            "healthy": not problems,
            "reason": "; ".join(problems) or None,
            "discord": {"connected": discord},
            "database": {"ok": database},
            "scheduler": {"running": scheduler},
            "next_announcement": following.isoformat() if following else None,
        }

    async def _database(self) -> bool:
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT), self._sessions() as session:
                await OpsRepository(session).ping()
        except Exception as exc:
            log.warning("health: database check failed: %s", exception_summary(exc))
            return False
        return True

"""The web tests' server: a guild set up as the drop-in tests have it, served on a free port."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bot.web.harness import WebHarness, serving


@pytest.fixture
async def web(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[WebHarness]:
    harness = WebHarness(sessions)
    await harness.setup_guild()
    async with serving(harness):
        yield harness

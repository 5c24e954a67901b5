"""Fixtures for the drop-in service tests: the service on a real database with fake ports."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bot.services.dropin_fakes import Harness


@pytest.fixture
def dropin(sessions: async_sessionmaker[AsyncSession]) -> Harness:
    return Harness(sessions)

"""Fixtures for the drop-in and question service tests: the services on a real database with fake ports."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bot.services.dropin_fakes import Harness
from tests.bot.services.question_fakes import GUILD, QuestionHarness


@pytest.fixture
def dropin(sessions: async_sessionmaker[AsyncSession]) -> Harness:
    return Harness(sessions)


@pytest.fixture
async def questions(migrated_sessions: async_sessionmaker[AsyncSession]) -> QuestionHarness:
    """The question service with one guild whose questions and review channels are set up."""
    harness = QuestionHarness(migrated_sessions)
    await harness.setup_guild(GUILD)
    return harness

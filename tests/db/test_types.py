"""db/types.py: UTCDateTime stores UTC, returns aware UTC, refuses naive datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import GuildSettingsRow

GUILD = 123456789012345678
INSTANT = datetime(2026, 3, 8, 7, 0, 0, 123456, tzinfo=UTC)  # 02:00 EST → 03:00 EDT in Toronto


@pytest.mark.parametrize(
    "given",
    [
        pytest.param(INSTANT, id="utc"),
        pytest.param(INSTANT.astimezone(ZoneInfo("America/Toronto")), id="toronto"),
        pytest.param(INSTANT.astimezone(ZoneInfo("America/St_Johns")), id="st-johns-half-hour"),
        pytest.param(INSTANT.astimezone(timezone(timedelta(hours=5, minutes=30))), id="fixed-offset"),
    ],
)
async def test_aware_datetime_round_trips_as_the_same_instant_in_utc(
    sessions: async_sessionmaker[AsyncSession], given: datetime
) -> None:
    async with sessions.begin() as session:
        session.add(GuildSettingsRow(guild_id=GUILD, language="en", created_at=given, updated_at=given))

    async with sessions() as session:
        row = await session.get_one(GuildSettingsRow, GUILD)

    assert row.created_at == INSTANT
    assert row.created_at.utcoffset() == timedelta(0)
    assert row.created_at.microsecond == INSTANT.microsecond


async def test_stored_instants_compare_in_time_order(sessions: async_sessionmaker[AsyncSession]) -> None:
    # 10:00 in Toronto is later than 14:30 in UTC+5:30 on the same day: the DB must order instants.
    later_local = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("America/Toronto"))  # 15:00Z
    earlier_local = datetime(2026, 12, 3, 14, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))  # 09:00Z
    async with sessions.begin() as session:
        session.add(
            GuildSettingsRow(guild_id=1, language="en", created_at=later_local, updated_at=later_local)
        )
        session.add(
            GuildSettingsRow(guild_id=2, language="en", created_at=earlier_local, updated_at=earlier_local)
        )

    async with sessions() as session:
        first = await session.scalar(select(GuildSettingsRow.guild_id).order_by(GuildSettingsRow.created_at))

    assert first == 2


async def test_naive_datetime_is_refused_and_nothing_is_written(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    naive = datetime(2026, 12, 3, 17, 0)  # noqa: DTZ001 - the point of the test

    with pytest.raises(StatementError) as caught:
        async with sessions.begin() as session:
            session.add(GuildSettingsRow(guild_id=GUILD, language="en", created_at=naive, updated_at=naive))

    assert isinstance(caught.value.orig, ValueError)
    assert "naive" in str(caught.value.orig)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(GuildSettingsRow)) == 0

"""bot/services/community.py: the next drop-in, from the guild's schedule or the usual slot."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.services.community import CommunityService
from tests.bot.services.dropin_fakes import GUILD, Harness


async def test_without_a_guild_the_usual_thursday_noon_follows_the_clock(dropin: Harness) -> None:
    dropin.clock.set(datetime(2026, 12, 3, 16, 58, tzinfo=UTC))
    community = CommunityService(dropin.clock, dropin.service)

    assert await community.next_dropin(None) == datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    dropin.clock.advance(timedelta(minutes=2))
    assert await community.next_dropin(None) == datetime(2026, 12, 10, 17, 0, tzinfo=UTC)


async def test_a_guild_schedule_with_a_skipped_week_gives_the_following_one(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    await dropin.service.skip(GUILD, "2026-12-03", "holiday")
    community = CommunityService(dropin.clock, dropin.service)

    assert await community.next_dropin(GUILD) == datetime(2026, 12, 10, 17, 0, tzinfo=UTC)


async def test_the_guilds_own_time_is_shown(dropin: Harness) -> None:
    await dropin.configure(local_time=time(13, 30))  # a different usual time
    dropin.clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    community = CommunityService(dropin.clock, dropin.service)

    assert await community.next_dropin(GUILD) == datetime(2026, 12, 3, 18, 30, tzinfo=UTC)

"""bot/services/forget.py and erasers.py: every feature erased, each failure reported, never hidden."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.forget import Erased
from bot.domain.groups import Visibility
from bot.i18n import default_catalog
from bot.services.erasers import GroupsEraser, MinutesEraser, all_erasers
from bot.services.forget import ForgetMe
from bot.services.members_text import MembersText
from db.models import GroupAttendanceRow, GroupMemberRow, GroupRequestRow, HonorariaOptInRow, MinutesRow
from db.repositories.groups import GroupRepository
from db.repositories.minutes import MinutesRepository
from db.repositories.settings import SettingsRepository

GUILD = 123456789012345678
USER = 455555555555555555
OTHER = 466666666666666666
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TEXT = MembersText(default_catalog())


class Boom:
    feature = "questions"
    covers: frozenset[str] = frozenset()

    async def erase(self, user_id: int) -> Erased:
        raise RuntimeError("database went away")


class Fine:
    feature = "members"
    covers: frozenset[str] = frozenset()

    async def erase(self, user_id: int) -> Erased:
        return Erased("members", deleted=(("welcome", 1),))


async def test_one_failing_eraser_is_reported_and_the_others_still_run(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    report = await ForgetMe(migrated_sessions, [Boom(), Fine()], TEXT).forget(USER)
    assert [(e.feature, e.failed) for e in report.features] == [("questions", True), ("members", False)]
    assert not report.complete
    assert "not done" in TEXT.forgotten(report, "en")


def test_two_erasers_for_one_feature_are_refused() -> None:
    with pytest.raises(ValueError):
        ForgetMe(None, [Fine(), Fine()], TEXT)  # type: ignore[arg-type]


def test_the_registry_has_one_eraser_per_feature() -> None:
    erasers = all_erasers(None, None, None)  # type: ignore[arg-type]
    assert [e.feature for e in erasers] == ["questions", "dropin", "groups", "minutes", "members"]


async def _group_records(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "both", NOW)
        repo = GroupRepository(session)
        group = await repo.add(GUILD, "Peer support", "peer-support", "", Visibility.REQUEST, NOW)
        for user in (USER, OTHER):
            await repo.add_request(group.id, user, NOW)
            await repo.add_member(group.id, user, NOW)
            await repo.opt_in(GUILD, user, NOW)
            await repo.record_attendance(group.id, date(2026, 11, 26), user, NOW)
        return group.id


async def _count(sessions: async_sessionmaker[AsyncSession], model: type, user: int) -> int:
    async with sessions() as session:
        statement = select(func.count()).select_from(model).where(model.user_id == user)  # type: ignore[attr-defined]
        return int(await session.scalar(statement) or 0)


async def test_the_groups_eraser_deletes_only_the_callers_rows(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _group_records(migrated_sessions)
    erased = await GroupsEraser(migrated_sessions).erase(USER)
    assert dict(erased.deleted) == {"requests": 1, "memberships": 1, "honoraria_optin": 1, "attendance": 1}
    for model in (GroupRequestRow, GroupMemberRow, HonorariaOptInRow, GroupAttendanceRow):
        assert await _count(migrated_sessions, model, USER) == 0
        assert await _count(migrated_sessions, model, OTHER) == 1


async def test_the_minutes_eraser_unlinks_published_minutes_and_keeps_drafts_in_progress(
    migrated_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with migrated_sessions.begin() as session:
        await SettingsRepository(session).ensure(GUILD, "both", NOW)
        repo = MinutesRepository(session)
        published = await repo.add(GUILD, "dropin", date(2026, 11, 26), USER, NOW)
        await repo.add(GUILD, "dropin", date(2026, 12, 3), USER, NOW)
    async with migrated_sessions.begin() as session:
        row = await session.get(MinutesRow, published.id)
        assert row is not None
        row.status = "published"
    erased = await MinutesEraser(migrated_sessions).erase(USER)
    assert dict(erased.deleted)["authorship"] == 1
    assert dict(erased.kept) == {"in_progress": 1}
    async with migrated_sessions() as session:
        authors = sorted(await session.scalars(select(MinutesRow.author_id)))
    assert authors == [0, USER]

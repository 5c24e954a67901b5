"""Working groups, their members, join requests, the directory message, honoraria records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.groups import Group, Membership, Visibility
from db.models import (
    GroupAttendanceRow,
    GroupDirectoryRow,
    GroupMemberRow,
    GroupRequestRow,
    HonorariaOptInRow,
    WorkingGroupRow,
)
from db.repositories._insert import insert_ignoring_conflicts


@dataclass(frozen=True)
class JoinRequest:
    id: int
    group_id: int
    user_id: int
    status: str
    new: bool = False  # False when an earlier pending request was returned instead


@dataclass(frozen=True)
class AttendanceRecord:
    group_name: str
    meeting_date: date
    user_id: int


def _group(row: WorkingGroupRow) -> Group:
    return Group(
        id=row.id,
        guild_id=row.guild_id,
        name=row.name,
        slug=row.slug,
        description=row.description,
        visibility=Visibility(row.visibility),
        cadence=row.cadence,
        role_id=row.role_id,
        channel_id=row.channel_id,
        charter_message_id=row.charter_message_id,
        archived=row.archived,
        created_at=row.created_at,
    )


class GroupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # groups -----------------------------------------------------------------------------------
    async def add(
        self, guild_id: int, name: str, slug: str, description: str, visibility: Visibility, now: datetime
    ) -> Group:
        row = WorkingGroupRow(
            guild_id=guild_id,
            name=name,
            slug=slug,
            description=description,
            visibility=visibility.value,
            cadence="",
            archived=False,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _group(row)

    async def by_slug(self, guild_id: int, slug: str) -> Group | None:
        row = await self._session.scalar(
            select(WorkingGroupRow).where(WorkingGroupRow.guild_id == guild_id, WorkingGroupRow.slug == slug)
        )
        return _group(row) if row else None

    async def get(self, group_id: int) -> Group | None:
        row = await self._session.get(WorkingGroupRow, group_id)
        return _group(row) if row else None

    async def all(self, guild_id: int) -> list[Group]:
        rows = await self._session.scalars(
            select(WorkingGroupRow).where(WorkingGroupRow.guild_id == guild_id).order_by(WorkingGroupRow.name)
        )
        return [_group(row) for row in rows]

    async def guilds(self) -> list[int]:
        return list(await self._session.scalars(select(WorkingGroupRow.guild_id).distinct()))

    async def delete(self, group_id: int) -> None:
        await self._session.execute(delete(WorkingGroupRow).where(WorkingGroupRow.id == group_id))

    async def update(self, group_id: int, **values: object) -> None:
        await self._session.execute(
            update(WorkingGroupRow).where(WorkingGroupRow.id == group_id).values(**values)
        )

    async def inactive_reported_at(self, group_id: int) -> datetime | None:
        row = await self._session.get(WorkingGroupRow, group_id)
        return row.inactive_reported_at if row else None

    # members ----------------------------------------------------------------------------------
    async def members(self, group_id: int) -> list[Membership]:
        rows = await self._session.scalars(
            select(GroupMemberRow)
            .where(GroupMemberRow.group_id == group_id)
            .order_by(GroupMemberRow.joined_at)
        )
        return [Membership(row.user_id, row.lead) for row in rows]

    async def membership(self, group_id: int, user_id: int) -> Membership | None:
        row = await self._session.get(GroupMemberRow, (group_id, user_id))
        return Membership(row.user_id, row.lead) if row else None

    async def add_member(self, group_id: int, user_id: int, now: datetime, *, lead: bool = False) -> None:
        await self._session.execute(
            insert_ignoring_conflicts(
                self._session, GroupMemberRow, group_id=group_id, user_id=user_id, lead=lead, joined_at=now
            )
        )
        if lead:
            await self.set_lead(group_id, user_id, True)

    async def set_lead(self, group_id: int, user_id: int, lead: bool) -> None:
        await self._session.execute(
            update(GroupMemberRow)
            .where(GroupMemberRow.group_id == group_id, GroupMemberRow.user_id == user_id)
            .values(lead=lead)
        )

    async def remove_member(self, group_id: int, user_id: int) -> bool:
        result = await self._session.execute(
            delete(GroupMemberRow).where(
                GroupMemberRow.group_id == group_id, GroupMemberRow.user_id == user_id
            )
        )
        return bool(getattr(result, "rowcount", 0))

    # requests ---------------------------------------------------------------------------------
    async def add_request(self, group_id: int, user_id: int, now: datetime) -> JoinRequest:
        existing = await self._session.scalar(
            select(GroupRequestRow).where(
                GroupRequestRow.group_id == group_id,
                GroupRequestRow.user_id == user_id,
                GroupRequestRow.status == "pending",
            )
        )
        if existing is not None:
            return JoinRequest(existing.id, group_id, user_id, existing.status)
        row = GroupRequestRow(group_id=group_id, user_id=user_id, status="pending", created_at=now)
        self._session.add(row)
        await self._session.flush()
        return JoinRequest(row.id, group_id, user_id, row.status, new=True)

    async def request(self, request_id: int) -> JoinRequest | None:
        row = await self._session.get(GroupRequestRow, request_id)
        return JoinRequest(row.id, row.group_id, row.user_id, row.status) if row else None

    async def decide_request(self, request_id: int, status: str, now: datetime) -> bool:
        """True when this call made the decision (a pending request), False if already decided."""
        result = await self._session.execute(
            update(GroupRequestRow)
            .where(GroupRequestRow.id == request_id, GroupRequestRow.status == "pending")
            .values(status=status, decided_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    # directory --------------------------------------------------------------------------------
    async def directory(self, guild_id: int) -> tuple[int, int] | None:
        row = await self._session.get(GroupDirectoryRow, guild_id)
        return (row.channel_id, row.message_id) if row else None

    async def save_directory(self, guild_id: int, channel_id: int, message_id: int) -> None:
        await self._session.merge(
            GroupDirectoryRow(guild_id=guild_id, channel_id=channel_id, message_id=message_id)
        )

    # honoraria --------------------------------------------------------------------------------
    async def opt_in(self, guild_id: int, user_id: int, now: datetime) -> None:
        await self._session.execute(
            insert_ignoring_conflicts(
                self._session, HonorariaOptInRow, guild_id=guild_id, user_id=user_id, opted_in_at=now
            )
        )

    async def opt_out(self, guild_id: int, user_id: int) -> None:
        await self._session.execute(
            delete(HonorariaOptInRow).where(
                HonorariaOptInRow.guild_id == guild_id, HonorariaOptInRow.user_id == user_id
            )
        )

    async def opted_in(self, guild_id: int) -> set[int]:
        return set(
            await self._session.scalars(
                select(HonorariaOptInRow.user_id).where(HonorariaOptInRow.guild_id == guild_id)
            )
        )

    async def record_attendance(self, group_id: int, meeting_date: date, user_id: int, now: datetime) -> None:
        await self._session.execute(
            insert_ignoring_conflicts(
                self._session,
                GroupAttendanceRow,
                group_id=group_id,
                meeting_date=meeting_date,
                user_id=user_id,
                recorded_at=now,
            )
        )

    async def attendance(self, guild_id: int, start: date, end: date) -> list[AttendanceRecord]:
        rows = await self._session.execute(
            select(WorkingGroupRow.name, GroupAttendanceRow.meeting_date, GroupAttendanceRow.user_id)
            .join(WorkingGroupRow, WorkingGroupRow.id == GroupAttendanceRow.group_id)
            .join(
                HonorariaOptInRow,
                (HonorariaOptInRow.guild_id == WorkingGroupRow.guild_id)
                & (HonorariaOptInRow.user_id == GroupAttendanceRow.user_id),
            )
            .where(
                WorkingGroupRow.guild_id == guild_id,
                GroupAttendanceRow.meeting_date >= start,
                GroupAttendanceRow.meeting_date <= end,
            )
            .order_by(GroupAttendanceRow.meeting_date, WorkingGroupRow.name)
        )
        return [AttendanceRecord(name, day, user_id) for name, day, user_id in rows]

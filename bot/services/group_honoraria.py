"""Participation records for honoraria: members opt in, leads record who took part in a meeting,
facilitators export the records as a CSV file."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.errors import UserError
from bot.services.group_access import Actor, GroupAccess
from bot.services.group_context import GroupContext
from db.repositories.groups import GroupRepository


class GroupHonoraria:
    def __init__(self, context: GroupContext, access: GroupAccess) -> None:
        self._sessions, self._clock, self._settings = context.sessions, context.clock, context.settings
        self._admin, self._text = context.admin, context.text
        self._access = access

    async def opt_in(self, guild_id: int, user_id: int, opted_in: bool) -> None:
        async with self._sessions.begin() as session:
            repo = GroupRepository(session)
            await self._settings.ensure_in(session, guild_id)
            if opted_in:
                await repo.opt_in(guild_id, user_id, self._clock.now())
            else:
                await repo.opt_out(guild_id, user_id)

    async def record_attendance(
        self, guild_id: int, name: str, actor: Actor, meeting_date: date, user_ids: list[int]
    ) -> tuple[int, int]:
        """(recorded, skipped): only members who opted in are recorded."""
        group = await self._access.find_led(guild_id, name, actor)
        if meeting_date > self._clock.now().date():
            raise UserError("groups.error.future_date", date=meeting_date)
        async with self._sessions.begin() as session:
            repo = GroupRepository(session)
            opted = await repo.opted_in(guild_id)
            recorded = [u for u in dict.fromkeys(user_ids) if u in opted]
            for user_id in recorded:
                await repo.record_attendance(group.id, meeting_date, user_id, self._clock.now())
        return len(recorded), len(set(user_ids)) - len(recorded)

    async def export(self, guild_id: int, start: date, end: date) -> str:
        """CSV of recorded participation by opted-in members, for facilitators only (headers in the
        guild's language)."""
        if end < start:
            raise UserError("groups.error.bad_range")
        async with self._sessions() as session:
            records = await GroupRepository(session).attendance(guild_id, start, end)
        out = io.StringIO()
        writer = csv.writer(out)
        language = await self._language(guild_id)
        writer.writerow(self._text.csv_header(language))
        for record in records:
            writer.writerow(
                [
                    record.meeting_date.isoformat(),
                    _cell(record.group_name),
                    _cell(self._admin.display_name(guild_id, record.user_id)),
                    str(record.user_id),
                ]
            )
        return out.getvalue()

    async def export_filename(self, guild_id: int, start: date, end: date) -> str:
        return self._text.export_filename(await self._language(guild_id), start, end)

    async def _language(self, guild_id: int) -> str:
        return (await self._settings.get(guild_id)).language


def _cell(text: str) -> str:
    """A spreadsheet must not run a name beginning with = + - or @ as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text

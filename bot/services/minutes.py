"""Minutes: which meeting, who may write them, draft → review → publish → amend.

Publishing itself is MinutesPublisher's (bot/services/minutes_publishing.py); how minutes read and the
archive of published ones (list, show, search, export) are MinutesArchive's (minutes_archive.py)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.dropin import parse_date
from bot.domain.groups import Group
from bot.domain.minutes import (
    Draft,
    Minutes,
    Revision,
    Section,
    check_sections,
    mentions_people,
    missing_required,
)
from bot.domain.settings import ChannelPurpose
from bot.errors import UserError
from bot.services.dropin import DropinService
from bot.services.group_access import Actor, GroupAccess
from bot.services.minutes_archive import DROPIN, MinutesArchive, Published
from bot.services.minutes_publishing import MinutesPublisher
from bot.services.minutes_text import MinutesText
from bot.services.ports import AttendanceCounts, DeliveryError, ForumDesk, MinutesDesk
from bot.services.settings import SettingsService
from db.repositories.minutes import MinutesRepository

log = logging.getLogger(__name__)
EDITABLE = ("draft", "changes", "amending")


@dataclass(frozen=True)
class Meeting:
    key: str  # "dropin" or "wg:<group id>"
    day: date
    title: str  # a group's name, or "" for the drop-in
    start: datetime | None  # the drop-in's start, for the across-Canada line


class MinutesService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: SettingsService,
        dropin: DropinService,
        groups: GroupAccess,
        desk: MinutesDesk,
        text: MinutesText,
        archive: MinutesArchive,
        forums: ForumDesk | None = None,
        attendance: AttendanceCounts | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._settings = settings
        self._dropin = dropin
        self._groups = groups
        self._desk = desk
        self._text = text
        self._archive = archive
        self._publisher = MinutesPublisher(sessions, clock, settings, desk, text, archive, forums)
        self._attendance = attendance

    @property
    def text(self) -> MinutesText:
        """What the minutes cog replies with."""
        return self._text

    # --- which meeting ------------------------------------------------------------------------
    async def meeting(self, guild_id: int, day: str | None, group_name: str | None, actor: Actor) -> Meeting:
        """The drop-in of `day` (default: the most recent), or a working group's meeting of `day`."""
        if group_name:
            group = await self._groups.find(guild_id, group_name)
            await self._require_group_lead(group, actor)
            today = await self._dropin.today(guild_id)
            when = parse_date(day) if day else today
            if when > today:
                raise UserError("minutes.error.future", date=when)
            return Meeting(f"wg:{group.id}", when, group.name, None)
        if not actor.facilitator:
            raise UserError("error.not_facilitator")
        if day is None:
            latest = await self._dropin.latest_held(guild_id)
            if latest is None:
                raise UserError("minutes.error.unknown_date", date=self._clock.now().date())
            return Meeting(DROPIN, latest.key, "", latest.start)
        wanted = parse_date(day)
        held = await self._dropin.held_occurrence(guild_id, wanted)
        if held is None:  # not a drop-in day, skipped, or not started yet
            raise UserError("minutes.error.unknown_date", date=wanted)
        return Meeting(DROPIN, held.key, "", held.start)

    # --- drafting -------------------------------------------------------------------------------
    async def start(self, guild_id: int, meeting: Meeting, author_id: int) -> Minutes:
        async with self._sessions.begin() as session:
            repo = MinutesRepository(session)
            found = await repo.find(guild_id, meeting.key, meeting.day)
            if found is not None:
                if found.status == "published":
                    raise UserError("minutes.error.already_published", date=meeting.day)
                return found
            await self._settings.ensure_in(session, guild_id)
            created = await repo.add(guild_id, meeting.key, meeting.day, author_id, self._clock.now())
        return await self._offer_attendance(created)

    async def _offer_attendance(self, minutes: Minutes) -> Minutes:
        """A new drop-in draft starts with Zoom's counts in its attendance section, when there are any."""
        if self._attendance is None or minutes.meeting_key != DROPIN:
            return minutes
        language = (await self._settings.get(minutes.guild_id)).language
        counts = await self._attendance.counts_text(minutes.guild_id, minutes.meeting_date, language)
        if not counts:
            return minutes
        sections = {**minutes.sections, Section.ATTENDANCE: counts}
        async with self._sessions.begin() as session:
            await MinutesRepository(session).save_sections(minutes.id, sections, self._clock.now())
        return replace(minutes, sections=sections)

    async def save(self, minutes_id: int, actor: Actor, values: dict[Section, str]) -> Minutes:
        minutes = await self._editable(minutes_id, actor)
        merged = {**minutes.sections, **check_sections(values)}
        async with self._sessions.begin() as session:
            await MinutesRepository(session).save_sections(minutes_id, merged, self._clock.now())
        return await self._get(minutes_id)

    async def current(self, guild_id: int, meeting: Meeting) -> Minutes | None:
        async with self._sessions() as session:
            return await MinutesRepository(session).find(guild_id, meeting.key, meeting.day)

    async def submit(
        self,
        minutes_id: int,
        actor: Actor,
        member_names: Sequence[str | tuple[str, ...]],
        *,
        confirmed: bool,
    ) -> list[str]:
        """Sends the draft to review; returns the people it names (and does nothing) unless confirmed."""
        minutes = await self._editable(minutes_id, actor)
        missing = missing_required(Draft(minutes.sections))
        if missing:
            raise UserError("minutes.error.missing", section=missing[0])
        names = mentions_people("\n".join(minutes.sections.values()), member_names)
        if names and not confirmed:
            return names
        settings = await self._settings.get(minutes.guild_id)
        channel = settings.channel(ChannelPurpose.MINUTES_REVIEW)
        if channel is None:
            raise UserError("minutes.error.no_channel")
        async with self._sessions.begin() as session:
            moved = await MinutesRepository(session).set_status(
                minutes_id, "review", self._clock.now(), expected=EDITABLE
            )
        if not moved:
            raise UserError("minutes.error.not_editable")
        card = self._text.review_card(minutes, await self._archive.markdown(minutes), settings.language)
        try:
            message_id = await self._desk.post_card(channel, card)
        except DeliveryError:
            async with self._sessions.begin() as session:  # still editable: submitting again retries
                await MinutesRepository(session).set_status(
                    minutes_id, minutes.status, self._clock.now(), expected=("review",)
                )
            raise
        async with self._sessions.begin() as session:
            await MinutesRepository(session).set_review_message(minutes_id, message_id)
        return []

    # --- review ---------------------------------------------------------------------------------
    async def request_changes(self, minutes_id: int, actor: Actor, comment: str) -> Minutes:
        minutes = await self._reviewable(minutes_id, actor)
        async with self._sessions.begin() as session:
            if not await MinutesRepository(session).set_status(
                minutes_id, "changes", self._clock.now(), expected=("review",)
            ):
                raise UserError("minutes.error.not_in_review")
        await self._close_review_card(minutes, "requested")
        try:
            await self._desk.send_dm(
                minutes.author_id,
                self._text.changes_dm(
                    minutes,
                    comment.strip()[:1500],
                    await self._settings.dm_langs([minutes.guild_id], minutes.author_id),
                ),
            )
        except DeliveryError as exc:
            log.info("change request not delivered by DM: %s", exc.reason)
        return await self._get(minutes_id)

    async def approve(self, minutes_id: int, actor: Actor) -> Published:
        minutes = await self._reviewable(minutes_id, actor)
        async with self._sessions() as session:
            two = await MinutesRepository(session).two_reviewers(minutes.guild_id)
        if two and actor.user_id == minutes.author_id:
            raise UserError("minutes.error.own_minutes")
        await self._publisher.channel(minutes)  # a missing channel is said before anything changes
        async with self._sessions.begin() as session:
            if not await MinutesRepository(session).set_status(
                minutes_id, "publishing", self._clock.now(), expected=("review",)
            ):
                raise UserError("minutes.error.not_in_review")
        try:
            link = await self._publisher.publish(minutes, actor.user_id)
        except DeliveryError:
            async with self._sessions.begin() as session:  # back in review: approving again retries
                await MinutesRepository(session).set_status(
                    minutes_id, "review", self._clock.now(), expected=("publishing",)
                )
            raise
        published = Published(await self._get(minutes_id), link)
        await self._close_review_card(minutes, "published")
        return published

    async def reopen_interrupted(self) -> None:
        """At start: an approval cut short by a crash goes back to review, its review card still live.
        Approving again resumes from the messages already recorded, so nothing is posted twice."""
        async with self._sessions.begin() as session:
            reopened = await MinutesRepository(session).reopen_interrupted(self._clock.now())
        if reopened:
            log.warning("%d interrupted minutes approval(s) are back in review", reopened)

    # --- amending -------------------------------------------------------------------------------
    async def amend(self, guild_id: int, meeting: Meeting, actor: Actor) -> Minutes:
        found = await self.current(guild_id, meeting)
        if found is None or found.version == 0:
            raise UserError("minutes.error.not_published", date=meeting.day)
        async with self._sessions.begin() as session:
            repo = MinutesRepository(session)
            if not await repo.set_status(found.id, "amending", self._clock.now(), expected=("published",)):
                raise UserError("minutes.error.not_editable")
            await repo.set_author(found.id, actor.user_id)
        return await self._get(found.id)

    async def set_two_reviewers(self, guild_id: int, required: bool) -> None:
        """Whether an author may approve their own minutes (off) or needs a second facilitator (on)."""
        async with self._sessions.begin() as session:
            await self._settings.ensure_in(session, guild_id)
            await MinutesRepository(session).set_two_reviewers(guild_id, required)

    async def history(self, minutes_id: int) -> list[Revision]:
        async with self._sessions() as session:
            return await MinutesRepository(session).revisions(minutes_id)

    async def get(self, minutes_id: int) -> Minutes:
        return await self._get(minutes_id)

    # --- helpers --------------------------------------------------------------------------------
    async def _editable(self, minutes_id: int, actor: Actor) -> Minutes:
        minutes = await self._get(minutes_id)
        await self._may_act(minutes, actor)
        if minutes.status not in EDITABLE:
            raise UserError("minutes.error.not_editable")
        return minutes

    async def _reviewable(self, minutes_id: int, actor: Actor) -> Minutes:
        minutes = await self._get(minutes_id)
        if not actor.facilitator:
            raise UserError("error.not_facilitator")
        if minutes.status != "review":
            raise UserError("minutes.error.not_in_review")
        return minutes

    async def _may_act(self, minutes: Minutes, actor: Actor) -> None:
        """Drop-in minutes: facilitators. A group's minutes: its leads and facilitators, no other group's."""
        if minutes.meeting_key.startswith("wg:"):
            group = await self._groups.get(int(minutes.meeting_key[3:]))
            if group is None:
                raise UserError("minutes.error.unknown_date", date=minutes.meeting_date)
            await self._require_group_lead(group, actor)
        elif not actor.facilitator:
            raise UserError("error.not_facilitator")

    async def _require_group_lead(self, group: Group, actor: Actor) -> None:
        """A lead of another group is told whose minutes these are; a private group stays unknown."""
        try:
            await self._groups.require_lead(group, actor)
        except UserError as error:
            if error.key == "groups.error.lead_only":
                raise UserError("minutes.error.other_group", name=group.name) from None
            raise

    async def _close_review_card(self, minutes: Minutes, outcome: str) -> None:
        settings = await self._settings.get(minutes.guild_id)
        channel = settings.channel(ChannelPurpose.MINUTES_REVIEW)
        if channel and minutes.review_message_id:
            try:
                await self._desk.edit_card(
                    channel,
                    minutes.review_message_id,
                    self._text.closed_card(minutes, outcome, settings.language),
                )
            except DeliveryError as exc:
                log.info("review card not updated: %s", exc.reason)

    async def _get(self, minutes_id: int) -> Minutes:
        async with self._sessions() as session:
            minutes = await MinutesRepository(session).get(minutes_id)
        if minutes is None:
            raise UserError("minutes.error.unknown")
        return minutes

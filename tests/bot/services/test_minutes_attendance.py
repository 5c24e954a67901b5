"""A new drop-in draft is offered Zoom's attendance counts (never names); other drafts are not."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.minutes import Section
from bot.services.minutes import MinutesService
from tests.bot.services.minutes_fakes import AS_FIONA, AS_LEAD, DROPIN_DAY, GUILD, MinutesHarness


class FakeCounts:
    def __init__(self, text: str) -> None:
        self.text = text
        self.asked: list[tuple[int, date, str]] = []

    async def counts_text(self, guild_id: int, day: date, language: str) -> str:
        self.asked.append((guild_id, day, language))
        return self.text


def with_counts(harness: MinutesHarness, counts: FakeCounts) -> MinutesService:
    return MinutesService(
        harness.sessions,
        harness.clock,
        harness.settings,
        harness.dropin.service,
        harness.groups,
        harness.desk,
        harness.text,
        harness.archive,
        attendance=counts,
    )


async def test_a_new_drop_in_draft_starts_with_the_counts(sessions: async_sessionmaker[AsyncSession]) -> None:
    harness = MinutesHarness(sessions)
    await harness.setup_guild()
    counts = FakeCounts("Attendance: 14 people in all, at most 11 at once.")
    service = with_counts(harness, counts)

    started = await service.start(GUILD, await harness.meeting(), AS_FIONA.user_id)

    assert started.sections[Section.ATTENDANCE] == counts.text
    assert (await harness.get(started.id)).sections[Section.ATTENDANCE] == counts.text
    assert counts.asked == [(GUILD, DROPIN_DAY, "both")]


async def test_no_counts_leave_the_section_empty(sessions: async_sessionmaker[AsyncSession]) -> None:
    harness = MinutesHarness(sessions)
    await harness.setup_guild()

    started = await with_counts(harness, FakeCounts("")).start(
        GUILD, await harness.meeting(), AS_FIONA.user_id
    )

    assert Section.ATTENDANCE not in started.sections


async def test_a_working_group_draft_is_not_offered_drop_in_counts(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    harness = MinutesHarness(sessions)
    await harness.setup_guild()
    await harness.add_group("Pharmacists")
    counts = FakeCounts("Attendance: 3")

    meeting = await harness.meeting(DROPIN_DAY, group="Pharmacists", actor=AS_LEAD)
    started = await with_counts(harness, counts).start(GUILD, meeting, AS_LEAD.user_id)

    assert Section.ATTENDANCE not in started.sections
    assert counts.asked == []

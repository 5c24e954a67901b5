"""The /minutes options, declared once: the meeting (date and group, which most commands take) and the
section choices, with their English names and catalog keys; French comes from the catalog at sync."""

from __future__ import annotations

from discord.app_commands import Choice, locale_str

from bot.adapters.discord_text import loc
from bot.domain.minutes import Section

SECTION_CHOICES = [
    Choice(name=locale_str(label, key=f"minutes.section.{section.value}"), value=section.value)
    for section, label in (
        (Section.FACILITATORS, "Facilitators"),
        (Section.NOTE_TAKER, "Note-taker"),
        (Section.ATTENDANCE, "Attendance (count)"),
        (Section.TOPICS, "Topics and questions discussed"),
        (Section.RESOURCES, "Resources shared"),
        (Section.DECISIONS, "Decisions"),
        (Section.ACTIONS, "Action items (owner roles, not names, unless given)"),
        (Section.NEXT_MEETING, "Next meeting"),
    )
]

MEETING = {"date": loc("date", "opt.date.name"), "group": loc("group", "opt.meeting_group.name")}
MEETING_HELP = {
    "date": loc("The drop-in's date, YYYY-MM-DD (e.g. 2026-12-03)", "opt.date.description"),
    "group": loc("For a working group's meeting: the group's name", "opt.meeting_group.description"),
}

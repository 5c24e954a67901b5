"""Replies to /dropin commands in the caller's language."""

from __future__ import annotations

import discord

from bot.adapters.discord_text import DESCRIPTION_MAX, EMBED_COLOUR, embed_of, fit
from bot.domain.dropin import WEEKDAYS, DropinSchedule, Occurrence, Topic, format_reminders
from bot.i18n import Catalog, Lang
from bot.i18n.dates import clock, discord_timestamp, long_day
from bot.services.dropin_text import DropinText


def next_embeds(
    text: DropinText, schedule: DropinSchedule, first: Occurrence, second: Occurrence | None, lang: Lang
) -> list[discord.Embed]:
    if not first.skipped:
        return [embed_of(text.details(schedule, first, lang))]
    embeds = [embed_of(text.skipped(first, second, lang))]
    if second is not None and not second.skipped:
        embeds.append(embed_of(text.details(schedule, second, lang)))
    return embeds


def calendar(catalog: Catalog, occurrences: list[Occurrence], lang: Lang) -> discord.Embed:
    t = catalog.t
    lines = []
    for o in occurrences:
        day = long_day(o.key, lang)
        if o.skipped:
            lines.append(t(lang, "dropin.calendar_skipped", date=day, reason=o.reason or "—"))
            continue
        line = t(lang, "dropin.calendar_item", date=day, start=discord_timestamp(o.start, "t"))
        if o.moved:
            line += t(lang, "dropin.calendar_moved")
        if o.note:
            line += t(lang, "dropin.calendar_note", note=o.note)
        lines.append(line)
    return discord.Embed(
        title=t(lang, "dropin.calendar_title"),
        description=fit("\n".join(lines), DESCRIPTION_MAX),
        colour=EMBED_COLOUR,
    )


def topics(catalog: Catalog, occurrence: Occurrence, found: list[Topic], lang: Lang) -> str:
    day = long_day(occurrence.key, lang)
    if not found:
        return catalog.t(lang, "dropin.topics_none", date=day)
    lines = [f"**{catalog.t(lang, 'dropin.topics_title', date=day)}**"]
    lines += [catalog.t(lang, "dropin.topic_line", id=topic.id, text=topic.text) for topic in found]
    return fit("\n".join(lines))


def info(catalog: Catalog, schedule: DropinSchedule, channel_id: int | None, lang: Lang) -> discord.Embed:
    t = catalog.t
    none = t(lang, "dropin.none")
    body = t(
        lang,
        "dropin.info_body",
        weekday=t(lang, f"weekday.{WEEKDAYS[schedule.weekday]}"),
        time=clock(schedule.local_time.hour, schedule.local_time.minute, lang),
        timezone=schedule.timezone,
        duration=schedule.duration_minutes,
        minuted=schedule.minuted_minutes,
        url=schedule.join_url or none,
        meeting_id=schedule.meeting_id or none,
        passcode=schedule.passcode or none,
        channel=f"<#{channel_id}>" if channel_id else none,
        role=f"<@&{schedule.ping_role_id}>" if schedule.ping_role_id else none,
        reminders=format_reminders(schedule.reminder_minutes, lang) or none,
        events_ahead=schedule.events_ahead,
    )
    return discord.Embed(title=t(lang, "dropin.info_title"), description=body, colour=EMBED_COLOUR)

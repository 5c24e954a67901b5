"""What drop-in posts, replies and Discord events say, in one language or both.

The drop-in feature's one home for text: cogs/dropin only sends what this module returns.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain.dropin import WEEKDAYS, DropinSchedule, Occurrence, PlannedPost, PostKind, Topic
from bot.domain.reminders import ReminderOffsets
from bot.domain.schedule import canada_line
from bot.i18n import Catalog, Lang, guild_langs
from bot.i18n.dates import clock, discord_timestamp, long_day
from bot.i18n.limits import DESCRIPTION_MAX, fit
from bot.i18n.render import offsets_text, render
from bot.services.ports import Announcement, EmbedText, EventSpec

EVENT_NAME_MAX = 100
EVENT_DESCRIPTION_MAX = 1000
LIST_MAX = 6  # topics or held questions shown per post; with both languages this stays under 6000 chars


RENDERED_MAX = 256  # /dropin next answers kept (per guild, language and week: a handful in practice)


class DropinText:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._rendered: dict[tuple[object, ...], tuple[EmbedText, ...]] = {}

    def details(
        self,
        schedule: DropinSchedule,
        occurrence: Occurrence,
        lang: Lang,
        *,
        title: str | None = None,
        late: bool = False,
        topics: tuple[str, ...] = (),
        held: tuple[str, ...] = (),
    ) -> EmbedText:
        """Everything a member needs about one occurrence: when, where, what to expect."""
        t = self._catalog.t
        lines = []
        if late:
            lines.append(t(lang, "dropin.post.late"))
        lines.append(
            t(
                lang,
                "dropin.post.when",
                start=discord_timestamp(occurrence.start, "F"),
                relative=discord_timestamp(occurrence.start, "R"),
            )
        )
        if occurrence.moved:
            lines.append(t(lang, "dropin.post.moved"))
        lines.append(canada_line(occurrence.start, lang))
        lines.append(self._join_line(schedule, lang))
        if occurrence.note:
            lines.append(t(lang, "dropin.post.note", note=occurrence.note))
        lines.append(
            t(
                lang,
                "dropin.post.expect",
                minuted=schedule.minuted_minutes,
                informal=schedule.duration_minutes - schedule.minuted_minutes,
            )
        )
        if topics:
            lines.append(t(lang, "dropin.post.topics_heading"))
            lines += [t(lang, "dropin.post.topic_item", text=_one_line(topic)) for topic in topics[:LIST_MAX]]
        if held:
            lines.append(t(lang, "dropin.post.held_heading"))
            lines += [t(lang, "dropin.post.topic_item", text=_one_line(text)) for text in held[:LIST_MAX]]
        heading = title or t(lang, "dropin.post.reminder_title", date=long_day(occurrence.key, lang))
        return EmbedText(title=heading, description="\n".join(lines))

    def skipped(self, occurrence: Occurrence, following: Occurrence | None, lang: Lang) -> EmbedText:
        t = self._catalog.t
        lines = []
        if occurrence.reason:
            lines.append(t(lang, "dropin.post.skipped_reason", reason=occurrence.reason))
        if following is not None:
            lines.append(
                t(
                    lang,
                    "dropin.post.skipped_next",
                    start=discord_timestamp(following.start, "F"),
                    relative=discord_timestamp(following.start, "R"),
                )
            )
        return EmbedText(
            title=t(lang, "dropin.post.skipped_title", date=long_day(occurrence.key, lang)),
            description="\n".join(lines) or "\u200b",
        )

    def announcement(
        self,
        schedule: DropinSchedule,
        occurrence: Occurrence,
        post: PlannedPost,
        *,
        language: str,
        late: bool,
        nonce: str,
        topics: tuple[str, ...],
        following: Occurrence | None,
        held: tuple[str, ...] = (),
    ) -> Announcement:
        embeds = []
        for lang in guild_langs(language):
            if post.kind is PostKind.SKIPPED:
                embeds.append(self.skipped(occurrence, following, lang))
            elif post.kind is PostKind.START:
                title = self._catalog.t(lang, "dropin.post.start_title")
                embeds.append(self.details(schedule, occurrence, lang, title=title, late=late))
            else:
                embeds.append(self.details(schedule, occurrence, lang, late=late, topics=topics, held=held))
        return Announcement(
            embeds=tuple(embeds),
            content=f"<@&{schedule.ping_role_id}>" if schedule.ping_role_id else "",
            ping_role_id=schedule.ping_role_id,
            nonce=nonce,
        )

    def notes_reminder(self, occurrence: Occurrence, language: str, nonce: str) -> Announcement:
        embeds = tuple(
            EmbedText(
                title=self._catalog.t(lang, "dropin.post.notes_title"),
                description=self._catalog.t(
                    lang, "dropin.post.notes_body", date=long_day(occurrence.key, lang)
                ),
            )
            for lang in guild_langs(language)
        )
        return Announcement(embeds=embeds, nonce=nonce)

    def event(self, schedule: DropinSchedule, occurrence: Occurrence, language: str) -> EventSpec:
        t = self._catalog.t
        langs = guild_langs(language)
        name = " · ".join(t(lang, "dropin.post.event_name") for lang in langs)
        informal = schedule.duration_minutes - schedule.minuted_minutes
        parts = [
            t(lang, "dropin.post.event_description", minuted=schedule.minuted_minutes, informal=informal)
            for lang in langs
        ]
        if occurrence.note:
            parts.append(occurrence.note)
        return EventSpec(
            name=name[:EVENT_NAME_MAX],
            description="\n\n".join(parts)[:EVENT_DESCRIPTION_MAX],
            start=occurrence.start,
            end=occurrence.end,
            location=schedule.join_url,
        )

    # --- replies to /dropin commands, in the caller's language ----------------------------------
    def say(self, lang: Lang, key: str, **params: Any) -> str:
        """A one-line reply; dates, times and offsets in `params` are rendered for `lang`."""
        return render(self._catalog, lang, key, params)

    def next(
        self,
        schedule: DropinSchedule,
        first: Occurrence,
        second: Occurrence | None,
        lang: Lang,
        minutes: tuple[date, str] | None = None,
    ) -> list[EmbedText]:
        """/dropin next: the next occurrence (or its skip notice and the one after), the reminder
        times, and a link to the latest published minutes. The same inputs give the same answer to
        everyone who asks (timestamps are absolute), so it is rendered once."""
        key = (schedule, first, second, lang, minutes)
        found = self._rendered.get(key)
        if found is None:
            if len(self._rendered) >= RENDERED_MAX:
                self._rendered.clear()
            found = self._rendered[key] = tuple(self._next(schedule, first, second, lang, minutes))
        return list(found)

    def _next(
        self,
        schedule: DropinSchedule,
        first: Occurrence,
        second: Occurrence | None,
        lang: Lang,
        minutes: tuple[date, str] | None,
    ) -> list[EmbedText]:
        if not first.skipped:
            embeds = [self.details(schedule, first, lang)]
        else:
            embeds = [self.skipped(first, second, lang)]
            if second is not None and not second.skipped:
                embeds.append(self.details(schedule, second, lang))
        extra = [self.reminders_line(schedule, lang)]
        if minutes is not None:
            extra.append(self.say(lang, "dropin.minutes_link", date=minutes[0], link=minutes[1]))
        last = embeds[-1]
        embeds[-1] = EmbedText(last.title, fit("\n".join([last.description, *extra]), DESCRIPTION_MAX))
        return embeds

    def reminders_line(self, schedule: DropinSchedule, lang: Lang) -> str:
        offsets = ReminderOffsets(tuple(m for m in schedule.reminder_minutes if m > 0))
        if not offsets.minutes:
            return self._catalog.t(lang, "dropin.reminders.none")
        return self._catalog.t(
            lang, "dropin.reminders.shown", offsets=offsets_text(self._catalog, lang, offsets)
        )

    def calendar(self, occurrences: list[Occurrence], lang: Lang) -> EmbedText:
        t = self._catalog.t
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
        return EmbedText(t(lang, "dropin.calendar_title"), fit("\n".join(lines), DESCRIPTION_MAX))

    def topics(self, occurrence: Occurrence, found: list[Topic], lang: Lang) -> str:
        t = self._catalog.t
        day = long_day(occurrence.key, lang)
        if not found:
            return t(lang, "dropin.topics_none", date=day)
        lines = [f"**{t(lang, 'dropin.topics_title', date=day)}**"]
        lines += [t(lang, "dropin.topic_line", id=topic.id, text=topic.text) for topic in found]
        return fit("\n".join(lines))

    def info(self, schedule: DropinSchedule, channel_id: int | None, lang: Lang) -> EmbedText:
        t = self._catalog.t
        none = t(lang, "dropin.none")
        offsets = ReminderOffsets(tuple(m for m in schedule.reminder_minutes if m > 0))
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
            reminders=offsets_text(self._catalog, lang, offsets) if offsets.minutes else none,
            events_ahead=schedule.events_ahead,
        )
        return EmbedText(t(lang, "dropin.info_title"), body)

    def _join_line(self, schedule: DropinSchedule, lang: Lang) -> str:
        t = self._catalog.t
        if not schedule.join_url:
            return t(lang, "dropin.post.no_link")
        line = t(lang, "dropin.post.join", url=schedule.join_url)
        if schedule.meeting_id and schedule.passcode:
            line += "\n" + t(
                lang, "dropin.post.join_details", meeting_id=schedule.meeting_id, passcode=schedule.passcode
            )
        elif schedule.meeting_id:
            line += "\n" + t(lang, "dropin.post.meeting_id_only", meeting_id=schedule.meeting_id)
        return line


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

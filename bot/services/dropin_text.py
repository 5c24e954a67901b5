"""What drop-in posts, replies and Discord events say, in one language or both."""

from __future__ import annotations

from bot.domain.dropin import DropinSchedule, Occurrence, PlannedPost, PostKind
from bot.domain.schedule import canada_line
from bot.i18n import Catalog, Lang, guild_langs
from bot.i18n.dates import discord_timestamp, long_day
from bot.services.ports import Announcement, EmbedText, EventSpec

EVENT_NAME_MAX = 100
EVENT_DESCRIPTION_MAX = 1000
LIST_MAX = 6  # topics or held questions shown per post; with both languages this stays under 6000 chars


class DropinText:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

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

"""What the Zoom-driven posts and replies say: the live post, the minutes prompt, attendance counts."""

from __future__ import annotations

from bot.domain.dropin import DropinSchedule, Occurrence
from bot.i18n import Catalog, Lang, guild_langs
from bot.i18n.dates import long_day
from bot.services.ports import Announcement, EmbedText
from db.repositories.zoom import Attendance


class ZoomText:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def live(self, schedule: DropinSchedule, language: str, nonce: str) -> Announcement:
        t = self._catalog.t
        embeds = tuple(
            EmbedText(
                title=t(lang, "zoom.live.title"),
                description=t(lang, "zoom.live.body", url=schedule.join_url)
                if schedule.join_url
                else t(lang, "zoom.live.body_no_link"),
            )
            for lang in guild_langs(language)
        )
        return Announcement(embeds=embeds, nonce=nonce)

    def counts(self, attendance: Attendance | None, lang: Lang) -> str:
        if attendance is None or attendance.total == 0:
            return self._catalog.t(lang, "zoom.attendance.none")
        return self._catalog.t(lang, "zoom.attendance.counts", peak=attendance.peak, total=attendance.total)

    def ended(
        self, occurrence: Occurrence, attendance: Attendance | None, language: str, nonce: str
    ) -> Announcement:
        t = self._catalog.t
        embeds = tuple(
            EmbedText(
                title=t(lang, "zoom.ended.title"),
                description="\n".join(
                    (
                        t(lang, "zoom.ended.body", date=long_day(occurrence.key, lang)),
                        self.counts(attendance, lang),
                    )
                ),
            )
            for lang in guild_langs(language)
        )
        return Announcement(embeds=embeds, nonce=nonce)

    def attendance_report(self, rows: list[Attendance], lang: Lang) -> str:
        """`/dropin attendance`: one line per occurrence, most recent first."""
        if not rows:
            return self._catalog.t(lang, "zoom.attendance.empty")
        lines = [self._catalog.t(lang, "zoom.attendance.heading")]
        for row in rows:
            lines.append(
                self._catalog.t(
                    lang,
                    "zoom.attendance.item",
                    date=long_day(row.occurrence, lang),
                    counts=self.counts(row, lang),
                )
            )
        return "\n".join(lines)

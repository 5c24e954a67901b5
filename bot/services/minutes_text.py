"""What minutes look like: the Markdown document, the review card, the notes to their author."""

from __future__ import annotations

from datetime import datetime

from bot.domain.minutes import Draft, Section, render
from bot.domain.schedule import canada_line
from bot.i18n import LANGS, Catalog, guild_langs
from bot.i18n.dates import discord_timestamp, long_day
from bot.services.ports import Action, Card, EmbedText
from db.repositories.minutes import Minutes

PREVIEW = 3500
FORUM_TITLE_MAX = 100  # a thread's name
FORUM_TAGS_MAX = 5  # tags applied to one post


class MinutesText:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def _joined(self, language: str, key: str, **params: object) -> str:
        return " · ".join(self._catalog.t(lang, key, **params) for lang in guild_langs(language))

    def markdown(self, minutes: Minutes, group_name: str, start: datetime | None, language: str) -> str:
        langs = guild_langs(language)
        day = " · ".join(long_day(minutes.meeting_date, lang) for lang in langs)
        key = "minutes.title_group" if group_name else "minutes.title_dropin"
        title = " · ".join(
            self._catalog.t(lang, key, name=group_name, date=long_day(minutes.meeting_date, lang))
            for lang in langs
        )
        subtitle = day
        if start is not None:
            lines = [discord_timestamp(start, "F")] + [canada_line(start, lang) for lang in langs]
            subtitle = "\n".join(lines)
        headings = {s: self._joined(language, f"minutes.section.{s.value}") for s in Section}
        return render(title, subtitle, Draft(minutes.sections), headings)

    def forum_title(self, minutes: Minutes, group_name: str, language: str) -> str:
        """A forum post's title: the meeting's kind and date, in the guild's language (1-100 chars)."""
        key = "minutes.title_group" if group_name else "minutes.title_dropin"
        titles = [
            self._catalog.t(lang, key, name=group_name, date=long_day(minutes.meeting_date, lang))
            for lang in guild_langs(language)
        ]
        joined = " · ".join(titles)
        return joined if len(joined) <= FORUM_TITLE_MAX else titles[0][:FORUM_TITLE_MAX]

    def forum_tags(self, minutes: Minutes, available: dict[str, int]) -> tuple[int, ...]:
        """The forum's tags that fit: the meeting's kind (named in either language) and its year."""
        kind = "minutes.forum.tag_dropin" if minutes.meeting_key == "dropin" else "minutes.forum.tag_group"
        wanted = [self._catalog.t(lang, kind).casefold() for lang in LANGS] + [str(minutes.meeting_date.year)]
        found = [available[name] for name in wanted if name in available]
        return tuple(dict.fromkeys(found))[:FORUM_TAGS_MAX]

    def filename(self, minutes: Minutes) -> str:
        kind = "dropin" if minutes.meeting_key == "dropin" else minutes.meeting_key.replace(":", "-")
        return f"minutes-{kind}-{minutes.meeting_date.isoformat()}.md"

    def review_card(self, minutes: Minutes, markdown: str, language: str) -> Card:
        preview = markdown if len(markdown) <= PREVIEW else markdown[: PREVIEW - 1] + "…"
        title = self._joined(language, "minutes.review.title", date=minutes.meeting_date.isoformat())
        body = f"{self._joined(language, 'minutes.review.author', author=f'<@{minutes.author_id}>')}\n\n{preview}"
        return Card(
            embeds=(EmbedText(title=title[:256], description=body[:4000]),),
            actions=(
                Action(
                    "min-approve", minutes.id, self._joined(language, "minutes.review.approve"), "success"
                ),
                Action("min-changes", minutes.id, self._joined(language, "minutes.review.changes"), "danger"),
            ),
            files=((self.filename(minutes), markdown.encode()),),
        )

    def closed_card(self, minutes: Minutes, outcome: str, language: str) -> Card:
        title = self._joined(language, "minutes.review.title", date=minutes.meeting_date.isoformat())
        return Card(
            embeds=(
                EmbedText(title=title[:256], description=self._joined(language, f"minutes.review.{outcome}")),
            )
        )

    def changes_dm(self, minutes: Minutes, comment: str) -> Card:
        body = "\n\n".join(
            self._catalog.t(
                lang,
                "minutes.review.changes_dm",
                date=long_day(minutes.meeting_date, lang),
                comment=comment or "—",
            )
            for lang in LANGS
        )
        return Card(embeds=(EmbedText(title=minutes.meeting_date.isoformat(), description=body[:4000]),))

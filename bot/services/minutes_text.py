"""What minutes look like: the Markdown document, the review card, the notes to their author."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.minutes import Draft, Minutes, Section, render
from bot.domain.schedule import canada_line
from bot.i18n import LANGS, Catalog, Lang, guild_langs
from bot.i18n.dates import long_day
from bot.i18n.render import render as render_text
from bot.services.ports import Action, Card, EmbedText

PREVIEW = 3500
FORUM_TITLE_MAX = 100  # a thread's name
FORUM_TAGS_MAX = 5  # tags applied to one post


class MinutesText:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    # --- replies to /minutes commands and buttons, in the caller's language -----------------------
    def say(self, lang: Lang, key: str, **params: Any) -> str:
        """A one-line reply; dates, times and offsets in `params` are rendered for `lang`."""
        return render_text(self._catalog, lang, key, params)

    def fields(
        self, sections: tuple[Section, ...], lang: Lang
    ) -> tuple[dict[Section, str], dict[Section, str]]:
        """The labels and placeholders of a minutes modal's text fields."""
        t = self._catalog.t
        labels = {s: t(lang, f"minutes_fields.label.{s.value}") for s in sections}
        placeholders = {s: t(lang, f"minutes_fields.placeholder.{s.value}") for s in sections}
        return labels, placeholders

    def changes_modal(self, lang: Lang) -> tuple[str, dict[Section, str], dict[Section, str]]:
        """The "request changes" modal: its title, its one field's label and placeholder."""
        t = self._catalog.t
        labels = {Section.TOPICS: t(lang, "minutes.modal.changes_label")}
        hint = {Section.TOPICS: t(lang, "minutes_fields.placeholder.changes")}
        return t(lang, "minutes.modal.changes_title"), labels, hint

    def page_actions(self, minutes_id: int, lang: Lang) -> list[Action]:
        """The two buttons that open a draft's pages."""
        return [
            Action("min-page1", minutes_id, self._catalog.t(lang, "minutes.page1"), "primary"),
            Action("min-page2", minutes_id, self._catalog.t(lang, "minutes.page2"), "primary"),
        ]

    def listing(self, year: int, found: Sequence[tuple[Minutes, str, str]], lang: Lang) -> str:
        """/minutes list: one line per (minutes, group suffix, link), under the year's title."""
        t = self._catalog.t
        lines = [f"**{t(lang, 'minutes.list_title', year=year)}**"] + [
            t(
                lang,
                "minutes.list_item",
                date=long_day(minutes.meeting_date, lang),
                group=group,
                link=link,
                version=minutes.version,
            )
            for minutes, group, link in found
        ]
        return "\n".join(lines)

    def search_results(self, words: str, found: Sequence[tuple[Minutes, str, str]], lang: Lang) -> str:
        """/minutes search: one line per (minutes, group suffix, link), under the search's title."""
        t = self._catalog.t
        lines = [f"**{t(lang, 'minutes.search_title', words=words)}**"] + [
            t(lang, "minutes.search_item", date=long_day(minutes.meeting_date, lang), group=group, link=link)
            for minutes, group, link in found
        ]
        return "\n".join(lines)

    # --- posts and cards, in the community's languages ------------------------------------------
    def _joined(self, language: str, key: str, **params: object) -> str:
        return " · ".join(self._catalog.t(lang, key, **params) for lang in guild_langs(language))

    def _dated(self, language: str, key: str, minutes: Minutes) -> str:
        """A title carrying the meeting's date, readable in each language (never ISO)."""
        return " · ".join(
            self._catalog.t(lang, key, date=long_day(minutes.meeting_date, lang))
            for lang in guild_langs(language)
        )

    def markdown(self, minutes: Minutes, group_name: str, start: datetime | None, language: str) -> str:
        langs = guild_langs(language)
        day = " · ".join(long_day(minutes.meeting_date, lang) for lang in langs)
        key = "minutes.title_group" if group_name else "minutes.title_dropin"
        title = " · ".join(
            self._catalog.t(lang, key, name=group_name, date=long_day(minutes.meeting_date, lang))
            for lang in langs
        )
        subtitle = day
        if start is not None:  # a file is read outside Discord: readable times, never <t:…> codes
            subtitle = "\n".join([day] + [canada_line(start, lang) for lang in langs])
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

    def filename(self, minutes: Minutes, language: str = "both") -> str:
        """`minutes-dropin-2026-12-03.md` / `compte-rendu-rencontre-2026-12-03.md`: the guild's language."""
        lang = guild_langs(language)[0]
        day = minutes.meeting_date.isoformat()
        if minutes.meeting_key == "dropin":
            return self._catalog.t(lang, "minutes.file.dropin", date=day)
        group = minutes.meeting_key.partition(":")[2]
        return self._catalog.t(lang, "minutes.file.group", group=group, date=day)

    def review_card(self, minutes: Minutes, markdown: str, language: str) -> Card:
        preview = markdown if len(markdown) <= PREVIEW else markdown[: PREVIEW - 1] + "…"
        title = self._dated(language, "minutes.review.title", minutes)
        body = f"{self._joined(language, 'minutes.review.author', author=f'<@{minutes.author_id}>')}\n\n{preview}"
        return Card(
            embeds=(EmbedText(title=title[:256], description=body[:4000]),),
            actions=(
                Action(
                    "min-approve", minutes.id, self._joined(language, "minutes.review.approve"), "success"
                ),
                Action("min-changes", minutes.id, self._joined(language, "minutes.review.changes"), "danger"),
            ),
            files=((self.filename(minutes, language), markdown.encode()),),
        )

    def closed_card(self, minutes: Minutes, outcome: str, language: str) -> Card:
        title = self._dated(language, "minutes.review.title", minutes)
        return Card(
            embeds=(
                EmbedText(title=title[:256], description=self._joined(language, f"minutes.review.{outcome}")),
            )
        )

    def changes_dm(self, minutes: Minutes, comment: str, langs: tuple[Lang, ...] = LANGS) -> Card:
        """The note to the author, in their DM languages, with a readable date and local command names."""
        body = "\n\n".join(
            self._catalog.t(
                lang,
                "minutes.review.changes_dm",
                date=long_day(minutes.meeting_date, lang),
                comment=comment or "—",
            )
            for lang in langs
        )
        title = " · ".join(long_day(minutes.meeting_date, lang) for lang in langs)
        return Card(embeds=(EmbedText(title=title, description=body[:4000]),))

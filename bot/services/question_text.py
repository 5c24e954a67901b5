"""What question cards, posts and DMs say. User text goes in embeds, which never ping anyone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.domain.questions import Draft, Question, QuestionStatus
from bot.i18n import Catalog, Lang, guild_langs
from bot.i18n.render import render
from bot.i18n.typography import french
from bot.services.ports import Action, Card, EmbedText
from bot.services.privacy import is_forgotten, short_code

if TYPE_CHECKING:
    from bot.services.question_intake import Submitted
    from bot.services.question_queue import Stats

PREVIEW = 80
DraftParts = tuple[str, tuple[EmbedText, ...], tuple[tuple[str, str, str], ...]]
"""A draft card's title, notes (one embed per language) and buttons (kind, label, style)."""


@dataclass(frozen=True)
class Support:
    en: str
    fr: str

    def text(self, lang: Lang) -> str:
        """The configured support line; French gets the catalog's OQLF typography too."""
        return french(self.fr) if lang == "fr" else self.en


class QuestionText:
    def __init__(self, catalog: Catalog, support: Support, retention_days: int) -> None:
        self._catalog = catalog
        self._support = support
        self._retention_days = retention_days
        self._draft_memo: dict[tuple[tuple[Lang, ...], bool, bool], DraftParts] = {}

    def _labels(self, langs: tuple[Lang, ...], key: str) -> str:
        return " · ".join(self._catalog.t(lang, key) for lang in langs)

    # --- replies to question commands and buttons, in the caller's language -----------------------
    def say(self, lang: Lang, key: str, **params: Any) -> str:
        """A one-line reply; dates, times and offsets in `params` are rendered for `lang`."""
        return render(self._catalog, lang, key, params)

    def say_in(self, langs: tuple[Lang, ...], key: str, params: dict[str, Any]) -> str:
        """A DM carries no locale: the reply in each of the person's community languages."""
        return "\n\n".join(render(self._catalog, lang, key, params) for lang in langs)

    def choose_placeholder(self, langs: tuple[Lang, ...]) -> str:
        return self._labels(langs, "questions.intake.choose_placeholder")

    def received(self, submitted: Submitted, lang: Lang) -> str:
        """What the asker is told once a question or follow-up is in."""
        t = self._catalog.t
        if submitted.number is None:
            return t(lang, "questions.intake.received_neutral")
        if submitted.follow_up:
            key = "questions.privacy.follow_up_received"
        else:
            key = "questions.intake.received_held" if submitted.held else "questions.intake.received"
        text = t(lang, key, number=submitted.number)
        return f"{text}\n{t(lang, 'questions.privacy.delay_note')}" if submitted.delayed else text

    def queue(self, waiting: Sequence[Question], lang: Lang) -> str:
        """/questions queue: up to 30 waiting questions, one line each."""
        t = self._catalog.t
        lines = [f"**{t(lang, 'questions.queue_title')}**"]
        lines += [
            t(
                lang,
                "questions.queue_item",
                number=q.number,
                code="—" if is_forgotten(q.pseudonym) else short_code(q.pseudonym),
                status=t(lang, f"questions.review.status_{q.status.value}").rstrip("."),
                urgent=t(lang, "questions.queue_urgent") if q.urgent else "",
                preview=self.preview(q),
            )
            for q in waiting[:30]
        ] or [t(lang, "questions.queue_empty")]
        return "\n".join(lines)[:2000]

    def stats(self, found: Stats, lang: Lang) -> str:
        by = found.by_status
        return self._catalog.t(
            lang,
            "questions.stats",
            total=found.total,
            pending=by.get("pending", 0),
            published=by.get("published", 0),
            held=by.get("held", 0),
            raised=by.get("raised", 0),
            rejected=by.get("rejected", 0) + by.get("blocked", 0),
            answers=found.answers,
            blocked=found.blocked,
        )

    # --- the asker's DM -------------------------------------------------------------------------
    def draft(self, draft: Draft, langs: tuple[Lang, ...], choose_guild: bool) -> Card:
        title, notes, buttons = self._draft_parts(langs, draft.relay, choose_guild)
        return Card(
            embeds=(EmbedText(title=title, description=draft.text), *notes),
            actions=tuple(
                Action(kind, 0 if kind == "forget" else draft.id, label, style)
                for kind, label, style in buttons
            ),
        )

    def _draft_parts(self, langs: tuple[Lang, ...], relay: bool, choose_guild: bool) -> DraftParts:
        """Everything on a draft card but the question and its id: a dozen variants in all, each
        rendered once (every DM shows one; its plural and typography cost more than the rest of it)."""
        key = (langs, relay, choose_guild)
        parts = self._draft_memo.get(key)
        if parts is None:
            parts = self._draft_memo[key] = self._render_draft_parts(langs, relay, choose_guild)
        return parts

    def _render_draft_parts(self, langs: tuple[Lang, ...], relay: bool, choose_guild: bool) -> DraftParts:
        t = self._catalog.t
        notes = []
        for lang in langs:
            lines = [t(lang, "questions.intake.how", days=self._retention_days)]
            lines.append(t(lang, "questions.intake.relay_on" if relay else "questions.intake.relay_off"))
            if choose_guild:
                lines.append(t(lang, "questions.intake.choose_guild"))
            lines.append(self._support.text(lang))
            notes.append(EmbedText(title="\u200b", description="\n\n".join(lines)))
        relay_key = "questions.intake.relay_toggle_on" if relay else "questions.intake.relay_toggle_off"
        buttons = (
            ("draft-submit", self._labels(langs, "questions.intake.submit"), "success"),
            ("draft-hold", self._labels(langs, "questions.intake.hold"), "primary"),
            ("draft-relay", self._labels(langs, relay_key), "secondary"),
            ("draft-cancel", self._labels(langs, "questions.intake.cancel"), "danger"),
            ("forget", self._labels(langs, "questions.intake.forget"), "secondary"),
        )
        return self._labels(langs, "questions.intake.title"), tuple(notes), buttons

    def answer_dm(self, question: Question, answer: str, lang: Lang) -> Card:
        t = self._catalog.t
        return Card(
            embeds=(
                EmbedText(
                    title=t(lang, "questions.dm.answer_title", number=question.number), description=answer
                ),
            ),
            actions=(
                Action("follow-up", question.id, t(lang, "questions.dm.follow_up_button"), "primary"),
                Action("forget", 0, t(lang, "questions.intake.forget")),
            ),
        )

    def rejected_dm(self, question: Question, reason: str, lang: Lang) -> Card:
        t = self._catalog.t
        lines = [t(lang, "questions.dm.rejected")]
        if reason:
            lines.append(t(lang, "questions.dm.rejected_reason", reason=reason))
        lines.append(self._support.text(lang))
        title = t(lang, "questions.dm.rejected_title", number=question.number)
        return Card(embeds=(EmbedText(title=title, description="\n\n".join(lines)),))

    # --- facilitators --------------------------------------------------------------------------
    def review(self, question: Question, language: str) -> Card:
        t = self._catalog.t
        langs = guild_langs(language)
        lines = [question.text, ""]
        for lang in langs:
            if question.follows_number is not None:
                lines.append(t(lang, "questions.privacy.follow_up_of", number=question.follows_number))
            lines.append(self.asker_code(question, lang))
            if question.urgent:
                lines.append(t(lang, "questions.review.urgent"))
            if question.hold:
                lines.append(t(lang, "questions.review.held"))
            lines.append(t(lang, f"questions.review.status_{question.status.value}"))
            lines.append(f"-# {self._support.text(lang)}")
        title = " · ".join(t(lang, "questions.review.title", number=question.number) for lang in langs)
        actions: tuple[Action, ...] = ()
        if question.status is QuestionStatus.PENDING:
            urgent_key = (
                "questions.review.unmark_urgent" if question.urgent else "questions.review.urgent_button"
            )
            actions = (
                Action("approve", question.id, self._labels(langs, "questions.review.approve"), "success"),
                Action("reject", question.id, self._labels(langs, "questions.review.reject"), "danger"),
                Action("block", question.id, self._labels(langs, "questions.review.block"), "danger"),
                Action("urgent", question.id, self._labels(langs, urgent_key)),
            )
        return Card(embeds=(EmbedText(title=title, description="\n".join(lines)),), actions=actions)

    def asker_code(self, question: Question, lang: Lang) -> str:
        if is_forgotten(question.pseudonym):
            return self._catalog.t(lang, "questions.privacy.asker_forgotten")
        return self._catalog.t(lang, "questions.review.asker", code=short_code(question.pseudonym))

    # --- the community -------------------------------------------------------------------------
    def published(self, question: Question, language: str) -> Card:
        langs = guild_langs(language)
        title = " · ".join(
            self._catalog.t(lang, "questions.public.title", number=question.number) for lang in langs
        )
        return Card(
            embeds=(EmbedText(title=title, description=question.text),),
            actions=(
                Action("answer", question.id, self._labels(langs, "questions.public.answer"), "primary"),
                Action(
                    "answer-facilitator",
                    question.id,
                    self._labels(langs, "questions.public.answer_as_facilitator"),
                ),
            ),
        )

    def thread_name(self, question: Question, language: str) -> str:
        lang = guild_langs(language)[0]
        return self._catalog.t(lang, "questions.public.thread", number=question.number)

    def answer_post(self, answer: str, signature: str | None, language: str) -> Card:
        """`signature` is the answerer's display name, or None to sign as "a facilitator"."""
        t = self._catalog.t
        title = " · ".join(
            t(
                lang,
                "questions.public.answer_header",
                name=signature or t(lang, "questions.public.a_facilitator"),
            )
            for lang in guild_langs(language)
        )
        return Card(embeds=(EmbedText(title=title[:256], description=answer),))

    def follow_up_post(self, text: str, language: str) -> Card:
        title = self._labels(guild_langs(language), "questions.public.follow_up_header")
        return Card(embeds=(EmbedText(title=title, description=text),))

    def preview(self, question: Question) -> str:
        text = " ".join(question.text.split())
        return text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"

"""What the members feature says: the role picker, the welcome DM, the report (table and CSV) and the
forget-me summary, in the caller's language or the guild's setting."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from babel.dates import format_date

from bot.domain.forget import ForgetReport
from bot.domain.members import Count, MembershipReport
from bot.domain.schedule import canada_line
from bot.i18n import Catalog, Lang
from bot.i18n.dates import BABEL_LOCALES, discord_timestamp
from bot.i18n.render import render
from bot.services.ports import Action, Card, EmbedText

if TYPE_CHECKING:
    from bot.services.members import RolesChanged

SEPARATOR = " · "


class MembersText:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def t(self, lang: Lang, key: str, **params: object) -> str:
        return self._catalog.t(lang, key, **params)

    def say(self, lang: Lang, key: str, **params: Any) -> str:
        """A one-line reply; dates, times and offsets in `params` are rendered for `lang`."""
        return render(self._catalog, lang, key, params)

    def roles_saved(self, changed: RolesChanged, lang: Lang) -> str:
        """What /roles and the picker answer: the roles added and removed, or "none"."""
        none = self.t(lang, "members.roles.none")
        return self.t(
            lang,
            "members.roles.saved",
            added=", ".join(r.label(lang) for r in changed.added) or none,
            removed=", ".join(r.label(lang) for r in changed.removed) or none,
        )

    # --- roles ----------------------------------------------------------------------------------------
    def picker(self, guild_id: int, langs: tuple[Lang, ...]) -> Card:
        embeds = tuple(
            EmbedText(self.t(lang, "members.picker.title"), self.t(lang, "members.picker.body"))
            for lang in langs
        )
        label = SEPARATOR.join(self.t(lang, "members.picker.button") for lang in langs)
        return Card(embeds=embeds, actions=(Action("roles-open", guild_id, label, "primary"),))

    # --- welcome --------------------------------------------------------------------------------------
    def welcome(self, next_dropin: datetime, langs: tuple[Lang, ...]) -> Card:
        embeds = []
        for lang in langs:
            body = self.t(
                lang,
                "members.welcome.body",
                next_start=discord_timestamp(next_dropin, "F"),
                next_relative=discord_timestamp(next_dropin, "R"),
                canada_line=canada_line(next_dropin, lang),
            )
            embeds.append(EmbedText(self.t(lang, "members.welcome.title"), body))
        return Card(embeds=tuple(embeds))

    # --- report ---------------------------------------------------------------------------------------
    def month(self, day: date, lang: Lang) -> str:
        return format_date(day, "MMM yyyy", locale=BABEL_LOCALES[lang])

    def report_table(self, report: MembershipReport, lang: Lang) -> str:
        t = self.t
        rows = [(t(lang, "members.report.total"), report.total)]
        rows += [(role.label(lang), count) for role, count in report.by_role]
        rows.append((t(lang, "members.report.no_role"), report.no_role))
        width = max(len(label) for label, _ in rows)
        lines = [f"**{t(lang, 'members.report.title')}**", "```"]
        lines += [f"{label.ljust(width)}  {count!s:>6}" for label, count in rows]
        lines += ["", t(lang, "members.report.joins")]
        lines += [f"{self.month(m, lang).ljust(width)}  {c!s:>6}" for m, c in report.joins_by_month]
        lines.append("```")
        lines.append(t(lang, "members.report.note", threshold=report.total.threshold))
        return "\n".join(lines)

    def chart_summary(self, report: MembershipReport, lang: Lang) -> str:
        """The chart in words: its alt text, also stored in the PNG. Same suppression as the table."""
        t = self.t
        parts = [f"{t(lang, 'members.report.total')}{t(lang, 'members.forget.colon')}{report.total}"]
        parts += [
            f"{role.label(lang)}{t(lang, 'members.forget.colon')}{count}" for role, count in report.by_role
        ]
        parts.append(f"{t(lang, 'members.report.no_role')}{t(lang, 'members.forget.colon')}{report.no_role}")
        parts += [
            f"{self.month(m, lang)}{t(lang, 'members.forget.colon')}{c}" for m, c in report.joins_by_month
        ]
        return "; ".join(parts)[:1000]

    def report_csv(self, report: MembershipReport, lang: Lang) -> bytes:
        """`section,label,count`; suppressed counts read "<5" here too."""
        t = self.t
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [t(lang, "members.csv.section"), t(lang, "members.csv.label"), t(lang, "members.csv.count")]
        )

        def row(section: str, label: str, count: Count) -> None:
            writer.writerow([section, label, str(count)])

        row("total", t(lang, "members.report.total"), report.total)
        for role, count in report.by_role:
            row("role", role.label(lang), count)
        row("no_role", t(lang, "members.report.no_role"), report.no_role)
        for month, count in report.joins_by_month:
            row("joins", month.isoformat()[:7], count)
        return out.getvalue().encode("utf-8")

    # --- forget-me ------------------------------------------------------------------------------------
    def forgotten(self, report: ForgetReport, lang: Lang) -> str:
        t = self.t
        lines = [t(lang, "members.forget.title")]
        for erased in report.features:
            feature = t(lang, f"members.forget.feature.{erased.feature}")
            if erased.failed:
                lines.append(
                    f"- {feature}{t(lang, 'members.forget.colon')}{t(lang, 'members.forget.failed')}"
                )
                continue
            if erased.nothing:
                lines.append(
                    f"- {feature}{t(lang, 'members.forget.colon')}{t(lang, 'members.forget.nothing')}"
                )
                continue
            parts = [self._plural(lang, f"members.forget.item.{k}", n) for k, n in erased.deleted if n]
            parts += [self._plural(lang, f"members.forget.kept.{k}", n) for k, n in erased.kept if n]
            lines.append(f"- {feature}{t(lang, 'members.forget.colon')}{'; '.join(parts)}")
        lines.append(t(lang, "questions.forgotten.after"))
        lines.append(t(lang, "members.forget.roles_note"))
        return "\n".join(lines)

    def _plural(self, lang: Lang, key: str, count: int) -> str:
        """Singular for 1 (French also reads 0 as singular, but zero counts are never listed)."""
        return self.t(lang, key, count=count)

"""What working-group cards say, in the guild's language setting (or both)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.domain.groups import Group, Visibility, channel_name
from bot.i18n import LANGS, Catalog, Lang, guild_langs
from bot.i18n.render import render
from bot.services.ports import Action, Card, EmbedText, Menu

DIRECTORY_BUDGET = 5600


class GroupText:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    # --- replies to /wg commands and buttons, in the caller's language ---------------------------
    def say(self, lang: Lang, key: str, **params: Any) -> str:
        """A one-line reply; dates, times and offsets in `params` are rendered for `lang`."""
        return render(self._catalog, lang, key, params)

    def listing(self, groups: Sequence[Group], lang: Lang) -> str:
        """/wg list: the groups the caller can see, one line each."""
        t = self._catalog.t
        lines = [f"**{t(lang, 'groups.list_title')}**"] + [
            t(
                lang,
                "groups.list_item",
                name=g.name,
                visibility=t(lang, f"groups.directory.how_{g.visibility.value}"),
                archived=t(lang, "groups.list_archived") if g.archived else "",
                description=g.description[:150],
            )
            for g in groups
        ]
        if not groups:
            lines.append(t(lang, "groups.list_empty"))
        return "\n".join(lines)[:2000]

    # --- posts and cards, in the community's languages ------------------------------------------
    def _both(self, langs: tuple[Lang, ...], key: str, **params: object) -> str:
        return " · ".join(self._catalog.t(lang, key, **params) for lang in langs)

    # --- what the bot creates: names in the guild's language (its first one when both) ------------
    def category(self, language: str, *, archived: bool = False) -> str:
        key = "groups.server.archive_category" if archived else "groups.server.category"
        return self._catalog.t(guild_langs(language)[0], key)

    def role_name(self, group: Group, language: str) -> str:
        return self._catalog.t(guild_langs(language)[0], "groups.server.role", name=group.name)[:100]

    def channel_name(self, group: Group, language: str) -> str:
        prefix = self._catalog.t(guild_langs(language)[0], "groups.server.channel_prefix")
        return channel_name(group.name, prefix)

    def csv_header(self, language: str) -> list[str]:
        lang = guild_langs(language)[0]
        columns = ("date", "working_group", "member", "discord_user_id")
        return [self._catalog.t(lang, f"groups.csv.{column}") for column in columns]

    def export_filename(self, language: str, start: date, end: date) -> str:
        lang = guild_langs(language)[0]
        return self._catalog.t(lang, "groups.csv.filename", start=start.isoformat(), end=end.isoformat())

    def charter(self, group: Group, leads: tuple[str, ...], language: str) -> Card:
        t = self._catalog.t
        embeds = []
        for lang in guild_langs(language):
            lines = [group.description or "—", ""]
            lines.append(t(lang, "groups.charter.leads", leads=", ".join(leads) or t(lang, "groups.none")))
            lines.append(t(lang, f"groups.charter.join_{group.visibility.value}", name=group.name))
            lines.append(
                t(
                    lang,
                    "groups.charter.cadence",
                    cadence=group.cadence or t(lang, "groups.charter.cadence_unset"),
                )
            )
            if group.archived:
                lines.append(t(lang, "groups.charter.archived"))
            embeds.append(
                EmbedText(
                    title=t(lang, "groups.charter.title", name=group.name), description="\n".join(lines)
                )
            )
        return Card(embeds=tuple(embeds))

    def request_card(self, group: Group, request_id: int, requester: str, language: str) -> Card:
        langs = guild_langs(language)
        title = self._both(langs, "groups.request.title", name=group.name)
        body = "\n".join(self._catalog.t(lang, "groups.request.body", member=requester) for lang in langs)
        return Card(
            embeds=(EmbedText(title=title, description=body),),
            actions=(
                Action("wg-approve", request_id, self._both(langs, "groups.request.approve"), "success"),
                Action("wg-deny", request_id, self._both(langs, "groups.request.deny"), "danger"),
            ),
        )

    def outcome_dm(self, group: Group, approved: bool, langs: tuple[Lang, ...] = LANGS) -> Card:
        key = "groups.request.approved_dm" if approved else "groups.request.denied_dm"
        body = "\n\n".join(self._catalog.t(lang, key, name=group.name) for lang in langs)
        return Card(embeds=(EmbedText(title=group.name, description=body),))

    def announcement(self, group: Group, body: str, ping: bool, author: str, language: str) -> Card:
        title = self._both(guild_langs(language), "groups.announce.title", name=group.name, author=author)
        role = group.role_id if ping else None
        return Card(
            embeds=(EmbedText(title=title[:256], description=body),),
            content=f"<@&{role}>" if role else "",
            ping_role_id=role,
        )

    def directory(self, guild_id: int, groups: list[Group], language: str) -> Card:
        t = self._catalog.t
        langs = guild_langs(language)
        embeds = []
        for lang in langs:
            lines = [
                t(
                    lang,
                    "groups.directory.item",
                    name=group.name,
                    channel=f"<#{group.channel_id}>"
                    if group.visibility is Visibility.OPEN and group.channel_id
                    else f"**{group.name}**",
                    how=t(lang, f"groups.directory.how_{group.visibility.value}"),
                    description=_short(group.description),
                )
                for group in groups
            ] or [t(lang, "groups.directory.empty")]
            lines.append("")
            lines.append(t(lang, "groups.directory.footer"))
            # Both languages share Discord's 6000-character budget for one message's embeds.
            budget = DIRECTORY_BUDGET // len(langs)
            text = "\n".join(lines)
            if len(text) > budget:
                text = text[: text.rfind("\n", 0, budget - 1)] + "\n…"
            embeds.append(EmbedText(title=t(lang, "groups.directory.title"), description=text))
        menu = Menu(
            "wg-join",
            guild_id,
            self._both(langs, "groups.directory.placeholder"),
            tuple((group.name, group.name) for group in groups[:25]),  # the value is what /wg join takes
        )
        return Card(embeds=tuple(embeds), menu=menu)

    def inactive(self, groups: list[Group], days: int, language: str) -> Card:
        langs = guild_langs(language)
        names = ", ".join(g.name for g in groups)
        body = "\n".join(self._catalog.t(lang, "groups.inactive", days=days, names=names) for lang in langs)
        return Card(embeds=(EmbedText(title=self._both(langs, "groups.inactive_title"), description=body),))

    def broken(self, groups: list[Group], language: str) -> Card:
        langs = guild_langs(language)
        names = ", ".join(g.name for g in groups)
        body = "\n".join(self._catalog.t(lang, "groups.broken", names=names) for lang in langs)
        return Card(embeds=(EmbedText(title=self._both(langs, "groups.broken_title"), description=body),))


def _short(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

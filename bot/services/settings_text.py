"""What /settings answers: the saved confirmations and the overview of channels, roles and permissions.

The settings cog's one home for text: cogs/settings.py only sends what this module returns.
"""

from __future__ import annotations

from typing import Any

from bot.domain.refs import ChannelRef, PermissionNames, RoleRef
from bot.domain.settings import ChannelPurpose, GuildSettings, RolePurpose
from bot.i18n import Catalog, Lang
from bot.i18n.render import render, render_value


class SettingsText:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def say(self, lang: Lang, key: str, **params: Any) -> str:
        """A one-line reply; purposes, channels, roles and dates in `params` are rendered for `lang`."""
        return render(self._catalog, lang, key, params)

    def language_saved(self, language: str, lang: Lang) -> str:
        t = self._catalog.t
        return t(lang, "settings.language_saved", language=t(lang, f"language.{language}"))

    def overview(self, current: GuildSettings, problems: dict[ChannelPurpose, list[str]], lang: Lang) -> str:
        """/settings show: the posts' language, every role and channel purpose, and missing permissions."""
        t = self._catalog.t
        unset = t(lang, "settings.unset")
        lines = [
            f"**{t(lang, 'settings.title')}**",
            t(lang, "settings.language_line", language=t(lang, f"language.{current.language}")),
            "",
        ]
        lines.append(t(lang, "settings.roles_heading"))
        for role_purpose in RolePurpose:
            role_id = current.role(role_purpose)
            target = render_value(self._catalog, lang, RoleRef(role_id)) if role_id else unset
            lines.append(
                t(
                    lang,
                    "settings.item",
                    purpose=render_value(self._catalog, lang, role_purpose),
                    target=target,
                )
            )
        lines += ["", t(lang, "settings.channels_heading")]
        for purpose in ChannelPurpose:
            channel_id = current.channel(purpose)
            label = render_value(self._catalog, lang, purpose)
            if channel_id is None:
                lines.append(t(lang, "settings.item", purpose=label, target=unset))
            elif purpose in problems:
                names = render_value(self._catalog, lang, PermissionNames(tuple(problems[purpose])))
                lines.append(
                    t(
                        lang,
                        "settings.item_missing",
                        purpose=label,
                        target=f"<#{channel_id}>",
                        permissions=names,
                    )
                )
            else:
                lines.append(
                    t(
                        lang,
                        "settings.item",
                        purpose=label,
                        target=render_value(self._catalog, lang, ChannelRef(channel_id)),
                    )
                )
        return "\n".join(lines)

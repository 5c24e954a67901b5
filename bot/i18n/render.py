"""Turns the plain values services return into localized text."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from bot.domain.dropin import WEEKDAYS
from bot.domain.minutes import Section
from bot.domain.refs import ChannelRef, PermissionNames, RoleRef, Weekday
from bot.domain.reminders import ReminderOffsets, ReminderSyntax
from bot.domain.settings import ChannelPurpose, RolePurpose
from bot.i18n import Catalog, Lang
from bot.i18n.dates import discord_timestamp, long_day


def render_value(catalog: Catalog, lang: Lang, value: Any) -> Any:
    if isinstance(value, ChannelPurpose):
        return catalog.t(lang, f"purpose.channel.{value.value}")
    if isinstance(value, RolePurpose):
        return catalog.t(lang, f"purpose.role.{value.value}")
    if isinstance(value, ChannelRef):
        return f"<#{value.id}>"
    if isinstance(value, RoleRef):
        return f"<@&{value.id}>"
    if isinstance(value, Section):
        return catalog.t(lang, f"minutes.section.{value.value}")
    if isinstance(value, Weekday):
        return catalog.t(lang, f"weekday.{WEEKDAYS[value.index]}")
    if isinstance(value, datetime):
        return discord_timestamp(value, "F")
    if isinstance(value, date):
        return long_day(value, lang)
    if isinstance(value, ReminderOffsets):
        return offsets_text(catalog, lang, value)
    if isinstance(value, ReminderSyntax):
        return value.example.syntax(lang)
    if isinstance(value, PermissionNames):
        return ", ".join(catalog.t(lang, f"permission.{name}") for name in value.names)
    return value


def offsets_text(catalog: Catalog, lang: Lang, offsets: ReminderOffsets) -> str:
    """`1 day, 1 hour, 10 minutes` / `1 jour, 1 heure, 10 minutes`: the words come from the catalog."""
    return ", ".join(
        " ".join(
            catalog.t(lang, f"dropin.reminders.{unit}_{'one' if n == 1 else 'other'}", n=n)
            for n, unit in pairs
        )
        for pairs in offsets.spoken()
    )


def render(catalog: Catalog, lang: Lang, key: str, params: Mapping[str, Any]) -> str:
    return catalog.t(
        lang, key, **{name: render_value(catalog, lang, value) for name, value in params.items()}
    )

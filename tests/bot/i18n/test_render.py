"""bot/i18n/render.py: plain values from services become localized text."""

from __future__ import annotations

import pytest

from bot.domain.refs import ChannelRef, PermissionNames, RoleRef
from bot.domain.reminders import SYNTAX, ReminderOffsets
from bot.domain.settings import ChannelPurpose, RolePurpose
from bot.i18n import default_catalog
from bot.i18n.render import render, render_value

MISSING_PARAMS = {
    "channel": ChannelRef(111122223333444455),
    "purpose": ChannelPurpose.WORKING_GROUPS,
    "permissions": PermissionNames(("send_messages", "pin_messages")),
}


@pytest.mark.parametrize(
    ("lang", "purpose", "permissions"),
    [
        ("en", "Working groups", "**Send Messages, Pin Messages**"),
        ("fr", "«\u00a0Groupes de travail\u00a0»", "**Envoyer des messages, Épingler des messages**"),
    ],
)
def test_missing_permissions_error_renders_localized_names(lang: str, purpose: str, permissions: str) -> None:
    text = render(default_catalog(), lang, "error.missing_channel_permissions", MISSING_PARAMS)  # type: ignore[arg-type]

    assert "<#111122223333444455>" in text
    assert purpose in text
    assert permissions in text
    assert "{" not in text


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (ChannelRef(42), "fr", "<#42>"),
        (RoleRef(42), "en", "<@&42>"),
        (ChannelPurpose.DROPIN, "en", "Drop-in"),
        (ChannelPurpose.DROPIN, "fr", "Rencontre hebdomadaire"),
        (RolePurpose.FACILITATOR, "en", "Facilitator"),
        (RolePurpose.FACILITATOR, "fr", "Équipe d'animation"),
        (PermissionNames(("view_channel",)), "fr", "Voir les salons"),
        (PermissionNames(()), "en", ""),
        ("plain text", "fr", "plain text"),
        (7, "en", 7),
    ],
)
def test_render_value(value: object, lang: str, expected: object) -> None:
    assert render_value(default_catalog(), lang, value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1 day, 1 hour 30 minutes, 5 minutes"),
        ("fr", "1\u00a0jour, 1\u00a0heure 30\u00a0minutes, 5\u00a0minutes"),
    ],
)
def test_reminder_offsets_are_spoken_in_the_readers_language(lang: str, expected: str) -> None:
    offsets = ReminderOffsets((1440, 90, 5))

    assert render_value(default_catalog(), lang, offsets) == expected


@pytest.mark.parametrize(("lang", "expected"), [("en", "24h, 1h, 10m"), ("fr", "24h, 1h, 10min")])
def test_the_reminder_syntax_is_shown_in_the_readers_units(lang: str, expected: str) -> None:
    assert render_value(default_catalog(), lang, SYNTAX) == expected

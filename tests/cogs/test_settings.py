"""cogs/settings.py without Discord: the /settings show text and the purpose choices."""

from __future__ import annotations

from typing import Any, cast

import pytest

from bot.domain.settings import ChannelPurpose, GuildSettings, RolePurpose
from bot.i18n import default_catalog
from bot.services.members import MembersService
from bot.services.settings import SettingsService
from bot.services.settings_text import SettingsText
from cogs.settings import CHANNEL_CHOICES, LANGUAGE_CHOICES, ROLE_CHOICES, SettingsCog

CURRENT = GuildSettings(
    1,
    "fr",
    channels={ChannelPurpose.DROPIN: 200000000000000001, ChannelPurpose.QUESTIONS: 200000000000000002},
    roles={RolePurpose.FACILITATOR: 300000000000000001},
)
PROBLEMS = {ChannelPurpose.QUESTIONS: ["create_public_threads"]}


def rendered(lang: str) -> list[str]:
    cog = SettingsCog(
        SettingsText(default_catalog()), cast(SettingsService, None), cast(MembersService, None)
    )
    return cog._text.overview(CURRENT, PROBLEMS, lang).splitlines()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Language of bot posts: **French**",
                "• Facilitator: <@&300000000000000001>",
                "• Member: not set",
                "• Drop-in: <#200000000000000001>",
                "• Questions: <#200000000000000002>: missing **Create Public Threads**",
                "• Welcome: not set",
            ],
        ),
        (
            "fr",
            [
                "Langue des publications du bot\u00a0: **français**",
                "• Équipe d'animation\u00a0: <@&300000000000000001>",
                "• Membre\u00a0: non configuré",
                "• Rencontre hebdomadaire\u00a0: <#200000000000000001>",
                "• Questions\u00a0: <#200000000000000002>\u00a0: il manque **Créer des fils publics**",
            ],
        ),
    ],
)
def test_show_lists_settings_and_missing_permissions_in_the_callers_language(
    lang: str, expected: list[str]
) -> None:
    lines = rendered(lang)

    for line in expected:
        assert line in lines


def test_show_lists_every_purpose_once() -> None:
    items = [line for line in rendered("en") if line.startswith("• ")]

    assert len(items) == len(RolePurpose) + len(ChannelPurpose)


@pytest.mark.parametrize(
    ("choices", "values"),
    [
        (CHANNEL_CHOICES, {p.value for p in ChannelPurpose}),
        (ROLE_CHOICES, {p.value for p in RolePurpose}),
        (LANGUAGE_CHOICES, {"en", "fr", "both"}),
    ],
)
def test_choices_offer_every_value_once(choices: list[Any], values: set[str]) -> None:
    offered = [choice.value for choice in choices]

    assert sorted(offered) == sorted(values)

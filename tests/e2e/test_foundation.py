"""The foundation seen from Discord: /about, /help, /settings, localization, failures, violations."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.settings import ChannelPurpose, RolePurpose
from bot.i18n import default_catalog
from tests.e2e.conftest import Live

pytestmark = pytest.mark.asyncio(loop_scope="module")
CATALOG = default_catalog()


def _text(result: dict[str, Any]) -> str:
    """Everything a person would read in an interaction response: content and embed text."""
    data = (result.get("response") or {}).get("data") or {}
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
    return "\n".join(parts)


async def _no_violations(live: Live) -> None:
    assert await live.client.violations() == []


async def test_about_answers_alex_in_english(live: Live) -> None:
    result = await live.client.command("alex", "about")
    assert CATALOG.t("en", "about.title") in _text(result)
    assert "nss-aps.ca" in _text(result) and "@NSS_CoP" in _text(result)
    await _no_violations(live)


async def test_about_answers_riley_in_french(live: Live) -> None:
    result = await live.client.command("riley", "about")
    text = _text(result)
    assert CATALOG.t("fr", "about.title") in text
    assert "HE 12 h ·" in text
    await _no_violations(live)


async def test_about_is_ephemeral_and_shows_the_next_dropin_as_a_discord_timestamp(live: Live) -> None:
    result = await live.client.command("sam", "about")
    assert result["response"]["data"].get("flags", 0) & 64
    assert "<t:" in _text(result) and ":F>" in _text(result)


async def test_every_synced_command_has_french_name_and_description(live: Live) -> None:
    commands = await live.client.commands()
    assert {c["name"] for c in commands} >= {"about", "help", "settings"}
    for command in commands:
        assert (command.get("name_localizations") or {}).get("fr"), command["name"]
        assert (command.get("description_localizations") or {}).get("fr"), command["name"]
        for option in command.get("options") or []:
            assert (option.get("name_localizations") or {}).get("fr"), (command["name"], option["name"])


async def test_settings_show_works_for_a_facilitator(live: Live) -> None:
    result = await live.client.command("fiona", "settings show")
    text = _text(result)
    assert CATALOG.t("en", "settings.title") in text
    assert f"<#{live.sandbox.seed.channels['questions']}>" in text
    assert "missing" not in text  # the seeded bot holds what every configured channel needs
    await _no_violations(live)


async def test_settings_show_is_politely_refused_for_a_member(live: Live) -> None:
    result = await live.client.command("alex", "settings show")
    assert _text(result) == CATALOG.t("en", "error.not_facilitator")
    assert result["response"]["data"].get("flags", 0) & 64
    await _no_violations(live)


async def test_refusal_is_in_french_for_a_french_member(live: Live) -> None:
    result = await live.client.command("riley", "settings show")
    assert _text(result) == CATALOG.t("fr", "error.not_facilitator")


async def test_help_hides_facilitator_commands_from_members(live: Live) -> None:
    text = _text(await live.client.command("alex", "help"))
    assert "/about" in text and "/settings" not in text


async def test_help_shows_facilitator_commands_to_facilitators_in_their_language(live: Live) -> None:
    text = _text(await live.client.command("farah", "help"))
    assert "/paramètres afficher" in text and "/à-propos" in text


async def test_settings_language_is_saved(live: Live) -> None:
    result = await live.client.command("fiona", "settings language", {"language": "fr"})
    assert CATALOG.t("en", "language.fr") in _text(result)
    stored = await live.app.services.settings.get(live.sandbox.seed.guild_id)
    assert stored.language == "fr"
    await live.client.command("fiona", "settings language", {"language": "both"})


async def test_settings_channel_names_the_missing_permission(live: Live) -> None:
    await live.client.set_overwrite("general", target="NSS-CoP Bot", deny=["embed_links"])
    try:
        result = await live.client.command(
            "farah", "settings channel", {"purpose": "minutes", "channel": "general"}
        )
        assert CATALOG.t("fr", "permission.embed_links") in _text(result)
        stored = await live.app.services.settings.get(live.sandbox.seed.guild_id)
        assert stored.channel(ChannelPurpose.MINUTES) == live.sandbox.seed.channels["minutes"]
    finally:
        await live.client.set_overwrite("general", target="NSS-CoP Bot")
    await _no_violations(live)


async def test_settings_channel_is_saved_when_the_bot_can_work_there(live: Live) -> None:
    seed = live.sandbox.seed
    result = await live.client.command(
        "fiona", "settings channel", {"purpose": "welcome", "channel": "general"}
    )
    assert _text(result) == CATALOG.t(
        "en", "settings.channel_saved", purpose="Welcome", channel=f"<#{seed.channels['general']}>"
    )
    stored = await live.app.services.settings.get(seed.guild_id)
    assert stored.channel(ChannelPurpose.WELCOME) == seed.channels["general"]
    await live.client.command("fiona", "settings channel", {"purpose": "welcome", "channel": "welcome"})


async def test_settings_show_flags_a_configured_channel_missing_a_permission(live: Live) -> None:
    await live.client.set_overwrite("minutes", target="NSS-CoP Bot", deny=["attach_files"])
    try:
        text = _text(await live.client.command("fiona", "settings show"))
        assert CATALOG.t("en", "permission.attach_files") in text
    finally:
        await live.client.set_overwrite("minutes", target="NSS-CoP Bot")


async def test_settings_role_is_saved(live: Live) -> None:
    seed = live.sandbox.seed
    result = await live.client.command(
        "fiona", "settings role", {"purpose": "dropin_notify", "role": "Member"}
    )
    assert f"<@&{seed.roles['Member']}>" in _text(result)
    stored = await live.app.services.settings.get(seed.guild_id)
    assert stored.role(RolePurpose.DROPIN_NOTIFY) == seed.roles["Member"]


async def test_a_5xx_on_the_response_is_retried_and_the_answer_arrives_once(live: Live) -> None:
    await live.client.fault(method="POST", path=r"/interactions/.*/callback", status=503, count=1)
    result = await live.client.command("alex", "about")
    assert CATALOG.t("en", "about.title") in _text(result)
    history = await live.client.interaction(result["interaction_id"])
    assert history["followups"] == []
    await _no_violations(live)


async def test_a_429_with_retry_after_is_retried_and_the_answer_arrives(live: Live) -> None:
    await live.client.fault(
        method="POST", path=r"/interactions/.*/callback", status=429, count=1, retry_after=0.2
    )
    result = await live.client.command("alex", "about")
    assert CATALOG.t("en", "about.title") in _text(result)


async def test_unknown_option_is_refused_by_the_sandbox_with_a_clear_message(live: Live) -> None:
    with pytest.raises(Exception) as info:
        await live.client.command("fiona", "settings language", {"colour": "blue"})
    assert "colour" in str(info.value)

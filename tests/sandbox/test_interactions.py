"""Slash commands, components and modals driven through the control API against the real client."""

from __future__ import annotations

import aiohttp
import discord
import pytest

from sandbox import Sandbox, SandboxClient
from sandbox.client import SandboxClientError
from tests.sandbox.conftest import SandboxTestBot


async def test_guild_sync_is_visible_with_french_localizations(
    bot: SandboxTestBot, client: SandboxClient
) -> None:
    commands = {c["name"]: c for c in await client.commands()}
    assert {"ping", "settings", "feedback", "vote", "slow"} <= set(commands)
    settings = commands["settings"]
    assert settings["name_localizations"] == {"fr": "parametres"}
    assert settings["guild_id"] and settings["id"].isdigit()
    channel_group = next(o for o in settings["options"] if o["name"] == "channel")
    assert channel_group["type"] == 2 and channel_group["description_localizations"] == {
        "fr": "Paramètres des salons"
    }


async def test_command_gets_its_response(bot: SandboxTestBot, client: SandboxClient) -> None:
    result = await client.command("alex", "ping")
    assert result["response"]["type"] == 4
    assert result["response"]["data"]["content"] == "pong"
    messages = await client.channel_messages("general")
    assert [m["id"] for m in messages] == [result["message_id"]]


async def test_command_uses_the_users_locale_by_default(bot: SandboxTestBot, client: SandboxClient) -> None:
    result = await client.command("farah", "settings show")
    assert result["response"]["data"]["content"] == "locale=fr"
    assert result["response"]["data"]["flags"] == 64


async def test_a_localized_command_name_runs_the_command_as_discord_does(
    bot: SandboxTestBot, client: SandboxClient
) -> None:
    result = await client.command("farah", "parametres show")
    assert result["response"]["data"]["content"] == "locale=fr"


async def test_the_interaction_carries_the_default_name_not_the_localized_one(
    bot: SandboxTestBot, client: SandboxClient
) -> None:
    result = await client.command("farah", "parametres show")
    stored = await client.interaction(result["interaction_id"])
    assert stored["data"]["name"] == "settings"


async def test_nested_subcommand_options_resolve_channel_and_user(
    bot: SandboxTestBot, client: SandboxClient
) -> None:
    result = await client.command(
        "fiona", "settings channel set", {"target": "minutes", "who": "sam", "count": 3}
    )
    assert result["response"]["data"]["content"] == "set minutes for sam x3"


async def test_unknown_option_is_refused_with_the_known_ones(
    bot: SandboxTestBot, client: SandboxClient
) -> None:
    with pytest.raises(SandboxClientError) as caught:
        await client.command(
            "fiona", "settings channel set", {"target": "minutes", "who": "sam", "colour": 1}
        )
    assert caught.value.status == 400
    assert "colour" in caught.value.body["error"] and "count" in caught.value.body["error"]


async def test_button_click_reaches_the_view(bot: SandboxTestBot, client: SandboxClient) -> None:
    sent = await client.command("alex", "vote")
    clicked = await client.component("sam", sent["message_id"], "vote:yes")
    assert clicked["response"]["type"] == 7
    messages = await client.channel_messages("general")
    assert messages[-1]["content"] == "votes: 1" and messages[-1]["edited_at"] is not None


async def test_modal_opens_and_its_submission_is_answered(bot: SandboxTestBot, client: SandboxClient) -> None:
    opened = await client.command("riley", "feedback")
    assert opened["response"]["type"] == 9 and opened["message_id"] is None
    submitted = await client.modal("riley", opened["interaction_id"], {"Your feedback": "more coffee"})
    assert submitted["response"]["data"]["content"] == "thanks: more coffee"
    assert submitted["response"]["data"]["flags"] == 64


async def test_deferred_command_waits_for_the_followup(bot: SandboxTestBot, client: SandboxClient) -> None:
    result = await client.command("alex", "slow")
    assert result["response"]["type"] == 5
    assert [f["content"] for f in result["followups"]] == ["done slowly"]
    assert (
        result["followups"][0]["id"] == result["message_id"]
    )  # the first followup fills the "thinking" message


async def test_second_acknowledgement_is_refused_with_40060(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    result = await client.command("alex", "ping")
    record = sandbox.hub.interactions.get(int(result["interaction_id"]))
    assert record is not None
    url = f"{sandbox.http_base}/api/v10/interactions/{record.id}/{record.token}/callback?with_response=1"
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, json={"type": 4, "data": {"content": "again"}}) as r,
    ):
        assert r.status == 400 and (await r.json())["code"] == 40060
    assert [v["code"] for v in await client.violations()] == [40060]


async def test_late_acknowledgement_is_a_violation(
    bot: SandboxTestBot, client: SandboxClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sandbox.interactions as interactions
    import sandbox.rest_interactions as rest_interactions

    monkeypatch.setattr(interactions, "ACK_DEADLINE_S", 0.0)
    monkeypatch.setattr(rest_interactions, "ACK_DEADLINE_S", 0.0)
    with pytest.raises(SandboxClientError) as caught:
        await client.command("alex", "ping")
    assert caught.value.status == 504
    assert 10062 in {v["code"] for v in await client.violations()}


async def test_a_clean_flow_records_no_violation_even_after_schema_checks(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    sent = await client.command("alex", "vote")
    await client.component("sam", sent["message_id"], "vote:yes")
    opened = await client.command("riley", "feedback", locale="fr")
    await client.modal("riley", opened["interaction_id"], {"feedback:text": "merci"})
    await client.command("fiona", "settings channel set", {"target": "general", "who": "alex"})
    await client.command("alex", "slow")
    await client.send_message("alex", "dm", "hi")
    await client.wait_for(lambda: _has_bot_reply(client), timeout=5)
    assert await sandbox.wait_validation_loaded() == "ready"
    assert await client.violations() == []


async def _has_bot_reply(client: SandboxClient) -> bool:
    return any(m["author"]["bot"] for m in await client.dms("alex"))


async def test_autocomplete_returns_the_bots_choices(bot: SandboxTestBot, client: SandboxClient) -> None:
    status, body = await client.call(
        "POST",
        "/_sandbox/interactions/autocomplete",
        {"user": "alex", "command": "fruit", "options": {"name": "ap"}, "focused": "name"},
    )
    assert status == 200 and [c["value"] for c in body["choices"]] == ["apple", "apricot"]


async def test_message_context_menu_receives_the_target_message(
    bot: SandboxTestBot, client: SandboxClient
) -> None:
    posted = await client.send_message("sam", "general", "worth quoting")
    result = await client.command("alex", "Quote message", {"target": posted["id"]})
    assert result["response"]["data"]["content"] == "quoted: worth quoting"


async def test_button_on_a_dm_message_is_a_dm_context_interaction(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    await client.send_message("alex", "dm", "button")
    dms = await client.wait_for(lambda: _bot_dms(client), timeout=5)
    clicked = await client.component("alex", dms[0]["id"], "vote:yes")
    record = sandbox.hub.interactions.get(int(clicked["interaction_id"]))
    assert record is not None and record.payload["context"] == 1 and "member" not in record.payload
    assert clicked["response"]["data"]["content"] == "votes: 1"


async def _bot_dms(client: SandboxClient) -> list[dict[str, object]]:
    return [m for m in await client.dms("alex") if m["author"]["bot"]]


async def test_facilitator_only_command_is_refused_to_a_member(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    status, _ = await client.call(
        "POST", "/_sandbox/interactions/command", {"user": "alex", "command": "ping"}
    )
    assert status == 200
    for command in sandbox.hub.world.guild_commands:
        if command["name"] == "ping":
            command["default_member_permissions"] = str(discord.Permissions(manage_events=True).value)
    status, body = await client.call(
        "POST", "/_sandbox/interactions/command", {"user": "alex", "command": "ping"}
    )
    assert status == 403 and "alex" in body["error"]
    assert (await client.command("fiona", "ping"))["response"]["data"]["content"] == "pong"

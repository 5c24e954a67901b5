"""Interaction rules where the sandbox used to accept what Discord refuses (issue 14), with their doc lines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from sandbox import Sandbox, SandboxClient
from sandbox.control import ControlError
from sandbox.control_interactions import DM_APP_PERMISSIONS, _check_may_run, _new_interaction
from sandbox.permissions import perm
from tests.sandbox.conftest import SandboxTestBot


def _walk(options: list[dict[str, Any]]) -> dict[str, Any]:
    for option in options:
        if option.get("options"):
            return _walk(option["options"])
    return {o["name"]: o["value"] for o in options}


async def _callback(sandbox: Sandbox, body: dict[str, Any], query: str) -> tuple[int, Any]:
    hub = sandbox.hub
    user, channel = hub.world.find_user("alex"), hub.world.find_channel("general")
    record = _new_interaction(hub, 2, user, channel, None, {"id": "1", "name": "ping", "type": 1})
    url = f"{sandbox.http_base}/api/v10/interactions/{record.id}/{record.token}/callback{query}"
    async with aiohttp.ClientSession() as http, http.post(url, json=body) as response:
        text = await response.text()
        return response.status, (await response.json() if text else None)


async def test_a_callback_without_with_response_answers_204(sandbox: Sandbox) -> None:
    """receiving-and-responding.mdx:443: "Returns 204 unless with_response is set to true"."""
    status, body = await _callback(sandbox, {"type": 4, "data": {"content": "hi"}}, "")
    assert (status, body) == (204, None)


@pytest.mark.parametrize(("kind", "has_message"), [(4, True), (5, False)])
async def test_the_callback_resource_carries_a_message_only_for_types_4_and_7(
    sandbox: Sandbox, kind: int, has_message: bool
) -> None:
    """receiving-and-responding.mdx:409: message "Only present if type is either CHANNEL_MESSAGE_WITH_SOURCE or
    UPDATE_MESSAGE"."""
    data = {"content": "hi"} if kind == 4 else {}
    status, body = await _callback(sandbox, {"type": kind, "data": data}, "?with_response=true")
    assert status == 200 and body["resource"]["type"] == kind
    assert ("message" in body["resource"]) is has_message


async def test_a_deferred_callback_may_carry_only_the_ephemeral_flag(sandbox: Sandbox) -> None:
    """receiving-and-responding.mdx:304: "the only valid message flag you may use is EPHEMERAL"."""
    status, body = await _callback(sandbox, {"type": 5, "data": {"flags": 64 | 4}}, "?with_response=1")
    assert (status, body["code"]) == (400, 50035)


async def test_default_member_permissions_0_admits_administrators_only(sandbox: Sandbox) -> None:
    """application-commands.mdx:389: "0" prohibits everyone "unless ... the user has admin permissions"."""
    hub = sandbox.hub
    command = {"name": "admin", "default_member_permissions": "0"}
    general = hub.world.find_channel("general")
    with pytest.raises(ControlError):
        _check_may_run(hub, command, hub.world.find_user("fiona"), general)
    owner = hub.world.users[hub.world.guild.owner_id]
    _check_may_run(hub, command, owner, general)


def test_a_timed_out_member_keeps_only_view_and_history(sandbox: Sandbox) -> None:
    """permissions.mdx:310: timed-out members "lose all permissions except VIEW_CHANNEL and
    READ_MESSAGE_HISTORY"."""
    hub = sandbox.hub
    alex = hub.world.find_user("alex")
    hub.world.guild.members[alex.id].communication_disabled_until = (
        hub.world.now() + timedelta(hours=1)
    ).isoformat()
    have = hub.member_permissions(alex.id, hub.world.find_channel("general"))
    assert have == perm("view_channel", "read_message_history")


def test_app_permissions_in_a_dm_are_the_documented_dm_set(sandbox: Sandbox) -> None:
    """receiving-and-responding.mdx:49: ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE, and USE_EXTERNAL_EMOJIS
    in DMs with the app's bot user."""
    hub = sandbox.hub
    alex = hub.world.find_user("alex")
    record = _new_interaction(hub, 2, alex, hub.world.dm_channel_for(alex.id), None, {})
    assert int(record.payload["app_permissions"]) == DM_APP_PERMISSIONS


async def test_a_resolved_channel_carries_the_invoking_members_permissions(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    """receiving-and-responding.mdx:184: resolved channels carry `permissions` (the invoker's, not the app's)."""
    result = await client.command("alex", "settings channel set", {"target": "question-review", "who": "sam"})
    record = sandbox.hub.interactions.get(int(result["interaction_id"]))
    assert record is not None
    target = _walk(record.payload["data"]["options"])["target"]
    assert record.payload["data"]["resolved"]["channels"][target]["permissions"] == "0"


async def test_an_edited_message_has_edited_timestamp(sandbox: Sandbox) -> None:
    """message.mdx:32: edited_timestamp, "when this message was edited (or null if never)"."""
    channel = sandbox.hub.world.find_channel("general")
    headers = {"Authorization": f"Bot {sandbox.bot_token}"}
    base = f"{sandbox.http_base}/api/v10/channels/{channel.id}/messages"
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.post(base, json={"content": "first"}) as response:
            created = await response.json()
        assert created["edited_timestamp"] is None
        async with http.patch(f"{base}/{created['id']}", json={"content": "second"}) as response:
            assert (await response.json())["edited_timestamp"] is not None

"""Rules where the sandbox used to accept what Discord refuses (issue 14), each sent over raw HTTP.

Every test cites the discord-api-docs line it follows (developers/...mdx:LINE).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from sandbox import Sandbox, SandboxClient
from sandbox.model import Overwrite
from sandbox.permissions import perm
from tests.sandbox.bodies import event as event_body
from tests.sandbox.clocks import MovableClock

NOW = datetime(2027, 3, 4, 15, 0, tzinfo=UTC)
API = "/api/v10"
pytestmark = pytest.mark.sandbox_clock(NOW)


def _bot_role(sandbox: Sandbox) -> int:
    world = sandbox.hub.world
    return next(r for r in world.bot_member.role_ids if world.guild.roles[r].managed)


def _take_from_bot(sandbox: Sandbox, *names: str) -> None:
    role = sandbox.hub.world.guild.roles[_bot_role(sandbox)]
    role.permissions &= ~perm(*names)


async def _call(http: aiohttp.ClientSession, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    async with http.request(method, API + path, json=body) as response:
        text = await response.text()
        return response.status, (await response.json() if text else None)


async def _overwrite_for_alex(
    sandbox: Sandbox, http: aiohttp.ClientSession, *, allow: int = 0, deny: int = 0
) -> tuple[int, Any]:
    """Edit Channel Permissions on #general for Alex, as the bot."""
    channel = sandbox.hub.world.find_channel("general")
    alex = sandbox.seed.users["alex"]
    body = {"type": 1, "allow": str(allow), "deny": str(deny)}
    return await _call(http, "PUT", f"/channels/{channel.id}/permissions/{alex}", body)


# --- channel overwrites: channel.mdx:402 and :483, guild.mdx:891, change-log.mdx:3790 ----------------------


async def test_an_overwrite_may_not_use_a_bit_the_bot_has_only_through_its_own_channel_overwrite(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    """channel.mdx:483: "Only permissions your bot has in the guild or parent channel ... can be allowed/denied"."""
    _take_from_bot(sandbox, "pin_messages")
    channel = sandbox.hub.world.find_channel("general")
    bot_id = sandbox.hub.world.bot_user_id
    channel.overwrites[bot_id] = Overwrite(bot_id, 1, allow=perm("pin_messages"))
    status, body = await _overwrite_for_alex(sandbox, http, allow=perm("pin_messages"))
    assert (status, body["code"]) == (403, 50013)


async def test_modify_channel_overwrites_follow_the_same_rule(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    """channel.mdx:402 (Modify Channel): the same sentence for permission_overwrites."""
    _take_from_bot(sandbox, "pin_messages")
    channel = sandbox.hub.world.find_channel("general")
    bot_id = sandbox.hub.world.bot_user_id
    channel.overwrites[bot_id] = Overwrite(bot_id, 1, allow=perm("pin_messages"))
    own = {"id": str(bot_id), "type": 1, "allow": str(perm("pin_messages")), "deny": "0"}
    status, body = await _call(http, "PATCH", f"/channels/{channel.id}", {"permission_overwrites": [own]})
    assert (status, body["code"]) == (403, 50013)


async def test_a_bit_the_bot_holds_in_the_guild_may_be_denied(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    status, _ = await _overwrite_for_alex(sandbox, http, deny=perm("view_channel", "pin_messages"))
    assert status == 204


async def test_granting_manage_roles_in_an_overwrite_needs_administrator(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    """guild.mdx:891: "Setting MANAGE_ROLES permission in channels is only possible for guild administrators"."""
    status, body = await _overwrite_for_alex(sandbox, http, allow=perm("manage_roles"))
    assert (status, body["code"]) == (403, 50013)


async def test_a_manage_roles_overwrite_in_the_channel_lifts_the_rule(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    """channel.mdx:483: "(unless your bot has a MANAGE_ROLES overwrite in the channel)"."""
    _take_from_bot(sandbox, "pin_messages")
    channel = sandbox.hub.world.find_channel("general")
    role = _bot_role(sandbox)
    channel.overwrites[role] = Overwrite(role, 0, allow=perm("manage_roles"))
    status, _ = await _overwrite_for_alex(sandbox, http, allow=perm("pin_messages"))
    assert status == 204


# --- the February 2026 permission splits: change-log.mdx:1001 and :1022 ----------------------------------


async def test_pinning_needs_pin_messages_not_manage_messages(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    """message.mdx:1273: Pin Message "Requires the PIN_MESSAGES permission"."""
    channel = sandbox.hub.world.find_channel("general")
    status, message = await _call(http, "POST", f"/channels/{channel.id}/messages", {"content": "hello"})
    assert status == 200
    _take_from_bot(sandbox, "pin_messages")
    status, body = await _call(http, "PUT", f"/channels/{channel.id}/messages/pins/{message['id']}")
    assert (status, body["code"]) == (403, 50013)


async def test_creating_an_event_needs_create_events_not_manage_events(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    """guild-scheduled-event.mdx:453-455 (Create Permissions: CREATE_EVENTS); change-log.mdx:1022."""
    _take_from_bot(sandbox, "create_events")
    path = f"/guilds/{sandbox.seed.guild_id}/scheduled-events"
    status, body = await _call(http, "POST", path, event_body(NOW + timedelta(hours=1)))
    assert (status, body["code"]) == (403, 50013)


# --- scheduled-event lifecycle: guild-scheduled-event.mdx:88, :305, :425-431 -------------------------------


async def test_an_external_event_starts_and_ends_on_the_clock(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: MovableClock
) -> None:
    guild = sandbox.seed.guild_id
    _, event = await _call(
        http, "POST", f"/guilds/{guild}/scheduled-events", event_body(NOW + timedelta(hours=1))
    )
    path = f"/guilds/{guild}/scheduled-events/{event['id']}"
    seen = []
    for step in (timedelta(0), timedelta(hours=1), timedelta(hours=1)):
        clock.advance(step)
        seen.append((await _call(http, "GET", path))[1]["status"])
    assert seen == [1, 2, 3]


async def test_a_finished_event_cannot_be_edited(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: MovableClock
) -> None:
    """guild-scheduled-event.mdx:88: "Once status is set to COMPLETED or CANCELED, the status can no longer be
    updated"."""
    guild = sandbox.seed.guild_id
    _, event = await _call(
        http, "POST", f"/guilds/{guild}/scheduled-events", event_body(NOW + timedelta(hours=1))
    )
    clock.advance(timedelta(hours=3))
    later = NOW + timedelta(days=1)
    status, body = await _call(
        http,
        "PATCH",
        f"/guilds/{guild}/scheduled-events/{event['id']}",
        {
            "scheduled_start_time": later.isoformat(),
            "scheduled_end_time": (later + timedelta(hours=1)).isoformat(),
        },
    )
    assert (status, body["code"]) == (400, 50035) and "status" in body["errors"]


async def test_finished_events_do_not_count_toward_the_cap(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: MovableClock
) -> None:
    """guild-scheduled-event.mdx:305: "a maximum of 100 events with SCHEDULED or ACTIVE status"."""
    guild = sandbox.seed.guild_id
    _, first = await _call(
        http, "POST", f"/guilds/{guild}/scheduled-events", event_body(NOW + timedelta(hours=1))
    )
    events = sandbox.hub.world.guild.scheduled_events
    for n in range(1, 100):  # the other 99 straight into the world: 100 POSTs would hit the rate limit
        events[int(first["id"]) + n] = {**first, "id": str(int(first["id"]) + n)}
    status, body = await _call(
        http, "POST", f"/guilds/{guild}/scheduled-events", event_body(NOW + timedelta(hours=1))
    )
    assert (status, body["code"]) == (400, 30038)
    clock.advance(timedelta(hours=3))
    status, _ = await _call(
        http, "POST", f"/guilds/{guild}/scheduled-events", event_body(NOW + timedelta(hours=4))
    )
    assert status == 200


async def test_an_empty_event_description_is_refused(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    """guild-scheduled-event.mdx:24: "the description of the scheduled event (1-1000 characters)"."""
    path = f"/guilds/{sandbox.seed.guild_id}/scheduled-events"
    status, body = await _call(http, "POST", path, event_body(NOW + timedelta(hours=1), description=""))
    assert (status, body["code"]) == (400, 50035) and "description" in body["errors"]


# --- messages fetched over REST: message.mdx:22 and :1081, gateway.mdx:487-499 -----------------------------


async def test_a_fetched_message_has_no_nonce(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    channel = sandbox.hub.world.find_channel("general")
    body = {"content": "hello", "nonce": "n-1", "enforce_nonce": True}
    status, created = await _call(http, "POST", f"/channels/{channel.id}/messages", body)
    assert status == 200
    _, fetched = await _call(http, "GET", f"/channels/{channel.id}/messages/{created['id']}")
    assert "nonce" not in fetched and fetched["content"] == "hello"


async def test_without_the_content_intent_a_members_message_is_fetched_empty(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    async with SandboxClient(sandbox.http_base) as client:
        await client.send_message("alex", "general", "a member's words")
    channel = sandbox.hub.world.find_channel("general")
    _, messages = await _call(http, "GET", f"/channels/{channel.id}/messages?limit=1")
    assert (messages[0]["content"], messages[0]["embeds"]) == ("", [])


# --- limits: opcodes-and-status-codes.mdx, message.mdx, reference.mdx, application-commands.mdx --------------


async def test_invalid_json_answers_50109(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    """opcodes-and-status-codes.mdx:310: 50109 "The request body contains invalid JSON."."""
    channel = sandbox.hub.world.find_channel("general")
    headers = {"Content-Type": "application/json"}
    async with http.post(
        f"{API}/channels/{channel.id}/messages", data=b"{not json", headers=headers
    ) as response:
        assert (response.status, (await response.json())["code"]) == (400, 50109)


@pytest.mark.parametrize(
    "sizes",
    [[10 * 1024 * 1024 + 1], [9 * 1024 * 1024, 9 * 1024 * 1024, 9 * 1024 * 1024]],
    ids=["file", "request"],
)
async def test_uploads_over_10_mib_a_file_or_25_mib_a_request_answer_40005(
    sandbox: Sandbox, http: aiohttp.ClientSession, sizes: list[int]
) -> None:
    """reference.mdx:430 (10 MiB per file), message.mdx:1072 (25 MiB per request), 40005 (:239)."""
    channel = sandbox.hub.world.find_channel("general")
    form = aiohttp.FormData()
    form.add_field("payload_json", '{"content": "files"}', content_type="application/json")
    for i, size in enumerate(sizes):
        form.add_field(f"files[{i}]", b"x" * size, filename=f"f{i}.txt", content_type="text/plain")
    async with http.post(f"{API}/channels/{channel.id}/messages", data=form) as response:
        assert (response.status, (await response.json())["code"]) == (413, 40005)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": "x", "flags": 64}, "flags"),  # EPHEMERAL is for interactions only (message.mdx:1091)
        (
            {"content": "x", "flags": 1 << 15},
            "content",
        ),  # IS_COMPONENTS_V2 excludes content (message.mdx:1098)
    ],
)
async def test_message_flags_follow_the_documented_list(
    sandbox: Sandbox, http: aiohttp.ClientSession, body: dict[str, Any], field: str
) -> None:
    channel = sandbox.hub.world.find_channel("general")
    status, answer = await _call(http, "POST", f"/channels/{channel.id}/messages", body)
    assert (status, answer["code"]) == (400, 50035) and field in answer["errors"]


async def test_a_category_holds_at_most_50_channels(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    """channel.mdx:72: a category "contains up to 50 channels"; a form error on parent_id."""
    guild = sandbox.seed.guild_id
    _, category = await _call(http, "POST", f"/guilds/{guild}/channels", {"name": "Full", "type": 4})
    world = sandbox.hub.world
    general = world.find_channel("general")
    for n in range(50):  # straight into the world: 50 POSTs would hit the rate limit
        world.guild.channels[10**17 + n] = replace(general, id=10**17 + n, parent_id=int(category["id"]))
    status, body = await _call(
        http,
        "POST",
        f"/guilds/{guild}/channels",
        {"name": "one-more", "type": 0, "parent_id": category["id"]},
    )
    assert (status, body["code"]) == (400, 50035) and "parent_id" in body["errors"]


async def test_an_application_command_over_8000_characters_is_refused(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    """application-commands.mdx:450: "a maximum of 8000 characters for combined name, description, and value"."""
    options = [
        {
            "type": 3,
            "name": f"o{i}",
            "description": "d" * 100,
            "choices": [{"name": "n" * 100, "value": "v" * 100} for _ in range(25)],
        }
        for i in range(2)
    ]
    command = {"name": "big", "description": "Big", "type": 1, "options": options}
    path = f"/applications/{sandbox.hub.world.application_id}/commands"
    status, body = await _call(http, "POST", path, command)
    assert (status, body["code"]) == (400, 50035) and "APPLICATION_COMMAND_TOO_LARGE" in json.dumps(body)


async def test_a_second_identify_on_a_connection_closes_it_with_4005(sandbox: Sandbox) -> None:
    """opcodes-and-status-codes.mdx:95: 4005 "Already authenticated"."""
    identify = {"op": 2, "d": {"token": sandbox.bot_token, "intents": 1, "properties": {}}}
    async with aiohttp.ClientSession() as session, session.ws_connect(sandbox.gateway_url) as ws:
        await ws.receive_json()  # HELLO
        await ws.send_json(identify)
        await ws.send_json(identify)
        while (await ws.receive(timeout=5)).type == aiohttp.WSMsgType.TEXT:
            pass
        assert ws.close_code == 4005

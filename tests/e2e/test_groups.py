"""Working groups through the sandbox: the permissions Discord would compute for each visibility,
joining, requests, archive, directory, honoraria export, and clear refusals."""

from __future__ import annotations

import csv
import io
from typing import Any

import aiohttp
import discord
import pytest

from bot.i18n import default_catalog
from sandbox import SandboxClient
from tests.e2e.conftest import Live, bot_per_test
from tests.e2e.question_steps import button, catalog_fragment, last_message, reply_text, text_of

CATALOG = default_catalog()
PEOPLE = ("alex", "sam", "fiona", "riley")  # member, lead, facilitator, newcomer (no role)


live = pytest.fixture(bot_per_test, name="live")  # a fresh bot and sandbox for every test


async def create(client: SandboxClient, name: str, visibility: str, lead: str = "sam") -> dict[str, Any]:
    options = {"name": name, "description": f"About {name}", "visibility": visibility, "lead": lead}
    return await client.command("fiona", "wg create", options)


async def rights(client: SandboxClient, channel: str) -> dict[str, tuple[bool, bool]]:
    found = {}
    for user in PEOPLE:
        permissions = await client.permissions(user, channel)
        found[user] = (permissions["view"], permissions["send"])
    return found


# (view, send) for alex (member of the server), sam (the lead), fiona (facilitator), riley (no role)
EXPECTED = {
    "open": {"alex": (True, False), "sam": (True, True), "fiona": (True, True), "riley": (True, False)},
    "request": {"alex": (False, False), "sam": (True, True), "fiona": (True, True), "riley": (False, False)},
    "private": {"alex": (False, False), "sam": (True, True), "fiona": (True, True), "riley": (False, False)},
}


@pytest.mark.parametrize("visibility", ["open", "request", "private"])
async def test_each_visibility_gives_exactly_the_intended_rights(live: Live, visibility: str) -> None:
    await create(live.client, f"Group {visibility}", visibility)
    assert await rights(live.client, f"wg-group-{visibility}") == EXPECTED[visibility]
    assert await live.client.violations() == []


async def test_the_group_has_a_role_a_channel_in_the_category_and_a_pinned_charter(live: Live) -> None:
    await create(live.client, "Peer Support", "open")
    guild = await live.client.guild()
    channel = next(c for c in guild["channels"] if c["name"] == "wg-peer-support")
    category = next(c for c in guild["channels"] if c["id"] == channel["parent_id"])
    assert category["name"] == "Working groups"
    assert any(r["name"] == "WG · Peer Support" for r in guild["roles"])
    charter = (await live.client.channel_messages("wg-peer-support"))[0]
    assert charter["pinned"] and "Peer Support: charter" in text_of(charter)


async def test_join_and_leave_an_open_group(live: Live) -> None:
    client = live.client
    await create(client, "Open Door", "open")
    joined = await client.command("riley", "wg join", {"group": "Open Door"})
    assert CATALOG.t("fr", "groups.joined", name="Open Door", channel="").split(":")[0] in reply_text(joined)
    assert (await client.permissions("riley", "wg-open-door"))["send"]
    await client.command("riley", "wg leave", {"group": "Open Door"})
    assert not (await client.permissions("riley", "wg-open-door"))["send"]


@pytest.mark.parametrize(("kind", "joins"), [("wg-approve", True), ("wg-deny", False)])
async def test_a_request_is_approved_or_declined_by_a_lead(live: Live, kind: str, joins: bool) -> None:
    client = live.client
    await create(client, "Ask First", "request")
    requested = await client.command("alex", "wg join", {"group": "Ask First"})
    assert "leads" in reply_text(requested)
    card = await last_message(client, "wg-ask-first", 2)
    refused = await client.component("riley", card["id"], button(card, kind))  # not a lead
    assert "Only the leads" in reply_text(refused) or "Seules les personnes" in reply_text(refused)
    await client.component("sam", card["id"], button(card, kind))
    assert (await client.permissions("alex", "wg-ask-first"))["view"] is joins
    outcome = [m for m in await client.dms("alex") if m["author"].get("bot")][-1]
    key = "groups.request.approved_dm" if joins else "groups.request.denied_dm"
    assert CATALOG.t("en", key, name="Ask First") in text_of(outcome)
    decided = next(m for m in await client.channel_messages("wg-ask-first") if m["id"] == card["id"])
    assert decided["components"] == []  # a decided card keeps its text and loses its buttons
    assert decided["embeds"] == card["embeds"]


async def test_archive_makes_the_channel_read_only_and_keeps_its_messages(live: Live) -> None:
    client = live.client
    await create(client, "Old Project", "open")
    await client.command("alex", "wg join", {"group": "Old Project"})
    await client.command("sam", "wg announce", {"group": "Old Project", "text": "Final report is out"})
    before = await client.channel_messages("wg-old-project")
    archived = await client.command("fiona", "wg archive", {"group": "Old Project"})
    assert "archived" in reply_text(archived)
    guild = await client.guild()
    channel = next(c for c in guild["channels"] if c["name"] == "wg-old-project")
    parent = next(c for c in guild["channels"] if c["id"] == channel["parent_id"])
    assert parent["name"] == "Archived working groups"
    for user in ("alex", "sam", "fiona", "riley"):
        assert await client.permissions(user, "wg-old-project") | {
            "view": True,
            "send": False,
        } == await client.permissions(user, "wg-old-project"), user
    after = await client.channel_messages("wg-old-project")
    assert [m["id"] for m in after] == [m["id"] for m in before]
    await client.command("fiona", "wg unarchive", {"group": "Old Project"})
    assert (await client.permissions("alex", "wg-old-project"))["send"]
    assert await client.violations() == []


async def test_the_directory_lists_open_and_request_groups_but_not_private_ones(live: Live) -> None:
    client = live.client
    for name, visibility in (("Alpha", "open"), ("Beta", "request"), ("Gamma", "private")):
        await create(client, name, visibility)
    messages = [m for m in await client.channel_messages("working-groups") if m["author"].get("bot")]
    assert len(messages) == 1, "the directory is one message kept current"
    text = text_of(messages[0])
    assert "Alpha" in text and "Beta" in text and "Gamma" not in text
    await client.command("fiona", "wg archive", {"group": "Alpha"})
    text = text_of(next(m for m in await client.channel_messages("working-groups") if m["author"].get("bot")))
    assert "Alpha" not in text


async def test_joining_from_the_directory_menu(live: Live) -> None:
    client = live.client
    await create(client, "Harm Reduction", "open")
    directory = next(m for m in await client.channel_messages("working-groups") if m["author"].get("bot"))
    menu = next(c["custom_id"] for row in directory["components"] for c in row["components"])
    await client.component("alex", directory["id"], menu, values=["Harm Reduction"])
    assert (await client.permissions("alex", "wg-harm-reduction"))["send"]


async def test_members_are_named_for_leads_and_counted_for_others(live: Live) -> None:
    client = live.client
    await create(client, "Counting", "open")
    await client.command("alex", "wg join", {"group": "Counting"})
    for_lead = reply_text(await client.command("sam", "wg members", {"group": "Counting"}))
    for_member = reply_text(await client.command("alex", "wg members", {"group": "Counting"}))
    assert "Alex" in for_lead and "2 members" in for_lead
    assert "Alex" not in for_member and "2 members" in for_member


async def test_the_honoraria_export_contains_only_opted_in_members(live: Live) -> None:
    client = live.client
    seed = live.sandbox.seed
    await create(client, "Paid Work", "open")
    await client.command("alex", "honoraria opt-in")
    recorded = await client.command(
        "sam",
        "wg attendance",
        {
            "group": "Paid Work",
            "date": "2026-11-20",
            "members": f"<@{seed.users['alex']}> <@{seed.users['riley']}>",
        },
    )
    assert "1 not recorded" in reply_text(recorded) or "1 member" in reply_text(recorded)
    exported = await client.command("fiona", "honoraria export", {"from": "2026-11-01", "to": "2026-11-30"})
    attachments = [a for message in exported["followups"] for a in message.get("attachments") or []]
    assert attachments, exported["response"]
    async with aiohttp.ClientSession() as http, http.get(attachments[0]["url"]) as response:
        rows = list(csv.reader(io.StringIO(await response.text())))
    assert rows[0] == ["date", "working_group", "member", "discord_user_id"]
    assert [row[3] for row in rows[1:]] == [str(seed.users["alex"])]
    refused = await client.command("alex", "honoraria export", {"from": "2026-11-01", "to": "2026-11-30"})
    assert reply_text(refused) == CATALOG.t("en", "error.not_facilitator")


@pytest.mark.parametrize(
    ("user", "command", "options", "key"),
    [
        (
            "fiona",
            "wg create",
            {"name": "!!", "description": "x", "visibility": "open", "lead": "sam"},
            "groups.error.bad_name",
        ),
        (
            "alex",
            "wg create",
            {"name": "Mine", "description": "x", "visibility": "open", "lead": "sam"},
            "error.not_facilitator",
        ),
        ("alex", "wg join", {"group": "Nowhere"}, "groups.error.unknown"),
        ("alex", "wg announce", {"group": "Existing", "text": "hi"}, "groups.error.lead_only"),
        (
            "fiona",
            "wg create",
            {"name": "Existing", "description": "x", "visibility": "open", "lead": "sam"},
            "groups.error.duplicate",
        ),
    ],
)
async def test_bad_input_gets_a_localized_explanation(
    live: Live, user: str, command: str, options: dict[str, str], key: str
) -> None:
    await create(live.client, "Existing", "open")
    english = reply_text(await live.client.command(user, command, options))
    french = reply_text(await live.client.command(user, command, options, locale="fr"))
    assert catalog_fragment("en", key) in english, english
    assert catalog_fragment("fr", key) in french, french


@pytest.mark.parametrize("permission", ["manage_roles", "manage_channels"])
async def test_the_bot_lacking_a_permission_names_it(live: Live, permission: str) -> None:
    bot_role = "NSS-CoP Bot"
    role = next(r for r in (await live.client.guild())["roles"] if r["name"] == bot_role)
    await live.client.set_role_permissions(bot_role, int(role["permissions"]) & ~_bit(permission))
    result = await create(live.client, "Blocked", "open")
    assert CATALOG.t("en", f"permission.{permission}") in reply_text(result)


def _bit(name: str) -> int:
    return int(discord.Permissions(**{name: True}).value)


async def test_a_departing_lead_keeps_no_access_to_a_private_group_when_the_role_removal_fails(
    live: Live,
) -> None:
    client = live.client
    await create(client, "Hidden Room", "private")
    await client.fault(method="DELETE", path=r"/members/\d+/roles/\d+", status=503, count=1)
    await client.command("sam", "wg leave", {"group": "Hidden Room"})
    assert (await client.permissions("sam", "wg-hidden-room"))["view"] is False


async def test_a_lead_leaves_a_private_group_after_the_bot_lost_a_permission_it_once_granted(
    live: Live,
) -> None:
    """Discord refuses overwrites with bits the bot lacks in the guild, even ones its own overwrite gives it."""
    client = live.client
    await create(client, "Quiet Room", "private")
    bot_role = "NSS-CoP Bot"
    role = next(r for r in (await client.guild())["roles"] if r["name"] == bot_role)
    await client.set_role_permissions(bot_role, int(role["permissions"]) & ~_bit("pin_messages"))
    await client.command("sam", "wg leave", {"group": "Quiet Room"})
    assert (await client.permissions("sam", "wg-quiet-room"))["view"] is False
    assert await client.violations() == []

"""The sandbox's member lifecycle (leave, rejoin) and crowd seeding for the membership report."""

from __future__ import annotations

import discord
import pytest

from sandbox import Crowd, Sandbox, SandboxClient, SandboxClientError
from sandbox.seed import build_world
from tests.sandbox.conftest import SandboxTestBot, wait_until


async def test_a_member_leaves_and_rejoins_with_the_same_account(
    bot: SandboxTestBot, client: SandboxClient
) -> None:
    first = await client.add_member("comeback")
    user_id = int(first["user"]["id"])
    guild = bot.guilds[0]
    await wait_until(lambda: guild.get_member(user_id) is not None)
    await client.remove_member("comeback")
    await wait_until(lambda: guild.get_member(user_id) is None)
    again = await client.add_member("comeback")
    assert int(again["user"]["id"]) == user_id
    await wait_until(lambda: len(bot.member_joins) == 2)


async def test_adding_someone_already_in_the_server_is_refused(client: SandboxClient) -> None:
    with pytest.raises(SandboxClientError):
        await client.add_member("alex")


async def test_the_owner_cannot_leave(client: SandboxClient) -> None:
    with pytest.raises(SandboxClientError):
        await client.remove_member("sandbox-owner")


def test_a_crowd_is_seeded_with_roles_below_the_bot_and_spread_joins() -> None:
    world, info = build_world(crowd=Crowd(size=300, roles={"Nurse": 3}))
    crowd = [m for u, m in world.guild.members.items() if world.users[u].username.startswith("member")]
    assert len(crowd) == 300
    nurse = info.roles["Nurse"]
    assert sum(nurse in m.role_ids for m in crowd) == 100
    bot_role = next(r for r in world.guild.roles.values() if r.managed)
    assert world.guild.roles[nurse].position < bot_role.position
    assert len({m.joined_at[:7] for m in crowd}) >= 11  # spread over the last twelve months


# Discord: "Add Guild Member Role … Requires the MANAGE_ROLES permission" (resources/guild.md), and
# "Bots can … only … manage roles lower than their highest role" (topics/permissions.md, Permission Hierarchy).
async def test_assigning_a_role_needs_manage_roles(
    bot: SandboxTestBot, sandbox: Sandbox, client: SandboxClient
) -> None:
    member_role = sandbox.seed.roles["Member"]
    await client.set_role_permissions("NSS-CoP Bot", ["view_channel", "send_messages"])
    with pytest.raises(discord.Forbidden) as caught:
        await bot.http.add_role(sandbox.seed.guild_id, sandbox.seed.users["riley"], member_role)
    assert caught.value.code == 50013


async def test_assigning_a_role_above_the_bots_is_refused(bot: SandboxTestBot, sandbox: Sandbox) -> None:
    guild = sandbox.hub.world.guild
    role = guild.roles[sandbox.seed.roles["Member"]]
    role.position = max(r.position for r in guild.roles.values()) + 1
    with pytest.raises(discord.Forbidden) as caught:
        await bot.http.add_role(sandbox.seed.guild_id, sandbox.seed.users["riley"], role.id)
    assert caught.value.code == 50013

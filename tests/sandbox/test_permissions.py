"""Pure rules: permission arithmetic (roles, then @everyone/role/member overwrites) and the seed.

Discord's body limits, once tested here too, are in test_limits (sandbox.limits).
"""

from __future__ import annotations

from sandbox.model import Overwrite
from sandbox.permissions import channel_permissions, perm
from sandbox.seed import build_world


def test_member_overwrite_beats_role_overwrites_which_beat_everyone() -> None:
    world, seed = build_world()
    guild = world.guild
    channel = world.find_channel("general")
    alex = guild.members[seed.users["alex"]]
    member_role = seed.roles["Member"]
    send = perm("send_messages")
    channel.overwrites[guild.id] = Overwrite(guild.id, 0, deny=send)
    assert not channel_permissions(guild, alex, channel) & send
    channel.overwrites[member_role] = Overwrite(member_role, 0, allow=send)
    assert channel_permissions(guild, alex, channel) & send
    channel.overwrites[alex.user_id] = Overwrite(alex.user_id, 1, deny=send)
    assert not channel_permissions(guild, alex, channel) & send


def test_private_category_is_hidden_from_members_but_not_facilitators_or_the_bot() -> None:
    world, seed = build_world()
    review = world.find_channel("question-review")
    view = perm("view_channel")
    guild = world.guild
    assert channel_permissions(guild, guild.members[seed.users["alex"]], review) == 0
    assert channel_permissions(guild, guild.members[seed.users["fiona"]], review) & view
    assert channel_permissions(guild, guild.members[seed.bot_user_id], review) & view


def test_the_owner_is_not_a_test_user() -> None:
    world, seed = build_world()
    assert world.guild.owner_id not in {
        seed.users[name] for name in ("fiona", "farah", "alex", "sam", "riley")
    }

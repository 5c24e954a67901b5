"""Pure rules: Discord's body limits and permission arithmetic."""

from __future__ import annotations

import pytest

from sandbox.limits import check_allowed_mentions, check_message_body, check_modal
from sandbox.model import Overwrite
from sandbox.permissions import channel_permissions, perm
from sandbox.seed import build_world


def _fields(errors: list) -> set[str]:
    return {e.field for e in errors}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": "x" * 2001}, "content"),
        ({"embeds": [{"title": "t"}] * 11}, "embeds"),
        ({"embeds": [{"description": "d" * 4097}]}, "embeds.0.description"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "embeds"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embeds.0.fields.0.value"),
        (
            {"components": [{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": ""}]}]},
            "components.0.components.0.custom_id",
        ),
        (
            {
                "components": [
                    {
                        "type": 1,
                        "components": [{"type": 2, "style": 1, "custom_id": f"b{i}"} for i in range(6)],
                    }
                ]
            },
            "components.0.components",
        ),
    ],
)
def test_message_limits_are_reported_at_the_right_field(body: dict, field: str) -> None:
    assert field in _fields(check_message_body(body))


def test_a_message_within_limits_has_no_errors() -> None:
    body = {"content": "x" * 2000, "embeds": [{"title": "t", "fields": [{"name": "a", "value": "b"}]}]}
    assert check_message_body(body) == []


@pytest.mark.parametrize(
    ("modal", "field"),
    [
        ({"custom_id": "m", "title": "t" * 46, "components": [{"type": 1, "components": []}]}, "data.title"),
        ({"custom_id": "m", "title": "t", "components": [{"type": 1, "components": []}] * 6}, "data.components"),
        (
            {"custom_id": "m", "title": "t", "components": [{"type": 1, "components": [
                {"type": 4, "custom_id": "i", "style": 1, "label": "l" * 46}]}]},
            "data.components.0.components.0.label",
        ),
        (
            {"custom_id": "m", "title": "t", "components": [{"type": 1, "components": [
                {"type": 4, "custom_id": "i", "style": 2, "label": "l", "max_length": 4001}]}]},
            "data.components.0.components.0.max_length",
        ),
    ],
)  # fmt: skip
def test_modal_limits(modal: dict, field: str) -> None:
    assert field in _fields(check_modal(modal))


def test_allowed_mentions_parse_users_with_a_user_list_is_an_error() -> None:
    assert check_allowed_mentions({"parse": ["users"], "users": ["1"]})
    assert check_allowed_mentions({"parse": [], "users": ["1"]}) == []


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

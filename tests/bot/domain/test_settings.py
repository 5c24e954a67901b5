"""bot/domain/settings.py: permission needs per channel purpose, who facilitates, languages."""

from __future__ import annotations

import pytest

from bot.domain.settings import (
    REQUIRED_CHANNEL_PERMISSIONS,
    ChannelPurpose,
    GuildSettings,
    RolePurpose,
    is_facilitator,
    missing_permissions,
    parse_language,
)

POST = ("view_channel", "send_messages", "embed_links", "read_message_history")


def test_every_channel_purpose_declares_its_permissions() -> None:
    assert set(REQUIRED_CHANNEL_PERMISSIONS) == set(ChannelPurpose)


@pytest.mark.parametrize("purpose", list(ChannelPurpose))
def test_nothing_missing_when_everything_required_is_granted(purpose: ChannelPurpose) -> None:
    granted = frozenset(REQUIRED_CHANNEL_PERMISSIONS[purpose]) | {"administrator"}

    assert missing_permissions(purpose, granted) == []


@pytest.mark.parametrize("purpose", list(ChannelPurpose))
def test_everything_required_is_missing_when_nothing_is_granted(purpose: ChannelPurpose) -> None:
    assert missing_permissions(purpose, frozenset()) == list(REQUIRED_CHANNEL_PERMISSIONS[purpose])


@pytest.mark.parametrize(
    ("purpose", "granted", "missing"),
    [
        (
            ChannelPurpose.ANNOUNCEMENTS,
            {"view_channel", "send_messages"},
            ["embed_links", "read_message_history"],
        ),
        (ChannelPurpose.QUESTIONS, set(POST), ["create_public_threads", "send_messages_in_threads"]),
        (ChannelPurpose.MINUTES, {*POST, "pin_messages"}, ["attach_files"]),
        (ChannelPurpose.WORKING_GROUPS, {*POST, "attach_files"}, ["pin_messages"]),
        (ChannelPurpose.WELCOME, {"embed_links", "view_channel"}, ["send_messages", "read_message_history"]),
    ],
)
def test_missing_permissions_lists_what_lacks_in_the_declared_order(
    purpose: ChannelPurpose, granted: set[str], missing: list[str]
) -> None:
    assert missing_permissions(purpose, frozenset(granted)) == missing


FACILITATOR_ROLE = 900000000000000001
OTHER_ROLE = 900000000000000002


@pytest.mark.parametrize(
    ("configured_role", "member_roles", "manage_guild", "expected"),
    [
        pytest.param(None, set(), True, True, id="manager-without-role-configured"),
        pytest.param(FACILITATOR_ROLE, set(), True, True, id="manager-without-the-role"),
        pytest.param(FACILITATOR_ROLE, {OTHER_ROLE, FACILITATOR_ROLE}, False, True, id="has-the-role"),
        pytest.param(FACILITATOR_ROLE, {OTHER_ROLE}, False, False, id="other-roles-only"),
        pytest.param(FACILITATOR_ROLE, set(), False, False, id="no-roles"),
        pytest.param(None, {OTHER_ROLE}, False, False, id="no-role-configured"),
    ],
)
def test_is_facilitator(
    configured_role: int | None, member_roles: set[int], manage_guild: bool, expected: bool
) -> None:
    roles = {RolePurpose.FACILITATOR: configured_role} if configured_role else {}
    settings = GuildSettings(guild_id=1, language="both", roles=roles)

    assert is_facilitator(settings, frozenset(member_roles), manage_guild) is expected


def test_member_role_does_not_make_a_facilitator() -> None:
    settings = GuildSettings(guild_id=1, language="both", roles={RolePurpose.MEMBER: OTHER_ROLE})

    assert is_facilitator(settings, frozenset({OTHER_ROLE}), False) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en", "en"), ("fr", "fr"), ("both", "both"), ("de", "both"), ("", "both"), ("english", "both")],
)
def test_parse_language(value: str, expected: str) -> None:
    assert parse_language(value) == expected


def test_guild_settings_lookups_return_none_when_unset() -> None:
    settings = GuildSettings(guild_id=1, language="en")

    assert settings.channel(ChannelPurpose.DROPIN) is None
    assert settings.role(RolePurpose.FACILITATOR) is None

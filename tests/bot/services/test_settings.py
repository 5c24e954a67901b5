"""bot/services/settings.py on a real, migrated database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.domain.refs import ChannelRef, PermissionNames
from bot.domain.settings import (
    FORUM_CHANNEL_PERMISSIONS,
    REQUIRED_CHANNEL_PERMISSIONS,
    ChannelPurpose,
    GuildSettings,
    Language,
    RolePurpose,
)
from bot.errors import UserError
from bot.services.settings import SettingsService, channel_problems
from db.models import GuildChannelRow, GuildRoleRow, GuildSettingsRow

GUILD = 111111111111111111
OTHER_GUILD = 222222222222222222
CHANNEL_A = 333333333333333333
CHANNEL_B = 444444444444444444
ROLE_A = 555555555555555555
ROLE_B = 666666666666666666
NOW = datetime(2026, 12, 3, 16, 58, tzinfo=UTC)


def all_permissions(purpose: ChannelPurpose) -> frozenset[str]:
    return frozenset(REQUIRED_CHANNEL_PERMISSIONS[purpose])


@pytest.fixture
def service(sessions: async_sessionmaker[AsyncSession]) -> SettingsService:
    return SettingsService(sessions, FixedClock(NOW), "both")


async def count_rows(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return (await session.scalar(select(func.count()).select_from(model))) or 0


@pytest.mark.parametrize("default", ["en", "fr", "both"])
async def test_unconfigured_guild_reads_as_defaults(
    sessions: async_sessionmaker[AsyncSession], default: Language
) -> None:
    service = SettingsService(sessions, FixedClock(NOW), default)

    assert await service.get(GUILD) == GuildSettings(guild_id=GUILD, language=default)
    assert await count_rows(sessions, GuildSettingsRow) == 0


@pytest.mark.parametrize("language", ["en", "fr", "both"])
async def test_set_language_is_persisted(
    sessions: async_sessionmaker[AsyncSession], service: SettingsService, language: Language
) -> None:
    returned = await service.set_language(GUILD, language)

    fresh = SettingsService(sessions, FixedClock(NOW), "en" if language != "en" else "fr")
    assert returned.language == language
    assert (await fresh.get(GUILD)).language == language


async def test_set_language_again_overwrites(service: SettingsService) -> None:
    await service.set_language(GUILD, "fr")

    await service.set_language(GUILD, "en")

    assert (await service.get(GUILD)).language == "en"


async def test_settings_are_per_guild(service: SettingsService) -> None:
    await service.set_language(GUILD, "fr")
    await service.set_channel(GUILD, ChannelPurpose.DROPIN, CHANNEL_A, all_permissions(ChannelPurpose.DROPIN))

    assert await service.get(OTHER_GUILD) == GuildSettings(guild_id=OTHER_GUILD, language="both")


@pytest.mark.parametrize(
    ("purpose", "granted", "missing"),
    [
        (
            ChannelPurpose.ANNOUNCEMENTS,
            frozenset(),
            REQUIRED_CHANNEL_PERMISSIONS[ChannelPurpose.ANNOUNCEMENTS],
        ),
        (
            ChannelPurpose.QUESTIONS,
            frozenset({"view_channel", "send_messages", "embed_links", "read_message_history"}),
            ("create_public_threads", "send_messages_in_threads"),
        ),
        (
            ChannelPurpose.MINUTES,
            frozenset({"view_channel", "send_messages", "embed_links"}),
            ("read_message_history", "attach_files"),
        ),
    ],
)
async def test_set_channel_refuses_naming_the_missing_permissions(
    sessions: async_sessionmaker[AsyncSession],
    service: SettingsService,
    purpose: ChannelPurpose,
    granted: frozenset[str],
    missing: tuple[str, ...],
) -> None:
    with pytest.raises(UserError) as caught:
        await service.set_channel(GUILD, purpose, CHANNEL_A, granted)

    assert caught.value.key == "error.missing_channel_permissions"
    assert caught.value.params == {
        "channel": ChannelRef(CHANNEL_A),
        "purpose": purpose,
        "permissions": PermissionNames(missing),
    }


async def test_refused_set_channel_writes_nothing(
    sessions: async_sessionmaker[AsyncSession], service: SettingsService
) -> None:
    with pytest.raises(UserError):
        await service.set_channel(GUILD, ChannelPurpose.DROPIN, CHANNEL_A, frozenset({"view_channel"}))

    assert await count_rows(sessions, GuildSettingsRow) == 0
    assert await count_rows(sessions, GuildChannelRow) == 0


async def test_refused_set_channel_keeps_the_previous_channel(service: SettingsService) -> None:
    await service.set_channel(GUILD, ChannelPurpose.DROPIN, CHANNEL_A, all_permissions(ChannelPurpose.DROPIN))

    with pytest.raises(UserError):
        await service.set_channel(GUILD, ChannelPurpose.DROPIN, CHANNEL_B, frozenset())

    assert (await service.get(GUILD)).channel(ChannelPurpose.DROPIN) == CHANNEL_A


async def test_set_channel_saves_with_the_default_language(service: SettingsService) -> None:
    saved = await service.set_channel(
        GUILD, ChannelPurpose.QUESTIONS, CHANNEL_A, all_permissions(ChannelPurpose.QUESTIONS)
    )

    assert saved == GuildSettings(GUILD, "both", channels={ChannelPurpose.QUESTIONS: CHANNEL_A})
    assert await service.get(GUILD) == saved


async def test_set_channel_overwrites_the_same_purpose(
    sessions: async_sessionmaker[AsyncSession], service: SettingsService
) -> None:
    granted = all_permissions(ChannelPurpose.DROPIN)
    await service.set_channel(GUILD, ChannelPurpose.DROPIN, CHANNEL_A, granted)

    await service.set_channel(GUILD, ChannelPurpose.DROPIN, CHANNEL_B, granted)

    assert (await service.get(GUILD)).channels == {ChannelPurpose.DROPIN: CHANNEL_B}
    assert await count_rows(sessions, GuildChannelRow) == 1


async def test_one_channel_may_serve_several_purposes(service: SettingsService) -> None:
    granted = all_permissions(ChannelPurpose.MINUTES) | all_permissions(ChannelPurpose.WORKING_GROUPS)
    await service.set_channel(GUILD, ChannelPurpose.MINUTES, CHANNEL_A, granted)
    await service.set_channel(GUILD, ChannelPurpose.WORKING_GROUPS, CHANNEL_A, granted)

    assert (await service.get(GUILD)).channels == {
        ChannelPurpose.MINUTES: CHANNEL_A,
        ChannelPurpose.WORKING_GROUPS: CHANNEL_A,
    }


async def test_set_channel_keeps_the_chosen_language(service: SettingsService) -> None:
    await service.set_language(GUILD, "fr")

    saved = await service.set_channel(
        GUILD, ChannelPurpose.DROPIN, CHANNEL_A, all_permissions(ChannelPurpose.DROPIN)
    )

    assert saved.language == "fr"


async def test_set_role_overwrites_the_same_purpose(
    sessions: async_sessionmaker[AsyncSession], service: SettingsService
) -> None:
    await service.set_role(GUILD, RolePurpose.FACILITATOR, ROLE_A)
    await service.set_role(GUILD, RolePurpose.MEMBER, ROLE_A)

    saved = await service.set_role(GUILD, RolePurpose.FACILITATOR, ROLE_B)

    assert saved.roles == {RolePurpose.FACILITATOR: ROLE_B, RolePurpose.MEMBER: ROLE_A}
    assert await count_rows(sessions, GuildRoleRow) == 2


@pytest.mark.parametrize(
    ("role_ids", "manage_guild", "expected"),
    [({ROLE_A}, False, True), ({ROLE_B}, False, False), (set(), True, True)],
)
async def test_is_facilitator_uses_the_stored_role(
    service: SettingsService, role_ids: set[int], manage_guild: bool, expected: bool
) -> None:
    await service.set_role(GUILD, RolePurpose.FACILITATOR, ROLE_A)

    assert await service.is_facilitator(GUILD, frozenset(role_ids), manage_guild) is expected


async def test_bootstrap_sets_channels_roles_and_language_at_once(service: SettingsService) -> None:
    channels = {ChannelPurpose.WELCOME: CHANNEL_A, ChannelPurpose.DROPIN: CHANNEL_B}
    roles = {RolePurpose.FACILITATOR: ROLE_A, RolePurpose.MEMBER: ROLE_B}

    saved = await service.bootstrap(GUILD, channels, roles, language="en")

    assert saved == GuildSettings(GUILD, "en", channels=channels, roles=roles)
    assert await service.get(GUILD) == saved


async def test_bootstrap_without_language_uses_the_default(service: SettingsService) -> None:
    saved = await service.bootstrap(GUILD, {ChannelPurpose.WELCOME: CHANNEL_A}, {})

    assert saved.language == "both"


async def test_bootstrap_overwrites_existing_channels_and_keeps_others(service: SettingsService) -> None:
    await service.bootstrap(GUILD, {ChannelPurpose.WELCOME: CHANNEL_A, ChannelPurpose.DROPIN: CHANNEL_A}, {})

    saved = await service.bootstrap(GUILD, {ChannelPurpose.DROPIN: CHANNEL_B}, {})

    assert saved.channels == {ChannelPurpose.WELCOME: CHANNEL_A, ChannelPurpose.DROPIN: CHANNEL_B}


async def test_bootstrap_language_applies_to_an_existing_guild(service: SettingsService) -> None:
    await service.set_language(GUILD, "en")

    saved = await service.bootstrap(GUILD, {}, {}, language="fr")

    assert saved.language == "fr"


SETTINGS = GuildSettings(
    GUILD,
    "both",
    channels={ChannelPurpose.ANNOUNCEMENTS: CHANNEL_A, ChannelPurpose.QUESTIONS: CHANNEL_B},
)


def test_channel_problems_empty_when_the_bot_has_what_it_needs() -> None:
    granted = {
        CHANNEL_A: all_permissions(ChannelPurpose.ANNOUNCEMENTS),
        CHANNEL_B: all_permissions(ChannelPurpose.QUESTIONS),
    }

    assert channel_problems(SETTINGS, granted) == {}


def test_channel_problems_lists_what_lacks_per_purpose() -> None:
    granted = {
        CHANNEL_A: all_permissions(ChannelPurpose.ANNOUNCEMENTS),
        CHANNEL_B: all_permissions(ChannelPurpose.ANNOUNCEMENTS),
    }

    assert channel_problems(SETTINGS, granted) == {
        ChannelPurpose.QUESTIONS: ["create_public_threads", "send_messages_in_threads"]
    }


def test_channel_the_bot_cannot_see_lacks_everything() -> None:
    granted = {CHANNEL_A: all_permissions(ChannelPurpose.ANNOUNCEMENTS)}

    assert channel_problems(SETTINGS, granted) == {
        ChannelPurpose.QUESTIONS: list(REQUIRED_CHANNEL_PERMISSIONS[ChannelPurpose.QUESTIONS])
    }


def test_channel_problems_ignores_unconfigured_purposes() -> None:
    assert channel_problems(GuildSettings(GUILD, "en"), {}) == {}


async def test_a_forum_serves_minutes_with_post_and_thread_permissions(service: SettingsService) -> None:
    granted = frozenset(FORUM_CHANNEL_PERMISSIONS[ChannelPurpose.MINUTES])

    saved = await service.set_channel(GUILD, ChannelPurpose.MINUTES, CHANNEL_A, granted, forum=True)

    assert saved.channel(ChannelPurpose.MINUTES) == CHANNEL_A


async def test_a_forum_without_thread_permission_is_refused_for_minutes(service: SettingsService) -> None:
    granted = frozenset(REQUIRED_CHANNEL_PERMISSIONS[ChannelPurpose.MINUTES])  # a text channel's needs

    with pytest.raises(UserError) as caught:
        await service.set_channel(GUILD, ChannelPurpose.MINUTES, CHANNEL_A, granted, forum=True)

    assert caught.value.params["permissions"] == PermissionNames(("send_messages_in_threads",))


@pytest.mark.parametrize("purpose", [p for p in ChannelPurpose if p is not ChannelPurpose.MINUTES])
async def test_a_forum_is_refused_for_anything_but_minutes(
    service: SettingsService, purpose: ChannelPurpose
) -> None:
    with pytest.raises(UserError) as caught:
        await service.set_channel(GUILD, purpose, CHANNEL_A, frozenset(), forum=True)

    assert (caught.value.key, caught.value.params["purpose"]) == ("settings.forum.not_here", purpose)

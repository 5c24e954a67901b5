"""Who may run what. Commands marked with `facilitator_only()` are also hidden from others in /help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


class NotFacilitator(app_commands.CheckFailure):
    pass


class GuildOnly(app_commands.CheckFailure):
    pass


class FacilitatorPolicy(Protocol):
    async def is_facilitator(
        self, guild_id: int, role_ids: frozenset[int], can_manage_guild: bool
    ) -> bool: ...


async def caller_is_facilitator(interaction: discord.Interaction) -> bool:
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return False
    client: Any = interaction.client
    policy: FacilitatorPolicy = client.facilitator_policy
    return await policy.is_facilitator(
        interaction.guild.id,
        frozenset(role.id for role in member.roles),
        member.guild_permissions.manage_guild,
    )


async def _require_facilitator(interaction: discord.Interaction) -> bool:
    if interaction.guild is None:
        raise GuildOnly()
    if not await caller_is_facilitator(interaction):
        raise NotFacilitator()
    return True


def facilitator_only() -> Callable[[T], T]:
    return app_commands.check(_require_facilitator)


def requires_facilitator(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> bool:
    checks = getattr(command, "checks", [])
    return _require_facilitator in checks

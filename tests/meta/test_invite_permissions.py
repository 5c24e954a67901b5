"""The sandbox's bot holds exactly what the real invite link asks for (two copies, kept in step)."""

from __future__ import annotations

from bot.discord_bot import INVITE_PERMISSIONS
from sandbox.seed import BOT_INVITE_PERMISSIONS


def test_the_sandbox_bot_role_matches_the_invite_permissions() -> None:
    assert INVITE_PERMISSIONS.value == BOT_INVITE_PERMISSIONS

"""The shared state every REST and control handler works on, plus permission checks."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError, missing_permissions
from sandbox.gateway import Gateway
from sandbox.interactions import InteractionRegistry
from sandbox.model import JSON, Channel, World
from sandbox.permissions import base_permissions, channel_permissions, perm, top_role_position
from sandbox.ratelimit import RateLimiter
from sandbox.seed import SeedInfo

log = logging.getLogger(__name__)


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    remaining: int
    retry_after: float

    def matches(self, method: str, path: str) -> bool:
        if self.method not in ("*", method.upper()):
            return False
        short = path.removeprefix("/api/v10")
        return bool(self.path.search(path) or self.path.search(short))


class Hub:
    def __init__(self, world: World, seed: SeedInfo, bot_token: str) -> None:
        self.world = world
        self.seed = seed
        self.bot_token = bot_token
        self.http_base = ""
        self.gateway = Gateway(
            world,
            bot_token,
            lambda: self.gateway_url,
            lambda message: self.record_violation("GATEWAY", "op 8", 0, "intent", message),
        )
        self.interactions = InteractionRegistry()
        self.violations: list[JSON] = []
        self.requests: list[JSON] = []
        self.faults: list[Fault] = []
        self.rate_limiter = RateLimiter()

    @property
    def gateway_url(self) -> str:
        return self.http_base.replace("http://", "ws://", 1) + "/"

    @property
    def ready(self) -> bool:
        return self.gateway.connected and self.world.commands_synced

    def record_violation(
        self,
        method: str,
        path: str,
        status: int,
        code: int | str,
        message: str,
        errors: Any = None,
        source: str = "sandbox",
    ) -> None:
        entry = {
            "method": method,
            "path": path,
            "status": status,
            "code": code,
            "message": message,
            "errors": errors,
            "source": source,
            "time": time.time(),
        }
        log.warning("sandbox violation: %s %s -> %s %s %s", method, path, status, code, message)
        self.violations.append(entry)

    def take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.remaining > 0 and fault.matches(method, path):
                fault.remaining -= 1
                return fault
        return None

    # -- permissions -----------------------------------------------------------------------------
    def member_permissions(self, user_id: int, channel: Channel | None) -> int:
        guild = self.world.guild
        member = guild.members.get(user_id)
        if member is None:
            return 0
        value = (
            base_permissions(guild, member)
            if channel is None or channel.is_dm
            else channel_permissions(guild, member, channel)
        )
        # permissions.mdx:308-310: "Timed out members will temporarily lose all permissions except
        # VIEW_CHANNEL and READ_MESSAGE_HISTORY. Owners and admin users with ADMINISTRATOR permissions are exempt."
        if self._timed_out(member.communication_disabled_until) and not (
            user_id == guild.owner_id or base_permissions(guild, member) & perm("administrator")
        ):
            value &= perm("view_channel", "read_message_history")
        return value

    def _timed_out(self, until: str | None) -> bool:
        if not until:
            return False
        end = datetime.fromisoformat(until)
        return (end if end.tzinfo else end.replace(tzinfo=UTC)) > self.world.now()

    def bot_permissions(self, channel: Channel | None = None) -> int:
        return self.member_permissions(self.world.bot_user_id, channel)

    def require(self, channel: Channel | None, *names: str) -> None:
        """403 50013 unless the bot holds every named permission (in `channel`, or guild-wide)."""
        if channel is not None and channel.is_dm:
            return
        have = self.bot_permissions(channel)
        if channel is not None and not have & perm("view_channel"):
            raise ApiError(403, 50001, "Missing Access")
        needed = perm(*names)
        if have & needed != needed:
            raise missing_permissions()

    def require_any(self, channel: Channel | None, *names: str) -> None:
        have = self.bot_permissions(channel)
        if channel is not None and not have & perm("view_channel"):
            raise ApiError(403, 50001, "Missing Access")
        if not have & perm(*names):
            raise missing_permissions()

    def bot_top_role_position(self) -> int:
        return top_role_position(self.world.guild, self.world.bot_member)

    def require_role_below_bot(self, role_id: int) -> None:
        role = self.world.guild.roles.get(role_id)
        if role is None:
            raise ApiError(404, 10011, "Unknown Role", violation=False)
        if role.managed and role.bot_id != self.world.bot_user_id and role.id != self.world.guild.id:
            raise missing_permissions()
        if role.position >= self.bot_top_role_position():
            raise missing_permissions()

    def require_grantable(self, bits: int) -> None:
        """A bot may only grant a role permissions it holds itself (guild.mdx, Modify Guild Role)."""
        have = self.bot_permissions()
        if have & perm("administrator"):
            return
        if bits & ~have:
            raise missing_permissions()

    def require_overwrite_allowed(
        self, allow: int, deny: int, channel: Channel | None, parent: Channel | None
    ) -> None:
        """What a bot may put in a channel's permission overwrites.

        discord-api-docs developers/resources/channel.mdx:402 (Modify Channel) and :483 (Edit Channel
        Permissions): "Only permissions your bot has in the guild or parent channel (if applicable) can be
        allowed/denied (unless your bot has a MANAGE_ROLES overwrite in the channel)".
        developers/resources/guild.mdx:891 (Create Guild Channel): "Setting MANAGE_ROLES permission in
        channels is only possible for guild administrators"; change-log.mdx:3790 adds "or users with
        MANAGE_ROLES as a permission overwrite in the channel". The channel's own overwrites for the bot
        (its member overwrite included) do not count: only the guild and the parent category do.
        """
        base = self.bot_permissions()
        if base & perm("administrator"):
            return
        if channel is not None and self._has_manage_roles_overwrite(channel):
            return
        if allow & perm("manage_roles"):
            raise missing_permissions()
        have = base | (self.bot_permissions(parent) if parent is not None else 0)
        if (allow | deny) & ~have:
            raise missing_permissions()

    def _has_manage_roles_overwrite(self, channel: Channel) -> bool:
        bot = self.world.bot_member
        applies = {self.world.guild.id, bot.user_id, *bot.role_ids}
        return any(
            ow.allow & perm("manage_roles") for target, ow in channel.overwrites.items() if target in applies
        )


HUB_KEY: web.AppKey[Hub] = web.AppKey("sandbox_hub", Hub)

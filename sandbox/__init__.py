"""A local emulation of Discord's REST API v10 and Gateway v10 for tests and trying the bot (DESIGN §8)."""

from sandbox.client import SandboxClient, SandboxClientError
from sandbox.endpoints import discord_endpoints
from sandbox.seed import BOT_INVITE_PERMISSIONS, Crowd, SeedInfo
from sandbox.server import Sandbox

__all__ = [
    "BOT_INVITE_PERMISSIONS",
    "Crowd",
    "Sandbox",
    "SandboxClient",
    "SandboxClientError",
    "SeedInfo",
    "discord_endpoints",
]

"""The discord.py client: intents, the command tree, extensions and command sync."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import discord
from aiolimiter import AsyncLimiter
from discord.ext import commands

from bot.adapters.command_sync import GuildCommandSync
from bot.adapters.components import ComponentRegistry
from bot.adapters.discord_text import caller_lang
from bot.adapters.error_handler import ErrorHandlingTree
from bot.adapters.long_lived import LongLivedObjects
from bot.adapters.member_chunks import MemberChunkRetry
from bot.adapters.shared_guilds import SharedGuilds
from bot.adapters.translator import CatalogTranslator
from bot.domain.shards import SINGLE_PROCESS, Shards
from bot.logs import exception_summary
from bot.services.container import Services

log = logging.getLogger(__name__)

# Loaded in this order; each module's setup() builds its cog from `bot.services`.
EXTENSIONS: tuple[str, ...] = (
    "cogs.about",
    "cogs.help",
    "cogs.settings",
    "cogs.dropin",
    "cogs.questions",
    "cogs.groups",
    "cogs.minutes",
    "cogs.members",
    "cogs.ops",
)


# What the invite asks for: posting, threads, pins, and managing the channels, roles and events
# that features create. Not Administrator, not Mention Everyone.
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    manage_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    manage_messages=True,
    pin_messages=True,
    manage_channels=True,
    manage_roles=True,
    manage_events=True,
    create_events=True,
    use_application_commands=True,
)


def invite_url(client_id: int) -> str:
    return discord.utils.oauth_url(
        client_id, permissions=INVITE_PERMISSIONS, scopes=("bot", "applications.commands")
    )


def bot_intents() -> discord.Intents:
    """Guilds, members and DMs. No message-content intent: guild input comes through interactions."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.members = True
    intents.dm_messages = True
    return intents


class NssBot(commands.Bot):
    def __init__(
        self,
        services: Services,
        components: ComponentRegistry,
        rest_limiter: AsyncLimiter,
        *,
        sync_guild_ids: Sequence[int] = (),
        synced_commands: Path | None = None,
        guild_ready_timeout: float = 2.0,
        run_jobs: bool = True,
        shards: Shards = SINGLE_PROCESS,
    ) -> None:
        sharding: dict[str, Any] = {}
        if shards.sharded:  # discord.py's AutoShardedClient: one websocket per shard, one event loop
            sharding = {"shard_count": shards.count, "shard_ids": list(shards.served)}
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=bot_intents(),
            tree_cls=ErrorHandlingTree,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            max_ratelimit_timeout=60.0,
            max_messages=None,  # nothing reads discord.py's message cache; it would hold 1,000 DMs' texts
            **sharding,
        )
        self.shard_plan = shards
        self.shared_guilds = SharedGuilds(self, shards, services.settings.configured_guilds, rest_limiter)
        self.services = services
        self.components = components
        self.rest_limiter = rest_limiter
        self.facilitator_policy = services.settings
        self._sync_guild_ids = tuple(sync_guild_ids)
        self._command_sync = GuildCommandSync(synced_commands)  # None: replace them at every start
        self._reconciled = False
        self._long_lived = LongLivedObjects()
        self._run_jobs = run_jobs  # False for one-off commands such as `python -m bot sync`
        tree = self.tree
        assert isinstance(tree, ErrorHandlingTree)
        tree.catalog = services.catalog
        self.member_chunks = MemberChunkRetry(
            self
        )  # RATE_LIMITED for op 8: no wait for chunks that never come
        self.member_chunks.install()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: commands.Bot would parse every DM for one. Cogs' listeners still run."""

    async def setup_hook(self) -> None:
        await self.tree.set_translator(CatalogTranslator(self.services.catalog))
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        for guild_id in self._sync_guild_ids:
            self.tree.copy_global_to(guild=discord.Object(guild_id))
            synced = await self._command_sync.sync(self.tree, guild_id)
            if synced is None:
                log.info("commands of guild %s unchanged: not sent again", guild_id)
            else:
                log.info("synced %d commands to guild %s", synced, guild_id)
        if not self._run_jobs:
            return
        # Each process runs the timers of its own guilds only (bot/domain/shards.py): the services were
        # built with this process's Shards and filter what they start.
        await self.services.dropin.start_all()
        await self.services.questions.review.deliver_pending()
        await self.services.minutes.reopen_interrupted()
        await self.services.questions.forgetting.purge_expired()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Each interaction tells the person's language; DMs, which carry none, use it (DESIGN §6)."""
        self.services.settings.languages.remember(interaction.user.id, caller_lang(interaction))

    async def close(self) -> None:
        self.member_chunks.cancel()
        await super().close()

    async def on_error(self, event_method: str, /, *args: object, **kwargs: object) -> None:
        """Event failures are logged without the exception's text, which may carry user text."""
        exc = sys.exc_info()[1]
        log.error("event %s failed: %s", event_method, exception_summary(exc) if exc else "unknown")

    async def on_ready(self) -> None:
        log.info("connected as %s to %d guild(s)", self.user, len(self.guilds))
        self._long_lived.freeze()  # bot/adapters/long_lived.py
        if self._run_jobs and not self._reconciled:  # once per process: on_ready fires after every reconnect
            self._reconciled = True
            await self.services.groups.lifecycle.reconcile_all()


class ShardedNssBot(NssBot, commands.AutoShardedBot):
    """The same bot on discord.py's AutoShardedBot: `bot.shard_count` and `bot.shard_ids` configured."""


def bot_class(shards: Shards) -> type[NssBot]:
    return ShardedNssBot if shards.sharded else NssBot

"""Fixtures: a running Sandbox (on a clock the test moves, if marked `sandbox_clock(start)`), raw HTTP
and control clients for it, and a REAL small discord.py bot connected to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from sandbox import Sandbox, SandboxClient, discord_endpoints
from tests.sandbox.clocks import MovableClock

CLOCK_MARKER = "sandbox_clock"

FRENCH = {
    "ping": "ping",
    "Check the bot answers": "Vérifier que le bot répond",
    "settings": "parametres",
    "Community settings": "Paramètres de la communauté",
    "show": "afficher",
    "Show the settings": "Afficher",
    "channel": "salon",
    "Channel settings": "Paramètres des salons",
    "set": "definir",
    "Set a channel": "Définir un salon",
    "target": "cible",
    "The channel": "Le salon",
    "who": "qui",
    "A member": "Un membre",
    "count": "nombre",
    "A number": "Un nombre",
}


class FrenchTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        return FRENCH.get(string.message) if locale is discord.Locale.french else None


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="Your feedback", custom_id="feedback:text", max_length=500
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class VoteView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.clicks = 0

    @discord.ui.button(label="Yes", custom_id="vote:yes", style=discord.ButtonStyle.success)
    async def yes(self, interaction: discord.Interaction, button: discord.ui.Button[VoteView]) -> None:
        self.clicks += 1
        await interaction.response.edit_message(content=f"votes: {self.clicks}", view=self)


settings = app_commands.Group(
    name=app_commands.locale_str("settings"), description=app_commands.locale_str("Community settings")
)
channel_group = app_commands.Group(
    name=app_commands.locale_str("channel"),
    description=app_commands.locale_str("Channel settings"),
    parent=settings,
)


@settings.command(
    name=app_commands.locale_str("show"), description=app_commands.locale_str("Show the settings")
)
async def settings_show(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(f"locale={interaction.locale.value}", ephemeral=True)


@channel_group.command(
    name=app_commands.locale_str("set"), description=app_commands.locale_str("Set a channel")
)
@app_commands.describe(
    target=app_commands.locale_str("The channel"),
    who=app_commands.locale_str("A member"),
    count=app_commands.locale_str("A number"),
)
@app_commands.rename(
    target=app_commands.locale_str("target"),
    who=app_commands.locale_str("who"),
    count=app_commands.locale_str("count"),
)
async def settings_channel_set(
    interaction: discord.Interaction, target: discord.TextChannel, who: discord.Member, count: int = 1
) -> None:
    await interaction.response.send_message(f"set {target.name} for {who.name} x{count}")


class SandboxTestBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        intents = discord.Intents.default()
        intents.members = True
        super().__init__(
            command_prefix="!",
            intents=intents,
            guild_ready_timeout=0.1,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.guild_id = guild_id
        self.received: list[discord.Message] = []
        self.member_joins: list[discord.Member] = []
        self.ready_count = 0
        self.resumed_count = 0
        self.vote_view: VoteView | None = None

    async def setup_hook(self) -> None:
        await self.tree.set_translator(FrenchTranslator())
        guild = discord.Object(self.guild_id)
        self.tree.add_command(settings, guild=guild)

        @self.tree.command(name="ping", description="Check the bot answers", guild=guild)
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong")

        @self.tree.command(name="feedback", description="Send feedback", guild=guild)
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(FeedbackModal())

        @self.tree.command(name="vote", description="Start a vote", guild=guild)
        async def vote(interaction: discord.Interaction) -> None:
            self.vote_view = VoteView()
            await interaction.response.send_message("votes: 0", view=self.vote_view)

        @self.tree.command(name="slow", description="Defer then follow up", guild=guild)
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send("done slowly")

        @self.tree.command(name="fruit", description="Pick a fruit", guild=guild)
        async def fruit(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(f"picked {name}", ephemeral=True)

        @fruit.autocomplete("name")
        async def fruit_names(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            names = ["apple", "apricot", "banana"]
            return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(current)]

        @self.tree.context_menu(name="Quote message", guild=guild)
        async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message(f"quoted: {message.content}", ephemeral=True)

        await self.tree.sync(guild=guild)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before a re-IDENTIFY (identify rate limit); the sandbox needs no such pause."""

    async def on_ready(self) -> None:
        self.ready_count += 1

    async def on_resumed(self) -> None:
        self.resumed_count += 1

    async def on_member_join(self, member: discord.Member) -> None:
        self.member_joins.append(member)

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        self.received.append(message)
        if message.guild is None and message.content == "button":
            await message.channel.send("votes: 0", view=VoteView())
        elif message.guild is None:
            await message.channel.send(f"got: {message.content}")


async def wait_until(predicate: Any, within: float = 5.0) -> None:
    """Bounded wait for a synchronous condition (state the client updates from gateway events)."""
    async with asyncio.timeout(within):
        while not predicate():  # noqa: ASYNC110 - polling plain attributes, there is no event to await
            await asyncio.sleep(0.01)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{CLOCK_MARKER}(start): the sandbox runs on a clock from `start` that the test moves (`clock`)",
    )


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> MovableClock | None:
    """The sandbox's clock: movable, from the start a module or test gives with
    `@pytest.mark.sandbox_clock(start)`; None (the system clock) without the mark."""
    marker = request.node.get_closest_marker(CLOCK_MARKER)
    return MovableClock(*marker.args) if marker else None


@pytest.fixture
async def sandbox(clock: MovableClock | None) -> AsyncIterator[Sandbox]:
    sb = Sandbox(clock=clock)
    await sb.start()
    try:
        yield sb
    finally:
        await sb.stop()


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.http_base) as control:
        yield control


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[aiohttp.ClientSession]:
    """Raw REST calls with the bot's token."""
    headers = {"Authorization": f"Bot {sandbox.bot_token}"}
    async with aiohttp.ClientSession(base_url=sandbox.http_base, headers=headers) as session:
        yield session


async def post_event(http: aiohttp.ClientSession, sandbox: Sandbox, body: dict[str, Any]) -> tuple[int, Any]:
    """Creates a scheduled event in the seeded guild: the status and the answer's body."""
    async with http.post(f"/api/v10/guilds/{sandbox.seed.guild_id}/scheduled-events", json=body) as response:
        return response.status, await response.json()


@pytest.fixture
async def bot(sandbox: Sandbox, client: SandboxClient) -> AsyncIterator[SandboxTestBot]:
    with discord_endpoints(sandbox):
        test_bot = SandboxTestBot(sandbox.seed.guild_id)
        runner = asyncio.create_task(test_bot.start(sandbox.bot_token))

        async def ready() -> bool:
            if runner.done():
                runner.result()
            return bool((await client.health())["ready"]) and test_bot.is_ready()

        try:
            await client.wait_for(ready, timeout=10)
            yield test_bot
        finally:
            await test_bot.close()
            await asyncio.wait_for(runner, 5)

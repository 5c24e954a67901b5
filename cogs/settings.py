"""/settings: facilitators point the bot at channels and roles and choose the posting language."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, locale_str
from discord.ext import commands

from bot.adapters.checks import facilitator_only
from bot.adapters.discord_text import STATE_CHOICES, caller_lang, granted_permissions
from bot.discord_bot import NssBot
from bot.domain.settings import ChannelPurpose, RolePurpose, parse_language
from bot.errors import UserError
from bot.services.members import MembersService
from bot.services.settings import SettingsService, channel_problems
from bot.services.settings_text import SettingsText
from bot.services.web import WebService

_CHANNEL_LABELS = {
    ChannelPurpose.WELCOME: "Welcome",
    ChannelPurpose.ANNOUNCEMENTS: "Announcements",
    ChannelPurpose.DROPIN: "Drop-in",
    ChannelPurpose.QUESTIONS: "Questions",
    ChannelPurpose.QUESTION_REVIEW: "Question review",
    ChannelPurpose.MINUTES: "Minutes",
    ChannelPurpose.MINUTES_REVIEW: "Minutes review",
    ChannelPurpose.WORKING_GROUPS: "Working groups",
    ChannelPurpose.FACILITATORS: "Facilitators",
}
_ROLE_LABELS = {
    RolePurpose.FACILITATOR: "Facilitator",
    RolePurpose.MEMBER: "Member",
    RolePurpose.DROPIN_NOTIFY: "Drop-in notifications",
}


class PostableChannel(app_commands.Transformer):
    """A text, announcement or forum channel (a forum only serves minutes: the service says so)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.news, discord.ChannelType.forum]

    async def transform(self, interaction: discord.Interaction, value: Any) -> discord.abc.GuildChannel:
        channel = interaction.guild.get_channel(value.id) if interaction.guild else None
        if channel is None:
            raise UserError("error.generic")
        return channel


CHANNEL_CHOICES = [
    Choice(name=locale_str(label, key=f"purpose.channel.{purpose.value}"), value=purpose.value)
    for purpose, label in _CHANNEL_LABELS.items()
]
ROLE_CHOICES = [
    Choice(name=locale_str(label, key=f"purpose.role.{purpose.value}"), value=purpose.value)
    for purpose, label in _ROLE_LABELS.items()
]
LANGUAGE_CHOICES = [
    Choice(name=locale_str("English", key="choice.language.en"), value="en"),
    Choice(name=locale_str("French", key="choice.language.fr"), value="fr"),
    Choice(name=locale_str("English and French", key="choice.language.both"), value="both"),
]


class SettingsCog(commands.Cog):
    settings = app_commands.Group(
        name=locale_str("settings", key="cmd.settings.name"),
        description=locale_str("Server settings for the bot (facilitators)", key="cmd.settings.description"),
        guild_only=True,
    )

    def __init__(
        self,
        text: SettingsText,
        service: SettingsService,
        members: MembersService,
        web: WebService | None = None,
    ) -> None:
        self._text = text
        self._service = service
        self._members = members
        self._web = web

    @settings.command(
        name=locale_str("show", key="cmd.settings.show.name"),
        description=locale_str(
            "Show this server's settings and any missing permissions", key="cmd.settings.show.description"
        ),
    )
    @facilitator_only()
    async def show(self, interaction: discord.Interaction) -> None:
        guild = _guild(interaction)
        current = await self._service.get(guild.id)
        granted = {
            channel_id: granted_permissions(channel.permissions_for(guild.me))
            for channel_id in current.channels.values()
            if (channel := guild.get_channel(channel_id)) is not None
        }
        text = self._text.overview(current, channel_problems(current, granted), caller_lang(interaction))
        await interaction.response.send_message(text, ephemeral=True)

    @settings.command(
        name=locale_str("channel", key="cmd.settings.channel.name"),
        description=locale_str(
            "Choose the channel the bot uses for a purpose", key="cmd.settings.channel.description"
        ),
    )
    @app_commands.rename(
        purpose=locale_str("purpose", key="opt.purpose.name"),
        channel=locale_str("channel", key="opt.channel.name"),
    )
    @app_commands.describe(
        purpose=locale_str("What the channel or role is for", key="opt.purpose.description"),
        channel=locale_str("The channel to use", key="opt.channel.description"),
    )
    @app_commands.choices(purpose=CHANNEL_CHOICES)
    @facilitator_only()
    async def channel(
        self,
        interaction: discord.Interaction,
        purpose: Choice[str],
        channel: app_commands.Transform[discord.abc.GuildChannel, PostableChannel],
    ) -> None:
        guild = _guild(interaction)
        chosen = ChannelPurpose(purpose.value)
        await self._service.set_channel(
            guild.id,
            chosen,
            channel.id,
            granted_permissions(channel.permissions_for(guild.me)),
            forum=isinstance(channel, discord.ForumChannel),
        )
        lang = caller_lang(interaction)
        await interaction.response.send_message(
            self._text.say(lang, "settings.channel_saved", purpose=chosen, channel=channel.mention),
            ephemeral=True,
        )

    @settings.command(
        name=locale_str("role", key="cmd.settings.role.name"),
        description=locale_str("Choose the role that serves a purpose", key="cmd.settings.role.description"),
    )
    @app_commands.rename(
        purpose=locale_str("purpose", key="opt.purpose.name"), role=locale_str("role", key="opt.role.name")
    )
    @app_commands.describe(
        purpose=locale_str("What the channel or role is for", key="opt.purpose.description"),
        role=locale_str("The role to use", key="opt.role.description"),
    )
    @app_commands.choices(purpose=ROLE_CHOICES)
    @facilitator_only()
    async def role(self, interaction: discord.Interaction, purpose: Choice[str], role: discord.Role) -> None:
        guild = _guild(interaction)
        chosen = RolePurpose(purpose.value)
        await self._service.set_role(guild.id, chosen, role.id)
        lang = caller_lang(interaction)
        await interaction.response.send_message(
            self._text.say(lang, "settings.role_saved", purpose=chosen, role=role.mention),
            ephemeral=True,
        )

    @settings.command(
        name=locale_str("language", key="cmd.settings.language.name"),
        description=locale_str(
            "Language of the posts the bot makes on its own", key="cmd.settings.language.description"
        ),
    )
    @app_commands.rename(language=locale_str("language", key="opt.language.name"))
    @app_commands.describe(
        language=locale_str("English, French, or both in one message", key="opt.language.description")
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @facilitator_only()
    async def language(self, interaction: discord.Interaction, language: Choice[str]) -> None:
        guild = _guild(interaction)
        updated = await self._service.set_language(guild.id, parse_language(language.value))
        lang = caller_lang(interaction)
        await interaction.response.send_message(
            self._text.language_saved(updated.language, lang),
            ephemeral=True,
        )

    @settings.command(
        name=locale_str("welcome", key="cmd.settings.welcome.name"),
        description=locale_str(
            "Welcome new members by DM (on by default)", key="cmd.settings.welcome.description"
        ),
    )
    @app_commands.describe(state=locale_str("On or off", key="opt.state.description"))
    @app_commands.rename(state=locale_str("state", key="opt.state.name"))
    @app_commands.choices(state=STATE_CHOICES)
    @facilitator_only()
    async def welcome(self, interaction: discord.Interaction, state: Choice[str]) -> None:
        enabled = state.value == "on"
        await self._members.set_welcome(_guild(interaction).id, enabled)
        key = "members.welcome.enabled" if enabled else "members.welcome.disabled"
        await interaction.response.send_message(self._text.say(caller_lang(interaction), key), ephemeral=True)

    @settings.command(
        name=locale_str("web-minutes", key="cmd.settings.web-minutes.name"),
        description=locale_str(
            "Show published drop-in minutes on the public page", key="cmd.settings.web-minutes.description"
        ),
    )
    @app_commands.rename(state=locale_str("state", key="opt.state.name"))
    @app_commands.describe(state=locale_str("On or off", key="opt.state.description"))
    @app_commands.choices(state=STATE_CHOICES)
    @facilitator_only()
    async def web_minutes(self, interaction: discord.Interaction, state: Choice[str]) -> None:
        assert self._web is not None
        await self._web.set_web_minutes(_guild(interaction).id, state.value == "on")
        key = "web.minutes_on" if state.value == "on" else "web.minutes_off"
        await interaction.response.send_message(self._text.say(caller_lang(interaction), key), ephemeral=True)


def _guild(interaction: discord.Interaction) -> discord.Guild:
    assert interaction.guild is not None  # the group is guild_only and the check refuses DMs
    return interaction.guild


async def setup(bot: NssBot) -> None:
    await bot.add_cog(
        SettingsCog(
            SettingsText(bot.services.catalog), bot.services.settings, bot.services.members, bot.services.web
        )
    )

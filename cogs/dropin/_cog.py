"""/dropin commands: read inputs, call the drop-in service, render, respond."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice, locale_str
from discord.ext import commands

from bot.adapters.checks import facilitator_only
from bot.adapters.discord_text import caller_lang
from bot.domain.dropin import WEEKDAYS
from bot.i18n import Catalog
from bot.i18n.dates import discord_timestamp, long_day
from bot.services.dropin import DropinService, parse_changes
from bot.services.dropin_text import DropinText
from bot.services.minutes import MinutesService
from cogs.dropin import _render as render

NONE = discord.AllowedMentions.none()
WEEKDAY_CHOICES = [
    Choice(name=locale_str(day.capitalize(), key=f"choice.weekday.{day}"), value=day) for day in WEEKDAYS
]
STATE_CHOICES = [
    Choice(name=locale_str("On", key="choice.state.on"), value="on"),
    Choice(name=locale_str("Off", key="choice.state.off"), value="off"),
]


def _ls(text: str, key: str) -> locale_str:
    return locale_str(text, key=key)


class DropinCog(commands.Cog):
    dropin = app_commands.Group(
        name=_ls("dropin", "cmd.dropin.name"),
        description=_ls("The weekly drop-in on Zoom", "cmd.dropin.description"),
        guild_only=True,
    )

    def __init__(
        self, catalog: Catalog, service: DropinService, text: DropinText, minutes: MinutesService
    ) -> None:
        self._catalog = catalog
        self._service = service
        self._text = text
        self._minutes = minutes

    # --- members ------------------------------------------------------------------------------
    @dropin.command(
        name=_ls("next", "cmd.dropin.next.name"),
        description=_ls("When the next drop-in is, and how to join", "cmd.dropin.next.description"),
    )
    async def next(self, interaction: discord.Interaction) -> None:
        schedule, first, second = await self._service.next_occurrence(_guild_id(interaction))
        lang = caller_lang(interaction)
        embeds = render.next_embeds(self._text, schedule, first, second, lang)
        latest = await self._minutes.latest_dropin(_guild_id(interaction))
        if latest is not None:
            when = long_day(latest.minutes.meeting_date, lang)
            embeds[-1].add_field(
                name="\u200b", value=self._catalog.t(lang, "dropin.minutes_link", date=when, link=latest.link)
            )
        await interaction.response.send_message(embeds=embeds, ephemeral=True, allowed_mentions=NONE)

    @dropin.command(
        name=_ls("calendar", "cmd.dropin.calendar.name"),
        description=_ls("The next eight drop-ins, with any changes", "cmd.dropin.calendar.description"),
    )
    async def calendar(self, interaction: discord.Interaction) -> None:
        occurrences = await self._service.upcoming(_guild_id(interaction), 8)
        embed = render.calendar(self._catalog, occurrences, caller_lang(interaction))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @dropin.command(
        name=_ls("notify", "cmd.dropin.notify.name"),
        description=_ls("Turn drop-in notifications on or off for yourself", "cmd.dropin.notify.description"),
    )
    @app_commands.rename(state=_ls("state", "opt.state.name"))
    @app_commands.describe(state=_ls("On or off", "opt.state.description"))
    @app_commands.choices(state=STATE_CHOICES)
    async def notify(self, interaction: discord.Interaction, state: Choice[str]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        role_id = await self._service.notification_role(_guild_id(interaction))
        member = interaction.user
        assert isinstance(member, discord.Member)
        lang = caller_lang(interaction)
        if state.value == "on":
            await member.add_roles(discord.Object(role_id), reason="/dropin notify on")
            text = self._catalog.t(lang, "dropin.notify_on", role=f"<@&{role_id}>")
        else:
            await member.remove_roles(discord.Object(role_id), reason="/dropin notify off")
            text = self._catalog.t(lang, "dropin.notify_off")
        await self._done(interaction, text)

    @dropin.command(
        name=_ls("suggest", "cmd.dropin.suggest.name"),
        description=_ls("Suggest a topic for the next drop-in (anonymous)", "cmd.dropin.suggest.description"),
    )
    @app_commands.rename(topic=_ls("topic", "opt.topic.name"))
    @app_commands.describe(topic=_ls("What you would like to talk about", "opt.topic.description"))
    async def suggest(self, interaction: discord.Interaction, topic: str) -> None:
        occurrence = await self._service.suggest(_guild_id(interaction), topic)
        lang = caller_lang(interaction)
        text = self._catalog.t(lang, "dropin.topic_added", date=long_day(occurrence.key, lang))
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    @dropin.command(
        name=_ls("topics", "cmd.dropin.topics.name"),
        description=_ls("Topics suggested for the next drop-in", "cmd.dropin.topics.description"),
    )
    async def topics(self, interaction: discord.Interaction) -> None:
        occurrence, found = await self._service.topics(_guild_id(interaction))
        text = render.topics(self._catalog, occurrence, found, caller_lang(interaction))
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    # --- facilitators -------------------------------------------------------------------------
    @dropin.command(
        name=_ls("remove-topic", "cmd.dropin.remove-topic.name"),
        description=_ls("Remove a suggested topic (facilitators)", "cmd.dropin.remove-topic.description"),
    )
    @app_commands.rename(number=_ls("number", "opt.topic_id.name"))
    @app_commands.describe(
        number=_ls("The topic's number, as shown by /dropin topics", "opt.topic_id.description")
    )
    @facilitator_only()
    async def remove_topic(
        self, interaction: discord.Interaction, number: app_commands.Range[int, 1]
    ) -> None:
        await self._service.remove_topic(_guild_id(interaction), number)
        text = self._catalog.t(caller_lang(interaction), "dropin.topic_removed", id=number)
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    @dropin.command(
        name=_ls("info", "cmd.dropin.info.name"),
        description=_ls(
            "The drop-in schedule and its settings (facilitators)", "cmd.dropin.info.description"
        ),
    )
    @facilitator_only()
    async def info(self, interaction: discord.Interaction) -> None:
        schedule = await self._service.require_schedule(_guild_id(interaction))
        channel_id = await self._service.channel_for(schedule)
        embed = render.info(self._catalog, schedule, channel_id, caller_lang(interaction))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @dropin.command(
        name=_ls("setup", "cmd.dropin.setup.name"),
        description=_ls(
            "Change the drop-in schedule, link or channel (facilitators)", "cmd.dropin.setup.description"
        ),
    )
    @app_commands.rename(
        link=_ls("link", "opt.join_url.name"),
        weekday=_ls("weekday", "opt.weekday.name"),
        time=_ls("time", "opt.time.name"),
        timezone=_ls("timezone", "opt.timezone.name"),
        duration=_ls("duration", "opt.duration.name"),
        meeting_id=_ls("meeting-id", "opt.meeting_id.name"),
        passcode=_ls("passcode", "opt.passcode.name"),
        channel=_ls("channel", "opt.channel.name"),
        ping_role=_ls("ping-role", "opt.ping_role.name"),
        reminders=_ls("reminders", "opt.reminders.name"),
    )
    @app_commands.describe(
        link=_ls("Zoom join link (https://…)", "opt.join_url.description"),
        weekday=_ls("Day of the week", "opt.weekday.description"),
        time=_ls("Local time, HH:MM (24-hour, e.g. 13:30)", "opt.time.description"),
        timezone=_ls("Time zone name, e.g. America/Toronto", "opt.timezone.description"),
        duration=_ls("Length in minutes (default 90)", "opt.duration.description"),
        meeting_id=_ls("Zoom meeting ID to display (optional)", "opt.meeting_id.description"),
        passcode=_ls("Zoom passcode to display (optional)", "opt.passcode.description"),
        channel=_ls("The channel to use", "opt.channel.description"),
        ping_role=_ls(
            "Role to notify with each post (members opt in with /dropin notify)", "opt.ping_role.description"
        ),
        reminders=_ls("Reminder times before the start, e.g. 24h,15m", "opt.reminders.description"),
    )
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    @facilitator_only()
    async def setup(
        self,
        interaction: discord.Interaction,
        link: str | None = None,
        weekday: Choice[str] | None = None,
        time: str | None = None,
        timezone: str | None = None,
        duration: int | None = None,
        meeting_id: str | None = None,
        passcode: str | None = None,
        channel: discord.TextChannel | None = None,
        ping_role: discord.Role | None = None,
        reminders: str | None = None,
    ) -> None:
        changes = parse_changes(
            weekday=weekday.value if weekday else None,
            local_time=time,
            timezone=timezone,
            duration_minutes=duration,
            join_url=link,
            meeting_id=meeting_id,
            passcode=passcode,
            channel_id=channel.id if channel else None,
            ping_role_id=ping_role.id if ping_role else None,
            reminders=reminders,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        _, first = await self._service.setup(_guild_id(interaction), changes)
        text = self._catalog.t(
            caller_lang(interaction), "dropin.setup_saved", start=discord_timestamp(first.start)
        )
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)

    @dropin.command(
        name=_ls("skip", "cmd.dropin.skip.name"),
        description=_ls("Cancel one week's drop-in (facilitators)", "cmd.dropin.skip.description"),
    )
    @app_commands.rename(date=_ls("date", "opt.date.name"), reason=_ls("reason", "opt.reason.name"))
    @app_commands.describe(
        date=_ls("The drop-in's date, YYYY-MM-DD (e.g. 2026-12-03)", "opt.date.description"),
        reason=_ls("Shown to members in the notice", "opt.reason.description"),
    )
    @facilitator_only()
    async def skip(self, interaction: discord.Interaction, date: str, reason: str = "") -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        key = await self._service.skip(_guild_id(interaction), date, reason)
        lang = caller_lang(interaction)
        await self._done(interaction, self._catalog.t(lang, "dropin.skipped", date=long_day(key, lang)))

    @dropin.command(
        name=_ls("unskip", "cmd.dropin.unskip.name"),
        description=_ls("Bring back a cancelled drop-in (facilitators)", "cmd.dropin.unskip.description"),
    )
    @app_commands.rename(date=_ls("date", "opt.date.name"))
    @app_commands.describe(
        date=_ls("The drop-in's date, YYYY-MM-DD (e.g. 2026-12-03)", "opt.date.description")
    )
    @facilitator_only()
    async def unskip(self, interaction: discord.Interaction, date: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        key = await self._service.unskip(_guild_id(interaction), date)
        lang = caller_lang(interaction)
        await self._done(interaction, self._catalog.t(lang, "dropin.unskipped", date=long_day(key, lang)))

    @dropin.command(
        name=_ls("note", "cmd.dropin.note.name"),
        description=_ls(
            "Add a note to one week's drop-in, e.g. a guest (facilitators)", "cmd.dropin.note.description"
        ),
    )
    @app_commands.rename(date=_ls("date", "opt.date.name"), text=_ls("text", "opt.text.name"))
    @app_commands.describe(
        date=_ls("The drop-in's date, YYYY-MM-DD (e.g. 2026-12-03)", "opt.date.description"),
        text=_ls("The note members will see", "opt.text.description"),
    )
    @facilitator_only()
    async def note(self, interaction: discord.Interaction, date: str, text: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        key = await self._service.note(_guild_id(interaction), date, text)
        lang = caller_lang(interaction)
        await self._done(interaction, self._catalog.t(lang, "dropin.noted", date=long_day(key, lang)))

    @dropin.command(
        name=_ls("move", "cmd.dropin.move.name"),
        description=_ls(
            "Change the time of one week's drop-in (facilitators)", "cmd.dropin.move.description"
        ),
    )
    @app_commands.rename(date=_ls("date", "opt.date.name"), time=_ls("time", "opt.time.name"))
    @app_commands.describe(
        date=_ls("The drop-in's date, YYYY-MM-DD (e.g. 2026-12-03)", "opt.date.description"),
        time=_ls("Local time, HH:MM (24-hour, e.g. 13:30)", "opt.time.description"),
    )
    @facilitator_only()
    async def move(self, interaction: discord.Interaction, date: str, time: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        occurrence = await self._service.move(_guild_id(interaction), date, time)
        lang = caller_lang(interaction)
        text = self._catalog.t(
            lang,
            "dropin.moved",
            date=long_day(occurrence.key, lang),
            start=discord_timestamp(occurrence.start),
        )
        await self._done(interaction, text)

    async def _done(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)


def _guild_id(interaction: discord.Interaction) -> int:
    assert interaction.guild_id is not None  # the group is guild_only
    return interaction.guild_id

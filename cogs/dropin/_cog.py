"""/dropin commands: read inputs, call the drop-in service, take the reply from DropinText, respond."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice, locale_str
from discord.ext import commands

from bot.adapters.checks import facilitator_only
from bot.adapters.discord_text import NONE, STATE_CHOICES, caller_lang, embed_of, guild_id_of, loc, reply
from bot.domain.dropin import WEEKDAYS
from bot.services.dropin import DropinService, parse_changes
from bot.services.dropin_text import DropinText
from bot.services.minutes_archive import MinutesArchive
from bot.services.web import WebLinks
from cogs.dropin._options import descriptions, names

WEEKDAY_CHOICES = [
    Choice(name=locale_str(day.capitalize(), key=f"choice.weekday.{day}"), value=day) for day in WEEKDAYS
]
SETUP_OPTIONS = (
    "link",
    "weekday",
    "time",
    "timezone",
    "duration",
    "meeting_id",
    "passcode",
    "channel",
    "ping_role",
)


class DropinCog(commands.Cog):
    dropin = app_commands.Group(
        name=loc("dropin", "cmd.dropin.name"),
        description=loc("The weekly drop-in on Zoom", "cmd.dropin.description"),
        guild_only=True,
    )

    def __init__(
        self, service: DropinService, text: DropinText, minutes: MinutesArchive, web: WebLinks | None = None
    ) -> None:
        self._service = service
        self._text = text
        self._minutes = minutes
        self._web = web

    # --- members ------------------------------------------------------------------------------
    @dropin.command(
        name=loc("next", "cmd.dropin.next.name"),
        description=loc("When the next drop-in is, and how to join", "cmd.dropin.next.description"),
    )
    async def next(self, interaction: discord.Interaction) -> None:
        schedule, first, second = await self._service.next_occurrence(guild_id_of(interaction))
        latest = await self._minutes.latest_dropin(guild_id_of(interaction))
        link = (latest.minutes.meeting_date, latest.link) if latest is not None else None
        texts = self._text.next(schedule, first, second, caller_lang(interaction), link)
        embeds = [embed_of(text) for text in texts]
        await interaction.response.send_message(embeds=embeds, ephemeral=True, allowed_mentions=NONE)

    @dropin.command(
        name=loc("calendar", "cmd.dropin.calendar.name"),
        description=loc("The next eight drop-ins, with any changes", "cmd.dropin.calendar.description"),
    )
    async def calendar(self, interaction: discord.Interaction) -> None:
        occurrences = await self._service.upcoming(guild_id_of(interaction), 8)
        embed = embed_of(self._text.calendar(occurrences, caller_lang(interaction)))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @dropin.command(
        name=loc("notify", "cmd.dropin.notify.name"),
        description=loc("Turn drop-in notifications on or off for yourself", "cmd.dropin.notify.description"),
    )
    @app_commands.rename(**names("state"))
    @app_commands.describe(**descriptions("state"))
    @app_commands.choices(state=STATE_CHOICES)
    async def notify(self, interaction: discord.Interaction, state: Choice[str]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        role_id = await self._service.notification_role(guild_id_of(interaction))
        member = interaction.user
        assert isinstance(member, discord.Member)
        lang = caller_lang(interaction)
        if state.value == "on":
            await member.add_roles(discord.Object(role_id), reason="/dropin notify on")
            text = self._text.say(lang, "dropin.notify_on", role=f"<@&{role_id}>")
        else:
            await member.remove_roles(discord.Object(role_id), reason="/dropin notify off")
            text = self._text.say(lang, "dropin.notify_off")
        await reply(interaction, text)

    @dropin.command(
        name=loc("suggest", "cmd.dropin.suggest.name"),
        description=loc("Suggest a topic for the next drop-in (anonymous)", "cmd.dropin.suggest.description"),
    )
    @app_commands.rename(**names("topic"))
    @app_commands.describe(**descriptions("topic"))
    async def suggest(self, interaction: discord.Interaction, topic: str) -> None:
        occurrence = await self._service.suggest(guild_id_of(interaction), topic)
        await reply(
            interaction, self._text.say(caller_lang(interaction), "dropin.topic_added", date=occurrence.key)
        )

    @dropin.command(
        name=loc("topics", "cmd.dropin.topics.name"),
        description=loc("Topics suggested for the next drop-in", "cmd.dropin.topics.description"),
    )
    async def topics(self, interaction: discord.Interaction) -> None:
        occurrence, found = await self._service.topics(guild_id_of(interaction))
        await reply(interaction, self._text.topics(occurrence, found, caller_lang(interaction)))

    # --- facilitators -------------------------------------------------------------------------
    @dropin.command(
        name=loc("remove-topic", "cmd.dropin.remove-topic.name"),
        description=loc("Remove a suggested topic (facilitators)", "cmd.dropin.remove-topic.description"),
    )
    @app_commands.rename(**names("number"))
    @app_commands.describe(**descriptions("number"))
    @facilitator_only()
    async def remove_topic(
        self, interaction: discord.Interaction, number: app_commands.Range[int, 1]
    ) -> None:
        await self._service.remove_topic(guild_id_of(interaction), number)
        await reply(interaction, self._text.say(caller_lang(interaction), "dropin.topic_removed", id=number))

    @dropin.command(
        name=loc("info", "cmd.dropin.info.name"),
        description=loc(
            "The drop-in schedule and its settings (facilitators)", "cmd.dropin.info.description"
        ),
    )
    @facilitator_only()
    async def info(self, interaction: discord.Interaction) -> None:
        schedule = await self._service.require_schedule(guild_id_of(interaction))
        channel_id = await self._service.channel_for(schedule)
        embed = embed_of(self._text.info(schedule, channel_id, caller_lang(interaction)))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @dropin.command(
        name=loc("setup", "cmd.dropin.setup.name"),
        description=loc(
            "Change the drop-in schedule, link or channel (facilitators)", "cmd.dropin.setup.description"
        ),
    )
    @app_commands.rename(**names(*SETUP_OPTIONS))
    @app_commands.describe(**descriptions(*SETUP_OPTIONS))
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
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        _, first = await self._service.setup(guild_id_of(interaction), changes)
        await reply(
            interaction, self._text.say(caller_lang(interaction), "dropin.setup_saved", start=first.start)
        )

    @dropin.command(
        name=loc("reminders", "cmd.dropin.reminders.name"),
        description=loc(
            "When reminders go out before each drop-in (facilitators)", "cmd.dropin.reminders.description"
        ),
    )
    @app_commands.rename(**names("times"))
    @app_commands.describe(**descriptions("times"))
    @facilitator_only()
    async def reminders(self, interaction: discord.Interaction, times: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        offsets, first = await self._service.set_reminders(guild_id_of(interaction), times)
        lang = caller_lang(interaction)
        await reply(
            interaction, self._text.say(lang, "dropin.reminders.saved", offsets=offsets, start=first.start)
        )

    @dropin.command(
        name=loc("skip", "cmd.dropin.skip.name"),
        description=loc("Cancel one week's drop-in (facilitators)", "cmd.dropin.skip.description"),
    )
    @app_commands.rename(**names("date", "reason"))
    @app_commands.describe(**descriptions("date", "reason"))
    @facilitator_only()
    async def skip(self, interaction: discord.Interaction, date: str, reason: str = "") -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        skipped = await self._service.skip(guild_id_of(interaction), date, reason)
        key = (
            ("dropin_skip_again.reason_updated" if reason.strip() else "dropin_skip_again.reason_kept")
            if skipped.already
            else "dropin.skipped"
        )
        await reply(interaction, self._text.say(caller_lang(interaction), key, date=skipped.key))

    @dropin.command(
        name=loc("unskip", "cmd.dropin.unskip.name"),
        description=loc("Bring back a cancelled drop-in (facilitators)", "cmd.dropin.unskip.description"),
    )
    @app_commands.rename(**names("date"))
    @app_commands.describe(**descriptions("date"))
    @facilitator_only()
    async def unskip(self, interaction: discord.Interaction, date: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        key = await self._service.unskip(guild_id_of(interaction), date)
        await reply(interaction, self._text.say(caller_lang(interaction), "dropin.unskipped", date=key))

    @dropin.command(
        name=loc("note", "cmd.dropin.note.name"),
        description=loc(
            "Add a note to one week's drop-in, e.g. a guest (facilitators)", "cmd.dropin.note.description"
        ),
    )
    @app_commands.rename(**names("date", "text"))
    @app_commands.describe(**descriptions("date", "text"))
    @facilitator_only()
    async def note(self, interaction: discord.Interaction, date: str, text: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        key = await self._service.note(guild_id_of(interaction), date, text)
        await reply(interaction, self._text.say(caller_lang(interaction), "dropin.noted", date=key))

    @dropin.command(
        name=loc("move", "cmd.dropin.move.name"),
        description=loc(
            "Change the time of one week's drop-in (facilitators)", "cmd.dropin.move.description"
        ),
    )
    @app_commands.rename(**names("date", "time"))
    @app_commands.describe(**descriptions("date", "time"))
    @facilitator_only()
    async def move(self, interaction: discord.Interaction, date: str, time: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        occurrence = await self._service.move(guild_id_of(interaction), date, time)
        lang = caller_lang(interaction)
        text = self._text.say(lang, "dropin.moved", date=occurrence.key, start=occurrence.start)
        if not self._service.event_in_sync(guild_id_of(interaction), occurrence.key):
            text += "\n" + self._text.say(lang, "dropin_event.not_moved")
        await reply(interaction, text)

    @dropin.command(
        name=loc("calendar-link", "cmd.dropin.calendar-link.name"),
        description=loc(
            "The calendar feed and public page links; rotate them (facilitators)",
            "cmd.dropin.calendar-link.description",
        ),
    )
    @app_commands.rename(**names("rotate"))
    @app_commands.describe(**descriptions("rotate"))
    @facilitator_only()
    async def calendar_link(self, interaction: discord.Interaction, rotate: bool = False) -> None:
        assert self._web is not None
        token = await self._web.service.token(guild_id_of(interaction), rotate=rotate)
        base = self._web.base_url().rstrip("/")
        links = {"calendar": f"{base}/calendar/{token}.ics", "page": f"{base}/g/{token}/"}
        key = "web.rotated" if rotate else "web.calendar_link"
        await reply(interaction, self._text.say(caller_lang(interaction), key, **links))

    @dropin.command(
        name=loc("attendance", "cmd.dropin.attendance.name"),
        description=loc(
            "Drop-in attendance counts from Zoom (facilitators)", "cmd.dropin.attendance.description"
        ),
    )
    @facilitator_only()
    async def attendance(self, interaction: discord.Interaction) -> None:
        assert self._web is not None
        rows = await self._web.zoom_counts(guild_id_of(interaction))
        await reply(interaction, self._web.text.attendance_report(rows, caller_lang(interaction)))

"""/wg: read inputs, call the working-groups services, render, respond (ephemeral).

/honoraria is its own cog (cogs/groups/_honoraria.py)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.adapters.checks import facilitator_only
from bot.adapters.discord_text import NONE, caller_lang, guild_id_of, loc
from bot.domain.dropin import parse_date
from bot.domain.groups import Visibility
from bot.errors import UserError
from bot.i18n.dates import long_day
from bot.services.group_text import GroupText
from bot.services.groups import WorkingGroups
from cogs.groups._interaction import (
    GROUP_DESCRIBE,
    GROUP_OPTION,
    LEAD_ACTIONS,
    MENTION,
    VISIBILITY_CHOICES,
    acting,
    say,
)


class GroupsCog(commands.Cog):
    wg = app_commands.Group(
        name=loc("wg", "cmd.wg.name"),
        description=loc("Working groups: join, lead, announce", "cmd.wg.description"),
        guild_only=True,
    )

    def __init__(self, text: GroupText, groups: WorkingGroups) -> None:
        self._text = text
        self._groups = groups

    async def group_names(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        groups = await self._groups.access.visible_to(guild_id_of(interaction), await acting(interaction))
        typed = current.casefold()
        return [Choice(name=g.name, value=g.name) for g in groups if typed in g.name.casefold()][:25]

    # --- everyone -------------------------------------------------------------------------------
    @wg.command(
        name=loc("list", "cmd.wg.list.name"),
        description=loc("The working groups you can see", "cmd.wg.list.description"),
    )
    async def list(self, interaction: discord.Interaction) -> None:
        groups = await self._groups.access.visible_to(guild_id_of(interaction), await acting(interaction))
        text = self._text.listing(groups, caller_lang(interaction))
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    @wg.command(
        name=loc("join", "cmd.wg.join.name"),
        description=loc("Join a working group (or ask to join)", "cmd.wg.join.description"),
    )
    @app_commands.rename(**GROUP_OPTION)
    @app_commands.describe(**GROUP_DESCRIBE)
    async def join(self, interaction: discord.Interaction, group: str) -> None:
        await self.join_by_name(interaction, group)

    async def join_by_name(self, interaction: discord.Interaction, name: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self._groups.membership.join(guild_id_of(interaction), name, interaction.user.id)
        found = await self._groups.access.find(guild_id_of(interaction), name)
        channel = f"<#{found.channel_id}>" if found.channel_id else found.name
        await say(interaction, self._text, f"groups.{outcome}", name=found.name, channel=channel)

    @wg.command(
        name=loc("leave", "cmd.wg.leave.name"),
        description=loc("Leave a working group", "cmd.wg.leave.description"),
    )
    @app_commands.rename(**GROUP_OPTION)
    @app_commands.describe(**GROUP_DESCRIBE)
    async def leave(self, interaction: discord.Interaction, group: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        left = await self._groups.membership.leave(guild_id_of(interaction), group, interaction.user.id)
        await say(interaction, self._text, "groups.left", name=left.name)

    @wg.command(
        name=loc("members", "cmd.wg.members.name"),
        description=loc("Who is in a working group", "cmd.wg.members.description"),
    )
    @app_commands.rename(**GROUP_OPTION)
    @app_commands.describe(**GROUP_DESCRIBE)
    async def members(self, interaction: discord.Interaction, group: str) -> None:
        found = await self._groups.access.find(guild_id_of(interaction), group)
        listing = await self._groups.membership.members(
            guild_id_of(interaction), group, await acting(interaction)
        )
        leads = ", ".join(listing.leads) or self._text.say(caller_lang(interaction), "groups.none")
        shown = {"name": found.name, "count": listing.count, "leads": leads}
        if listing.names is None:
            await say(interaction, self._text, "groups.members_count", **shown)
        else:
            names = ", ".join(listing.names)
            await say(interaction, self._text, "groups.members_names", **shown, members=names)

    # --- leads ----------------------------------------------------------------------------------
    @wg.command(
        name=loc("lead", "cmd.wg.lead.name"),
        description=loc("Add or remove a lead (leads and facilitators)", "cmd.wg.lead.description"),
    )
    @app_commands.rename(
        action=loc("action", "opt.action.name"), member=loc("member", "opt.member.name"), **GROUP_OPTION
    )
    @app_commands.describe(
        action=loc("Add or remove", "opt.action.description"),
        member=loc("The member", "opt.member.description"),
        **GROUP_DESCRIBE,
    )
    @app_commands.choices(action=LEAD_ACTIONS)
    async def lead(
        self, interaction: discord.Interaction, action: Choice[str], group: str, member: discord.Member
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        adding = action.value == "add"
        found = await self._groups.membership.set_lead(
            guild_id_of(interaction), group, member.id, await acting(interaction), adding
        )
        await say(
            interaction,
            self._text,
            "groups.lead_added" if adding else "groups.lead_removed",
            member=member.display_name,
            name=found.name,
        )

    @wg.command(
        name=loc("edit", "cmd.wg.edit.name"),
        description=loc("Change a group's description or meeting cadence (leads)", "cmd.wg.edit.description"),
    )
    @app_commands.rename(
        description=loc("description", "opt.description.name"),
        cadence=loc("cadence", "opt.cadence.name"),
        **GROUP_OPTION,
    )
    @app_commands.describe(
        description=loc("What the group is for", "opt.description.description"),
        cadence=loc("When the group meets, e.g. every second Tuesday", "opt.cadence.description"),
        **GROUP_DESCRIBE,
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        group: str,
        description: str | None = None,
        cadence: str | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._groups.leads.edit(
            guild_id_of(interaction), group, await acting(interaction), description, cadence
        )
        await say(interaction, self._text, "groups.edited", name=found.name)

    @wg.command(
        name=loc("announce", "cmd.wg.announce.name"),
        description=loc("Post an announcement in the group's channel (leads)", "cmd.wg.announce.description"),
    )
    @app_commands.rename(
        text=loc("text", "opt.text_announce.name"), ping=loc("ping", "opt.ping.name"), **GROUP_OPTION
    )
    @app_commands.describe(
        text=loc("The announcement", "opt.text_announce.description"),
        ping=loc("Notify the group's members", "opt.ping.description"),
        **GROUP_DESCRIBE,
    )
    async def announce(
        self, interaction: discord.Interaction, group: str, text: str, ping: bool = False
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._groups.leads.announce(
            guild_id_of(interaction), group, await acting(interaction), text, ping
        )
        await say(interaction, self._text, "groups.announced", name=found.name)

    @wg.command(
        name=loc("attendance", "cmd.wg.attendance.name"),
        description=loc(
            "Record who took part in a meeting, for honoraria (leads)", "cmd.wg.attendance.description"
        ),
    )
    @app_commands.rename(
        date=loc("date", "opt.date.name"), members=loc("members", "opt.members.name"), **GROUP_OPTION
    )
    @app_commands.describe(
        date=loc("The drop-in's date, YYYY-MM-DD (e.g. 2026-12-03)", "opt.date.description"),
        members=loc("Mention everyone who took part, e.g. @Sam @Riley", "opt.members.description"),
        **GROUP_DESCRIBE,
    )
    async def attendance(self, interaction: discord.Interaction, group: str, date: str, members: str) -> None:
        user_ids = [int(match) for match in MENTION.findall(members)]
        if not user_ids:
            raise UserError("groups.error.no_members")
        day = parse_date(date)
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._groups.access.find(guild_id_of(interaction), group)
        recorded, skipped = await self._groups.honoraria.record_attendance(
            guild_id_of(interaction), group, await acting(interaction), day, user_ids
        )
        lang = caller_lang(interaction)
        await say(
            interaction,
            self._text,
            "groups.attendance_recorded",
            recorded=recorded,
            skipped=skipped,
            name=found.name,
            date=long_day(day, lang),
        )

    # --- facilitators ---------------------------------------------------------------------------
    @wg.command(
        name=loc("create", "cmd.wg.create.name"),
        description=loc("Create a working group (facilitators)", "cmd.wg.create.description"),
    )
    @app_commands.rename(
        name=loc("name", "opt.group_name.name"),
        description=loc("description", "opt.description.name"),
        visibility=loc("visibility", "opt.visibility.name"),
        lead=loc("lead", "opt.lead.name"),
    )
    @app_commands.describe(
        name=loc("Name of the new group (2 to 40 characters)", "opt.group_name.description"),
        description=loc("What the group is for", "opt.description.description"),
        visibility=loc("Who can see and join it", "opt.visibility.description"),
        lead=loc("The group's first lead", "opt.lead.description"),
    )
    @app_commands.choices(visibility=VISIBILITY_CHOICES)
    @facilitator_only()
    async def create(
        self,
        interaction: discord.Interaction,
        name: str,
        description: str,
        visibility: Choice[str],
        lead: discord.Member,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        group = await self._groups.lifecycle.create(
            guild_id_of(interaction), name, description, Visibility(visibility.value), lead.id
        )
        await say(
            interaction, self._text, "groups.created", name=group.name, channel=f"<#{group.channel_id}>"
        )

    @wg.command(
        name=loc("archive", "cmd.wg.archive.name"),
        description=loc(
            "Archive a finished group: read-only, every message kept (facilitators)",
            "cmd.wg.archive.description",
        ),
    )
    @app_commands.rename(**GROUP_OPTION)
    @app_commands.describe(**GROUP_DESCRIBE)
    @facilitator_only()
    async def archive(self, interaction: discord.Interaction, group: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._groups.lifecycle.set_archived(guild_id_of(interaction), group, True)
        await say(interaction, self._text, "groups.archived", name=found.name)

    @wg.command(
        name=loc("unarchive", "cmd.wg.unarchive.name"),
        description=loc("Bring an archived group back (facilitators)", "cmd.wg.unarchive.description"),
    )
    @app_commands.rename(**GROUP_OPTION)
    @app_commands.describe(**GROUP_DESCRIBE)
    @facilitator_only()
    async def unarchive(self, interaction: discord.Interaction, group: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._groups.lifecycle.set_archived(guild_id_of(interaction), group, False)
        await say(interaction, self._text, "groups.unarchived", name=found.name)

    for _command in (join, leave, members, lead, edit, announce, attendance, archive, unarchive):
        _command.autocomplete("group")(group_names)

"""/wg and /honoraria: read inputs, call the group service, render, respond (ephemeral)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, locale_str
from discord.ext import commands

from bot.adapters.checks import caller_is_facilitator, facilitator_only
from bot.adapters.discord_text import NONE, caller_lang, fit, guild_id_of, loc, reply
from bot.adapters.uploads import send_in_batches
from bot.domain.dropin import parse_date
from bot.domain.groups import Visibility
from bot.domain.uploads import Upload
from bot.errors import UserError
from bot.i18n.dates import long_day
from bot.services.group_text import GroupText
from bot.services.groups import Actor, GroupService

MENTION = re.compile(r"<@!?(\d{15,20})>")
VISIBILITY_CHOICES = [
    Choice(name=locale_str("Open: anyone sees it and may join", key="choice.visibility.open"), value="open"),
    Choice(
        name=locale_str("On request: joining needs a lead's approval", key="choice.visibility.request"),
        value="request",
    ),
    Choice(
        name=locale_str("Private: only its members see it", key="choice.visibility.private"), value="private"
    ),
]
LEAD_ACTIONS = [
    Choice(name=locale_str("Add", key="choice.lead_action.add"), value="add"),
    Choice(name=locale_str("Remove", key="choice.lead_action.remove"), value="remove"),
]


GROUP_OPTION = {"group": loc("group", "opt.group.name")}
GROUP_DESCRIBE = {"group": loc("The working group's name", "opt.group.description")}


async def _actor(interaction: discord.Interaction) -> Actor:
    return Actor(interaction.user.id, await caller_is_facilitator(interaction))


class GroupsCog(commands.Cog):
    wg = app_commands.Group(
        name=loc("wg", "cmd.wg.name"),
        description=loc("Working groups: join, lead, announce", "cmd.wg.description"),
        guild_only=True,
    )
    honoraria = app_commands.Group(
        name=loc("honoraria", "cmd.honoraria.name"),
        description=loc("Participation records for honoraria", "cmd.honoraria.description"),
        guild_only=True,
    )

    def __init__(self, text: GroupText, service: GroupService) -> None:
        self._text = text
        self._service = service

    async def _say(self, interaction: discord.Interaction, key: str, **params: Any) -> None:
        await reply(interaction, fit(self._text.say(caller_lang(interaction), key, **params)))

    async def group_names(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        groups = await self._service.visible_to(guild_id_of(interaction), await _actor(interaction))
        typed = current.casefold()
        return [Choice(name=g.name, value=g.name) for g in groups if typed in g.name.casefold()][:25]

    def request_handler(self, *, approve: bool) -> Callable[[discord.Interaction, int], Awaitable[None]]:
        async def decide(interaction: discord.Interaction, request_id: int) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            try:
                group, member = await self._service.decide(request_id, await _actor(interaction), approve)
            except UserError as exc:
                if exc.key == "groups.error.already_decided":
                    await _close_card(interaction)
                raise
            await _close_card(interaction)
            await self._say(
                interaction, "groups.approved" if approve else "groups.denied", member=member, name=group.name
            )

        return decide

    # --- everyone -------------------------------------------------------------------------------
    @wg.command(
        name=loc("list", "cmd.wg.list.name"),
        description=loc("The working groups you can see", "cmd.wg.list.description"),
    )
    async def list(self, interaction: discord.Interaction) -> None:
        groups = await self._service.visible_to(guild_id_of(interaction), await _actor(interaction))
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
        outcome = await self._service.join(guild_id_of(interaction), name, interaction.user.id)
        found = await self._service.find(guild_id_of(interaction), name)
        channel = f"<#{found.channel_id}>" if found.channel_id else found.name
        await self._say(interaction, f"groups.{outcome}", name=found.name, channel=channel)

    @wg.command(
        name=loc("leave", "cmd.wg.leave.name"),
        description=loc("Leave a working group", "cmd.wg.leave.description"),
    )
    @app_commands.rename(**GROUP_OPTION)
    @app_commands.describe(**GROUP_DESCRIBE)
    async def leave(self, interaction: discord.Interaction, group: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        left = await self._service.leave(guild_id_of(interaction), group, interaction.user.id)
        await self._say(interaction, "groups.left", name=left.name)

    @wg.command(
        name=loc("members", "cmd.wg.members.name"),
        description=loc("Who is in a working group", "cmd.wg.members.description"),
    )
    @app_commands.rename(**GROUP_OPTION)
    @app_commands.describe(**GROUP_DESCRIBE)
    async def members(self, interaction: discord.Interaction, group: str) -> None:
        found = await self._service.find(guild_id_of(interaction), group)
        listing = await self._service.members(guild_id_of(interaction), group, await _actor(interaction))
        leads = ", ".join(listing.leads) or self._text.say(caller_lang(interaction), "groups.none")
        if listing.names is None:
            await self._say(
                interaction, "groups.members_count", name=found.name, count=listing.count, leads=leads
            )
        else:
            await self._say(
                interaction,
                "groups.members_names",
                name=found.name,
                count=listing.count,
                leads=leads,
                members=", ".join(listing.names),
            )

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
        found = await self._service.set_lead(
            guild_id_of(interaction), group, member.id, await _actor(interaction), adding
        )
        await self._say(
            interaction,
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
        found = await self._service.edit(
            guild_id_of(interaction), group, await _actor(interaction), description, cadence
        )
        await self._say(interaction, "groups.edited", name=found.name)

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
        found = await self._service.announce(
            guild_id_of(interaction), group, await _actor(interaction), text, ping
        )
        await self._say(interaction, "groups.announced", name=found.name)

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
        found = await self._service.find(guild_id_of(interaction), group)
        recorded, skipped = await self._service.record_attendance(
            guild_id_of(interaction), group, await _actor(interaction), day, user_ids
        )
        lang = caller_lang(interaction)
        await self._say(
            interaction,
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
        group = await self._service.create(
            guild_id_of(interaction), name, description, Visibility(visibility.value), lead.id
        )
        await self._say(interaction, "groups.created", name=group.name, channel=f"<#{group.channel_id}>")

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
        found = await self._service.set_archived(guild_id_of(interaction), group, True)
        await self._say(interaction, "groups.archived", name=found.name)

    @wg.command(
        name=loc("unarchive", "cmd.wg.unarchive.name"),
        description=loc("Bring an archived group back (facilitators)", "cmd.wg.unarchive.description"),
    )
    @app_commands.rename(**GROUP_OPTION)
    @app_commands.describe(**GROUP_DESCRIBE)
    @facilitator_only()
    async def unarchive(self, interaction: discord.Interaction, group: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._service.set_archived(guild_id_of(interaction), group, False)
        await self._say(interaction, "groups.unarchived", name=found.name)

    # --- honoraria ------------------------------------------------------------------------------
    @honoraria.command(
        name=loc("opt-in", "cmd.honoraria.opt-in.name"),
        description=loc(
            "Let leads record your participation, so you can be paid for it",
            "cmd.honoraria.opt-in.description",
        ),
    )
    async def opt_in(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._service.opt_in(guild_id_of(interaction), interaction.user.id, True)
        await self._say(interaction, "groups.opted_in")

    @honoraria.command(
        name=loc("opt-out", "cmd.honoraria.opt-out.name"),
        description=loc("Stop recording your participation", "cmd.honoraria.opt-out.description"),
    )
    async def opt_out(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._service.opt_in(guild_id_of(interaction), interaction.user.id, False)
        await self._say(interaction, "groups.opted_out")

    @honoraria.command(
        name=loc("export", "cmd.honoraria.export.name"),
        description=loc(
            "Participation records as a CSV file (facilitators)", "cmd.honoraria.export.description"
        ),
    )
    @app_commands.rename(start=loc("from", "opt.start.name"), end=loc("to", "opt.end.name"))
    @app_commands.describe(
        start=loc("First day, YYYY-MM-DD", "opt.start.description"),
        end=loc("Last day, YYYY-MM-DD", "opt.end.description"),
    )
    @facilitator_only()
    async def export(self, interaction: discord.Interaction, start: str, end: str) -> None:
        first, last = parse_date(start), parse_date(end)
        await interaction.response.defer(ephemeral=True, thinking=True)
        csv_text = await self._service.export(guild_id_of(interaction), first, last)
        lang = caller_lang(interaction)
        count = max(csv_text.count("\n") - 1, 0)
        text = self._text.say(
            lang, "groups.export_ready", start=long_day(first, lang), end=long_day(last, lang), count=count
        )
        filename = await self._service.export_filename(guild_id_of(interaction), first, last)
        await send_in_batches(
            partial(interaction.followup.send, ephemeral=True, allowed_mentions=NONE),
            text,
            [Upload(filename, csv_text.encode())],
        )

    for _command in (join, leave, members, lead, edit, announce, attendance, archive, unarchive):
        _command.autocomplete("group")(group_names)


async def _close_card(interaction: discord.Interaction) -> None:
    """A decided join request's card loses its Approve / Decline buttons (its text stays)."""
    if interaction.message is not None and interaction.message.components:
        await interaction.message.edit(view=None)

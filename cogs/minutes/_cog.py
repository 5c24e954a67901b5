"""/minutes: read inputs, call the minutes service (or its archive), render, respond (ephemeral)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.adapters.checks import caller_is_facilitator, facilitator_only
from bot.adapters.discord_text import NONE, STATE_CHOICES, caller_lang, fit, guild_id_of, loc, reply
from bot.adapters.uploads import send_in_batches
from bot.domain.minutes import PAGES, Minutes, Section, split_message
from bot.domain.uploads import Upload
from bot.i18n.dates import long_day
from bot.services.group_access import Actor
from bot.services.minutes import MinutesService
from bot.services.minutes_archive import MinutesArchive
from bot.services.minutes_text import MinutesText
from cogs.minutes._options import MEETING, MEETING_HELP, SECTION_CHOICES
from cogs.minutes._views import SectionsModal


async def _actor(interaction: discord.Interaction) -> Actor:
    return Actor(interaction.user.id, await caller_is_facilitator(interaction))


class MinutesCog(commands.Cog):
    minutes = app_commands.Group(
        name=loc("minutes", "cmd.minutes.name"),
        description=loc("Meeting minutes: write, review, publish, find", "cmd.minutes.description"),
        guild_only=True,
    )

    def __init__(self, bot: Any, text: MinutesText, service: MinutesService, archive: MinutesArchive) -> None:
        self._bot = bot
        self._text = text
        self._service = service
        self._archive = archive

    async def _say(self, interaction: discord.Interaction, key: str, **params: Any) -> None:
        await reply(interaction, fit(self._text.say(caller_lang(interaction), key, **params)))

    def _modal(
        self, interaction: discord.Interaction, minutes: Minutes, sections: tuple[Section, ...], title: str
    ) -> SectionsModal:
        labels, placeholders = self._text.fields(sections, caller_lang(interaction))

        async def on_values(modal_interaction: discord.Interaction, values: dict[Section, str]) -> None:
            await modal_interaction.response.defer(ephemeral=True, thinking=True)
            saved = await self._service.save(minutes.id, await _actor(modal_interaction), values)
            filled = sum(1 for text in saved.sections.values() if text.strip())
            await self._say(modal_interaction, "minutes.saved", count=filled, total=len(Section))

        return SectionsModal(title, labels, minutes.sections, placeholders, on_values)

    # --- buttons ------------------------------------------------------------------------------
    def handler(self, kind: str) -> Callable[[discord.Interaction, int], Awaitable[None]]:
        async def page(interaction: discord.Interaction, minutes_id: int, number: int) -> None:
            minutes = await self._service.get(minutes_id)
            title = self._text.say(caller_lang(interaction), f"minutes.page{number}")
            await interaction.response.send_modal(self._modal(interaction, minutes, PAGES[number - 1], title))

        async def approve(interaction: discord.Interaction, minutes_id: int) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            published = await self._service.approve(minutes_id, await _actor(interaction))
            await self._say(interaction, "minutes.approved", link=published.link)

        async def changes(interaction: discord.Interaction, minutes_id: int) -> None:
            actor = await _actor(interaction)
            lang = caller_lang(interaction)

            async def on_values(modal_interaction: discord.Interaction, values: dict[Section, str]) -> None:
                await modal_interaction.response.defer(ephemeral=True, thinking=True)
                await self._service.request_changes(minutes_id, actor, next(iter(values.values()), ""))
                await self._say(modal_interaction, "minutes.changes_requested")

            title, labels, hint = self._text.changes_modal(lang)
            await interaction.response.send_modal(SectionsModal(title, labels, {}, hint, on_values))

        handlers: dict[str, Callable[[discord.Interaction, int], Awaitable[None]]] = {
            "min-page1": lambda i, m: page(i, m, 1),
            "min-page2": lambda i, m: page(i, m, 2),
            "min-approve": approve,
            "min-changes": changes,
        }
        return handlers[kind]

    # --- commands -----------------------------------------------------------------------------
    @minutes.command(
        name=loc("start", "cmd.minutes.start.name"),
        description=loc(
            "Start or continue the minutes of a drop-in or a working-group meeting",
            "cmd.minutes.start.description",
        ),
    )
    @app_commands.rename(**MEETING)
    @app_commands.describe(**MEETING_HELP)
    async def start(
        self, interaction: discord.Interaction, date: str | None = None, group: str | None = None
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        actor = await _actor(interaction)
        meeting = await self._service.meeting(guild_id_of(interaction), date, group, actor)
        minutes = await self._service.start(guild_id_of(interaction), meeting, actor.user_id)
        lang = caller_lang(interaction)
        view = self._bot.components.view_for(self._text.page_actions(minutes.id, lang))
        text = self._text.say(lang, "minutes.started", date=long_day(meeting.day, lang))
        await interaction.followup.send(text, view=view, ephemeral=True, allowed_mentions=NONE)

    @minutes.command(
        name=loc("edit", "cmd.minutes.edit.name"),
        description=loc("Rewrite one section of the minutes", "cmd.minutes.edit.description"),
    )
    @app_commands.rename(section=loc("section", "opt.section.name"), **MEETING)
    @app_commands.describe(section=loc("Which section", "opt.section.description"), **MEETING_HELP)
    @app_commands.choices(section=SECTION_CHOICES)
    async def edit(
        self,
        interaction: discord.Interaction,
        section: Choice[str],
        date: str | None = None,
        group: str | None = None,
    ) -> None:
        actor = await _actor(interaction)
        meeting = await self._service.meeting(guild_id_of(interaction), date, group, actor)
        minutes = await self._service.start(guild_id_of(interaction), meeting, actor.user_id)
        chosen = Section(section.value)
        title = self._text.say(caller_lang(interaction), f"minutes.section.{chosen.value}")
        await interaction.response.send_modal(self._modal(interaction, minutes, (chosen,), title))

    @minutes.command(
        name=loc("submit", "cmd.minutes.submit.name"),
        description=loc("Send the minutes for review", "cmd.minutes.submit.description"),
    )
    @app_commands.rename(confirm=loc("confirm", "opt.confirm.name"), **MEETING)
    @app_commands.describe(
        confirm=loc("Submit even though the text names people", "opt.confirm.description"), **MEETING_HELP
    )
    async def submit(
        self,
        interaction: discord.Interaction,
        date: str | None = None,
        group: str | None = None,
        confirm: bool = False,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        actor = await _actor(interaction)
        meeting = await self._service.meeting(guild_id_of(interaction), date, group, actor)
        minutes = await self._service.start(guild_id_of(interaction), meeting, actor.user_id)
        guild = interaction.guild
        names = [(m.display_name, m.name) for m in (guild.members if guild else [])]  # one entry per person
        named = await self._service.submit(minutes.id, actor, names, confirmed=confirm)
        if named:
            await self._say(interaction, "minutes.names_warning", names=", ".join(named))
        else:
            await self._say(interaction, "minutes.submitted")

    @minutes.command(
        name=loc("amend", "cmd.minutes.amend.name"),
        description=loc("Reopen published minutes to correct them", "cmd.minutes.amend.description"),
    )
    @app_commands.rename(**MEETING)
    @app_commands.describe(**MEETING_HELP)
    async def amend(self, interaction: discord.Interaction, date: str, group: str | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        actor = await _actor(interaction)
        meeting = await self._service.meeting(guild_id_of(interaction), date, group, actor)
        await self._service.amend(guild_id_of(interaction), meeting, actor)
        lang = caller_lang(interaction)
        await self._say(interaction, "minutes.amending", date=long_day(meeting.day, lang))

    @minutes.command(
        name=loc("list", "cmd.minutes.list.name"),
        description=loc("Published minutes of a year", "cmd.minutes.list.description"),
    )
    @app_commands.rename(year=loc("year", "opt.year.name"))
    @app_commands.describe(year=loc("The year, e.g. 2026", "opt.year.description"))
    async def list(
        self, interaction: discord.Interaction, year: app_commands.Range[int, 2000, 2100] | None = None
    ) -> None:
        lang = caller_lang(interaction)
        wanted = year or interaction.created_at.year
        found = await self._archive.published(guild_id_of(interaction), wanted)
        if not found:
            await self._say(interaction, "minutes.list_empty", year=wanted)
            return
        rows = [(p.minutes, await self._group_suffix(p.minutes), p.link) for p in found]
        text = fit(self._text.listing(wanted, rows, lang))
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    @minutes.command(
        name=loc("show", "cmd.minutes.show.name"),
        description=loc("Read the published minutes of a meeting", "cmd.minutes.show.description"),
    )
    @app_commands.rename(**MEETING)
    @app_commands.describe(**MEETING_HELP)
    async def show(self, interaction: discord.Interaction, date: str, group: str | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        minutes = await self._archive.published_for(guild_id_of(interaction), date, group)
        text = await self._archive.published_text(minutes)
        await send_in_batches(
            partial(interaction.followup.send, ephemeral=True, allowed_mentions=NONE),
            split_message(text)[0],
            [Upload(await self._archive.filename(minutes), text.encode())],
        )

    @minutes.command(
        name=loc("search", "cmd.minutes.search.name"),
        description=loc("Search all published minutes", "cmd.minutes.search.description"),
    )
    @app_commands.rename(words=loc("words", "opt.words.name"))
    @app_commands.describe(words=loc("What to look for", "opt.words.description"))
    async def search(self, interaction: discord.Interaction, words: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        lang = caller_lang(interaction)
        found = await self._archive.search(guild_id_of(interaction), words)
        if not found:
            await self._say(interaction, "minutes.search_empty", words=words[:100])
            return
        rows = [(p.minutes, await self._group_suffix(p.minutes), p.link) for p, _ in found]
        text = fit(self._text.search_results(words[:100], rows, lang))
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)

    @minutes.command(
        name=loc("export", "cmd.minutes.export.name"),
        description=loc("Published minutes as Markdown files", "cmd.minutes.export.description"),
    )
    @app_commands.rename(start=loc("from", "opt.start.name"), end=loc("to", "opt.end.name"))
    @app_commands.describe(
        start=loc("First day, YYYY-MM-DD", "opt.start.description"),
        end=loc("Last day, YYYY-MM-DD", "opt.end.description"),
    )
    async def export(self, interaction: discord.Interaction, start: str, end: str | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._archive.export(guild_id_of(interaction), start, end)
        uploads = [
            Upload(
                await self._archive.filename(p.minutes),
                (await self._archive.published_text(p.minutes)).encode(),
            )
            for p in found[:10]
        ]
        text = fit(self._text.say(caller_lang(interaction), "minutes.export_ready", count=len(uploads)))
        await send_in_batches(
            partial(interaction.followup.send, ephemeral=True, allowed_mentions=NONE), text, uploads
        )

    @minutes.command(
        name=loc("reviewers", "cmd.minutes.reviewers.name"),
        description=loc(
            "Require a second facilitator to approve minutes (facilitators)",
            "cmd.minutes.reviewers.description",
        ),
    )
    @app_commands.rename(state=loc("state", "opt.state.name"))
    @app_commands.describe(state=loc("On or off", "opt.state.description"))
    @app_commands.choices(state=STATE_CHOICES)
    @facilitator_only()
    async def reviewers(self, interaction: discord.Interaction, state: Choice[str]) -> None:
        required = state.value == "on"
        await self._service.set_two_reviewers(guild_id_of(interaction), required)
        await self._say(interaction, "minutes.two_reviewers_on" if required else "minutes.two_reviewers_off")

    async def _group_suffix(self, minutes: Minutes) -> str:
        name = await self._archive.group_name(minutes)
        return f" ({name})" if name else ""

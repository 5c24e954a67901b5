"""What the /wg commands read from an interaction, declared once: option names and choices, member
mentions, and who is acting."""

from __future__ import annotations

import re

import discord
from discord.app_commands import Choice, locale_str

from bot.adapters.checks import caller_is_facilitator
from bot.adapters.discord_text import loc
from bot.services.group_access import Actor

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


async def acting(interaction: discord.Interaction) -> Actor:
    """The member running the command or pressing the button, and whether they are a facilitator."""
    return Actor(interaction.user.id, await caller_is_facilitator(interaction))

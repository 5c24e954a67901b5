"""What the working-groups commands and buttons share: their options (names, choices, member mentions),
who is acting, and how they answer."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord.app_commands import Choice, locale_str

from bot.adapters.checks import caller_is_facilitator
from bot.adapters.discord_text import caller_lang, fit, loc, reply
from bot.services.group_access import Actor
from bot.services.group_text import GroupText

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


async def say(interaction: discord.Interaction, text: GroupText, key: str, **params: Any) -> None:
    """The answer to the caller, in their language, cut to fit one message."""
    await reply(interaction, fit(text.say(caller_lang(interaction), key, **params)))

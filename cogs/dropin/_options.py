"""The /dropin options, declared once: their English names and descriptions, and their catalog keys.

`names(...)` and `descriptions(...)` feed `app_commands.rename` and `app_commands.describe`, so a
command lists only which options it takes; French comes from the catalog at sync.
"""

from __future__ import annotations

from discord.app_commands import locale_str

from bot.adapters.discord_text import loc
from bot.domain.reminders import SYNTAX
from bot.i18n import Lang

# parameter: (English name, English description, catalog table under `opt.`)
OPTIONS: dict[str, tuple[str, str, str]] = {
    "link": ("link", "Zoom join link (https://…)", "join_url"),
    "weekday": ("weekday", "Day of the week", "weekday"),
    "time": ("time", "Local time, HH:MM (24-hour, e.g. 13:30)", "time"),
    "timezone": ("timezone", "Time zone name, e.g. America/Toronto", "timezone"),
    "duration": ("duration", "Length in minutes (default 90)", "duration"),
    "meeting_id": ("meeting-id", "Zoom meeting ID to display (optional)", "meeting_id"),
    "passcode": ("passcode", "Zoom passcode to display (optional)", "passcode"),
    "channel": ("channel", "The channel to use", "channel"),
    "ping_role": (
        "ping-role",
        "Role to notify with each post (members opt in with /dropin notify)",
        "ping_role",
    ),
    "date": ("date", "The drop-in's date, YYYY-MM-DD (e.g. 2026-12-03)", "date"),
    "reason": ("reason", "Shown to members in the notice", "reason"),
    "text": ("text", "The note members will see", "text"),
    "state": ("state", "On or off", "state"),
    "topic": ("topic", "What you would like to talk about", "topic"),
    "number": ("number", "The topic's number, as shown by /dropin topics", "topic_id"),
    "times": ("times", "Times before the start, separated by commas, e.g. {syntax}", "reminder_times"),
    "rotate": ("rotate", "Make new links; the old ones stop working", "rotate"),
}
# Placeholders some descriptions carry, with a value per language.
PARAMS: dict[str, dict[str, dict[Lang, str]]] = {
    "reminder_times": {"syntax": {"en": SYNTAX.example.syntax("en"), "fr": SYNTAX.example.syntax("fr")}}
}


def names(*parameters: str) -> dict[str, locale_str]:
    return {p: loc(OPTIONS[p][0], f"opt.{OPTIONS[p][2]}.name") for p in parameters}


def descriptions(*parameters: str) -> dict[str, locale_str]:
    return {
        p: loc(OPTIONS[p][1], f"opt.{OPTIONS[p][2]}.description", **PARAMS.get(OPTIONS[p][2], {}))
        for p in parameters
    }

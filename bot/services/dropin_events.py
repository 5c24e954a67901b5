"""Which Discord events the drop-in keeps, and how each recorded event is brought in line with Discord.

The database records the event made for each occurrence, but Discord is where members see it: a
facilitator may delete it by hand, and Discord itself starts and ends EXTERNAL events at their times
(discord-api-docs developers/resources/guild-scheduled-event.mdx:425-431) and refuses to edit one that
is COMPLETED or CANCELED (:88). So each refresh compares the record with Discord's state.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.domain.dropin import Occurrence
from bot.services.ports import EventState


class EventAction(StrEnum):
    KEEP = "keep"
    CREATE = "create"  # none recorded, or the recorded one was cancelled by the bot
    RECREATE = "recreate"  # recorded, but gone from Discord or already finished there
    REPLACE = "replace"  # recorded and running, but the occurrence moved: end it, make a new one
    UPDATE = "update"


def events_wanted(current: list[Occurrence], now: datetime, ahead: int) -> list[Occurrence]:
    """The occurrences whose events are kept: the next `ahead` that are held, and the skipped weeks among
    them (their events are cancelled). A skipped week does not reduce the number of events kept ahead."""
    wanted: list[Occurrence] = []
    held = 0
    for occurrence in current:
        if occurrence.start <= now:
            continue
        if held >= ahead:
            break
        wanted.append(occurrence)
        held += not occurrence.skipped
    return wanted


def event_action(
    event_id: int | None,
    cancelled: bool,
    fingerprint_changed: bool,
    states: dict[int, EventState] | None,
) -> EventAction:
    """What to do for one held occurrence. `states` is None when Discord could not be asked: the record is
    then trusted, as before."""
    if event_id is None or cancelled:
        return EventAction.CREATE
    state = None if states is None else states.get(event_id)
    if states is not None and state in (None, EventState.FINISHED):
        return EventAction.RECREATE
    if not fingerprint_changed:
        return EventAction.KEEP
    return EventAction.REPLACE if state is EventState.ACTIVE else EventAction.UPDATE

"""/dropin reminders and schedule changes: new offsets take effect at once, and a changed plan is
never reported as "posted late" (that only ever means the bot was offline)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import UserError
from bot.services.dropin import parse_changes
from tests.bot.services.dropin_fakes import (
    BEFORE,
    GUILD,
    OTHER_GUILD,
    REMINDER_15,
    REMINDER_DAY,
    START,
    Harness,
)

LATE_MARK = "Posted late"


def is_late(call: object) -> bool:
    return any(LATE_MARK in e.description for e in call.announcement.embeds)  # type: ignore[attr-defined]


async def test_new_offsets_are_saved_longest_first(dropin: Harness) -> None:
    await dropin.configure()

    offsets, _ = await dropin.service.set_reminders(GUILD, "10m, 2j")

    assert offsets.minutes == (2880, 10)
    assert (await dropin.service.require_schedule(GUILD)).reminder_minutes == (2880, 10)


async def test_a_new_offset_wakes_the_guild_at_its_time_without_a_restart(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(START - timedelta(hours=2))  # the 24 h reminder was due long ago
    assert dropin.timers.last.when == REMINDER_15

    await dropin.service.set_reminders(GUILD, "24h, 1h, 15m")

    assert dropin.timers.last.when == START - timedelta(hours=1)


async def test_a_new_offset_posts_on_time_when_its_moment_comes(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.refresh_at(BEFORE)
    await dropin.service.set_reminders(GUILD, "24h, 1h, 15m")

    (call,) = await dropin.refresh_at(START - timedelta(hours=1))

    assert not is_late(call)
    assert [r.slug for r in await dropin.post_records()] == ["reminder-60"]


async def test_an_offset_added_after_its_moment_posts_nothing(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(START - timedelta(minutes=30))

    await dropin.service.set_reminders(GUILD, "24h, 1h, 15m")  # the 24 h and 1 h moments have passed

    assert dropin.announcer.calls == []
    assert await dropin.post_records() == []


async def test_after_an_added_offset_the_next_one_still_posts_on_time(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(START - timedelta(minutes=30))
    await dropin.service.set_reminders(GUILD, "1h, 15m")

    (call,) = await dropin.refresh_at(REMINDER_15)

    assert not is_late(call)


async def test_moving_the_time_earlier_past_a_reminder_does_not_post_it_late(dropin: Harness) -> None:
    await dropin.configure()
    dropin.clock.set(START - timedelta(hours=2, minutes=10))  # 9:50 local: 12:00 becomes 10:00

    await dropin.service.setup(GUILD, parse_changes(local_time="10:00"))

    assert dropin.announcer.calls == []


async def test_downtime_is_still_caught_up_and_marked_late(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.set_reminders(GUILD, "24h, 15m")  # the plan changes on Monday

    (call,) = await dropin.refresh_at(REMINDER_15 + timedelta(minutes=3))  # offline since Monday

    assert is_late(call)


async def test_unskipping_after_a_reminder_moment_does_not_post_it_late(dropin: Harness) -> None:
    await dropin.configure()
    await dropin.service.skip(GUILD, "2026-12-03", "holiday")
    await dropin.refresh_at(REMINDER_DAY)  # the skip notice
    dropin.clock.set(REMINDER_15 + timedelta(minutes=2))

    await dropin.service.unskip(GUILD, "2026-12-03")

    assert [r.slug for r in await dropin.post_records()] == ["skipped"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("soon", "dropin.reminders.error.syntax"),
        ("5h, 4h, 3h, 2h, 1h", "dropin.reminders.error.too_many"),
        ("2m", "dropin.reminders.error.out_of_range"),
        ("8d", "dropin.reminders.error.out_of_range"),
    ],
)
async def test_bad_offsets_are_refused_and_nothing_changes(dropin: Harness, text: str, key: str) -> None:
    saved = await dropin.configure()

    with pytest.raises(UserError) as caught:
        await dropin.service.set_reminders(GUILD, text)

    assert caught.value.key == key
    assert await dropin.service.require_schedule(GUILD) == saved


async def test_reminders_need_a_schedule(dropin: Harness) -> None:
    with pytest.raises(UserError) as caught:
        await dropin.service.set_reminders(OTHER_GUILD, "1h")

    assert caught.value.key == "dropin.no_schedule"

"""The weekly drop-in seen from Discord: reminders that arrive once, events at the right UTC times,
exceptions, and clear refusals. The bot's clock is shifted to just before a fire time (like --start-at)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from bot.clock import ShiftedClock
from bot.i18n import default_catalog
from db.models import DropinPostRow
from sandbox import Sandbox, SandboxClient
from tests.e2e.conftest import Live, running_bot
from tests.e2e.question_steps import catalog_fragment

CATALOG = default_catalog()
JOIN_URL = "https://zoom.us/j/85012345678"
DEC_3_NOON = datetime.fromisoformat("2026-12-03T17:00:00+00:00")  # 12:00 EST
REMINDER_15 = DEC_3_NOON - timedelta(minutes=15)
QUIET = 2.5  # seconds to keep watching for a duplicate after the expected post


def _clock_before(moment: datetime, seconds: float = 2.0) -> ShiftedClock:
    return ShiftedClock(moment - timedelta(seconds=seconds))


async def _posts(client: SandboxClient) -> list[dict[str, Any]]:
    return [m for m in await client.channel_messages("drop-in") if m["author"].get("bot")]


async def _wait_posts(client: SandboxClient, count: int, within: float = 10.0) -> list[dict[str, Any]]:
    async def enough() -> list[dict[str, Any]]:
        found = await _posts(client)
        return found if len(found) >= count else []

    return await client.wait_for(enough, timeout=within)


async def _quiet_period(client: SandboxClient, expected: int) -> None:
    """Watch for a bounded time that no further post arrives."""
    with pytest.raises(TimeoutError):
        await _wait_posts(client, expected + 1, within=QUIET)


def _embed_text(message: dict[str, Any]) -> str:
    return "\n".join((e.get("title") or "") + "\n" + (e.get("description") or "") for e in message["embeds"])


def _reply_text(result: dict[str, Any]) -> str:
    data = (result.get("response") or {}).get("data") or {}
    texts = [data.get("content") or ""]
    texts += [(e.get("title") or "") + "\n" + (e.get("description") or "") for e in data.get("embeds") or []]
    for followup in result.get("followups") or []:
        texts.append(followup.get("content") or "")
    return "\n".join(texts)


async def test_the_15_minute_reminder_is_posted_once_in_both_languages(tmp_path: Path) -> None:
    async with running_bot(tmp_path, _clock_before(REMINDER_15)) as live:
        (post,) = await _wait_posts(live.client, 1)
        await _quiet_period(live.client, 1)
        assert await live.client.violations() == []
        notify_role = live.sandbox.seed.roles["Drop-in notify"]
    text = _embed_text(post)
    assert CATALOG.t("en", "dropin.post.reminder_title", date="Thursday, December 3, 2026") in text
    assert CATALOG.t("fr", "dropin.post.reminder_title", date="jeudi 3 décembre 2026") in text
    assert "<t:1796317200:F>" in text and "<t:1796317200:R>" in text
    assert "PT 10:00 · MT 11:00 · CT 12:00 · ET 12:00 · AT 13:00 · NT 13:30" in text
    assert "HP 10 h · HR 11 h · HC 12 h · HE 12 h · HA 13 h · HT 13 h 30" in text
    assert JOIN_URL in text
    assert post["content"] == f"<@&{notify_role}>"  # the seeded notify role, and nobody else


async def test_scheduled_events_mirror_the_next_four_occurrences(live_at_reminder: Live) -> None:
    guild = await live_at_reminder.client.guild()
    events = sorted(guild["scheduled_events"], key=lambda e: e["scheduled_start_time"])
    starts = [datetime.fromisoformat(e["scheduled_start_time"]) for e in events]
    assert starts == [DEC_3_NOON + timedelta(weeks=i) for i in range(4)]
    for event in events:
        assert event["entity_type"] == 3 and event["privacy_level"] == 2
        assert event["entity_metadata"]["location"] == JOIN_URL
        end = datetime.fromisoformat(event["scheduled_end_time"])
        assert end - datetime.fromisoformat(event["scheduled_start_time"]) == timedelta(minutes=90)


@pytest.mark.parametrize("restart_offset", [-1.0, 1.5], ids=["restart-just-before", "restart-just-after"])
async def test_a_restart_around_the_fire_time_posts_no_duplicate(
    tmp_path: Path, restart_offset: float
) -> None:
    sandbox = Sandbox(seed=True, clock=_clock_before(REMINDER_15, 2.0).now)
    await sandbox.start(port=0)
    try:
        async with running_bot(tmp_path, _clock_before(REMINDER_15, 2.0), sandbox) as live:
            if restart_offset > 0:
                await _wait_posts(live.client, 1)
        restart_at = REMINDER_15 + timedelta(seconds=restart_offset)
        async with running_bot(tmp_path, ShiftedClock(restart_at), sandbox, bootstrap=False) as live:
            await _wait_posts(live.client, 1)
            await _quiet_period(live.client, 1)
            assert await live.client.violations() == []
    finally:
        await sandbox.stop()


async def test_after_downtime_a_late_catch_up_post_is_marked_late(tmp_path: Path) -> None:
    # Down through the 24 h reminder; back 20 minutes before the meeting: one late reminder.
    async with running_bot(tmp_path, ShiftedClock(DEC_3_NOON - timedelta(minutes=40))) as live:
        (post,) = await _wait_posts(live.client, 1)
        await _quiet_period(live.client, 1)
    assert CATALOG.t("en", "dropin.post.late") in _embed_text(post)


async def test_no_catch_up_when_the_next_post_is_due_within_ten_minutes(tmp_path: Path) -> None:
    async with running_bot(tmp_path, ShiftedClock(REMINDER_15 - timedelta(minutes=5))) as live:
        await _quiet_period(live.client, 0)


# --- commands ------------------------------------------------------------------------------------
@pytest.fixture
async def live_at_reminder(tmp_path: Path) -> Any:
    async with running_bot(tmp_path, ShiftedClock(DEC_3_NOON - timedelta(days=2))) as live:
        yield live


async def test_next_answers_in_the_callers_language(live_at_reminder: Live) -> None:
    english = _reply_text(await live_at_reminder.client.command("alex", "dropin next"))
    french = _reply_text(await live_at_reminder.client.command("riley", "dropin next"))
    assert "<t:1796317200:F>" in english and JOIN_URL in english and "ET 12:00" in english
    assert "<t:1796317200:F>" in french and "HE 12 h ·" in french
    assert CATALOG.t("fr", "dropin.post.reminder_title", date="jeudi 3 décembre 2026") in french


async def test_skip_cancels_the_event_and_marks_the_calendar(live_at_reminder: Live) -> None:
    client = live_at_reminder.client
    result = await client.command("fiona", "dropin skip", {"date": "2026-12-10", "reason": "Holiday"})
    assert "December 10, 2026" in _reply_text(result)
    guild = await client.guild()
    statuses = {e["scheduled_start_time"][:10]: e["status"] for e in guild["scheduled_events"]}
    assert statuses["2026-12-10"] == 4 and statuses["2026-12-03"] == 1
    calendar = _reply_text(await client.command("sam", "dropin calendar"))
    assert "~~Thursday, December 10, 2026~~" in calendar and "Holiday" in calendar
    assert await client.violations() == []


async def test_move_changes_the_events_start(live_at_reminder: Live) -> None:
    client = live_at_reminder.client
    await client.command("farah", "dropin move", {"date": "2026-12-17", "time": "13:30"})
    guild = await client.guild()
    starts = {e["scheduled_start_time"][:10]: e["scheduled_start_time"] for e in guild["scheduled_events"]}
    assert datetime.fromisoformat(starts["2026-12-17"]) == datetime.fromisoformat("2026-12-17T18:30:00+00:00")


async def test_suggested_topics_are_listed_without_an_author(live_at_reminder: Live) -> None:
    client = live_at_reminder.client
    await client.command("alex", "dropin suggest", {"topic": "Naloxone kits @everyone"})
    listing = _reply_text(await client.command("fiona", "dropin topics"))
    assert "Naloxone kits @everyone" in listing and "alex" not in listing.lower()


@pytest.mark.parametrize(
    ("user", "command", "options", "key"),
    [
        ("fiona", "dropin skip", {"date": "2026-12-09"}, "dropin.error.not_an_occurrence"),
        ("fiona", "dropin skip", {"date": "2026-11-26"}, "dropin.error.past_date"),
        ("fiona", "dropin skip", {"date": "next week"}, "dropin.error.bad_date"),
        ("fiona", "dropin move", {"date": "2026-12-10", "time": "25:00"}, "dropin.error.bad_time"),
        ("fiona", "dropin setup", {"timezone": "Mars/Olympus"}, "dropin.error.bad_zone"),
        ("fiona", "dropin setup", {"link": "http://zoom.us/j/1"}, "dropin.error.bad_link"),
        ("alex", "dropin skip", {"date": "2026-12-10"}, "error.not_facilitator"),
    ],
)
async def test_bad_input_gets_a_localized_explanation(
    live_at_reminder: Live, user: str, command: str, options: dict[str, str], key: str
) -> None:
    english = _reply_text(await live_at_reminder.client.command(user, command, options))
    french = _reply_text(await live_at_reminder.client.command(user, command, options, locale="fr"))
    assert catalog_fragment("en", key) in english, english
    assert catalog_fragment("fr", key) in french, french


async def test_the_seeded_server_has_drop_in_notifications(live_at_reminder: Live) -> None:
    client = live_at_reminder.client
    notify_role = str(live_at_reminder.sandbox.seed.roles["Drop-in notify"])

    await client.command("sam", "dropin notify", {"state": "on"})

    guild = await client.guild()
    sam = next(m for m in guild["members"] if m["user"]["username"] == "sam")
    assert notify_role in sam["roles"]
    assert await client.violations() == []


async def test_notify_adds_and_removes_the_ping_role(live_at_reminder: Live) -> None:
    client = live_at_reminder.client
    seed = live_at_reminder.sandbox.seed
    await client.command("fiona", "dropin setup", {"ping-role": "Member"})
    await client.command("riley", "dropin notify", {"state": "on"})

    async def riley_roles() -> set[str]:
        guild = await client.guild()
        member = next(m for m in guild["members"] if m["user"]["username"] == "riley")
        return {str(r) for r in member["roles"]}

    assert str(seed.roles["Member"]) in await riley_roles()
    await client.command("riley", "dropin notify", {"state": "off"})
    assert str(seed.roles["Member"]) not in await riley_roles()
    assert await client.violations() == []


async def test_a_dst_change_keeps_noon_eastern(tmp_path: Path) -> None:
    async with running_bot(
        tmp_path, ShiftedClock(datetime.fromisoformat("2027-03-05T12:00:00+00:00"))
    ) as live:
        guild = await live.client.guild()
    starts = sorted(e["scheduled_start_time"] for e in guild["scheduled_events"])
    assert [datetime.fromisoformat(s).hour for s in starts] == [17, 16, 16, 16]  # 11 Mar EST; 18 Mar on EDT


# --- a post never lost to a restart, never doubled (issue 14) -----------------------------------


class _Clocks:
    """One Discord-time the test moves for the sandbox, as a second bot process comes up later."""

    def __init__(self, clock: ShiftedClock) -> None:
        self.current = clock

    def now(self) -> datetime:
        return self.current.now()


async def test_a_start_post_that_failed_is_posted_late_when_the_bot_is_back_30_minutes_later(
    tmp_path: Path,
) -> None:
    clocks = _Clocks(_clock_before(DEC_3_NOON, 1.0))
    sandbox = Sandbox(seed=True, clock=clocks.now)
    await sandbox.start(port=0)
    dropin = sandbox.hub.world.find_channel("drop-in").id
    try:
        async with SandboxClient(sandbox.http_base) as client:  # before the bot starts, so it cannot be late
            await client.fault(method="POST", path=rf"/channels/{dropin}/messages$", status=503, count=1)
        async with running_bot(tmp_path, _clock_before(DEC_3_NOON, 1.0), sandbox) as live:

            async def failed() -> bool:
                return all(f.remaining == 0 for f in sandbox.hub.faults)

            await live.client.wait_for(failed, timeout=10)
        clocks.current = ShiftedClock(DEC_3_NOON + timedelta(minutes=30))
        async with running_bot(tmp_path, clocks.current, sandbox, bootstrap=False) as live:
            (post,) = await _wait_posts(live.client, 1)
            await _quiet_period(live.client, 1)
            assert await live.client.violations() == []
    finally:
        await sandbox.stop()
    assert CATALOG.t("en", "dropin.post.start_title") in _embed_text(post)
    assert CATALOG.t("en", "dropin.post.late") in _embed_text(post)


async def test_a_post_sent_before_a_crash_is_not_sent_again_long_after(tmp_path: Path) -> None:
    """The process died between Discord's answer and the confirmation: past the nonce window, the marker
    in the channel, not the nonce, keeps the post single."""
    clocks = _Clocks(_clock_before(DEC_3_NOON, 1.0))
    sandbox = Sandbox(seed=True, clock=clocks.now)
    await sandbox.start(port=0)
    try:
        async with running_bot(tmp_path, _clock_before(DEC_3_NOON, 1.0), sandbox) as live:
            await _wait_posts(live.client, 1)
            async with live.app.engine.begin() as connection:  # as if the confirmation never happened
                await connection.execute(update(DropinPostRow).values(message_id=None, posted_at=None))
        clocks.current = ShiftedClock(DEC_3_NOON + timedelta(minutes=20))
        async with running_bot(tmp_path, clocks.current, sandbox, bootstrap=False) as live:
            await _quiet_period(live.client, 1)
            assert await live.client.violations() == []
    finally:
        await sandbox.stop()


# --- events reconciled with Discord (issue 14) ---------------------------------------------------


def _scheduled(guild: dict[str, Any]) -> list[str]:
    return sorted(e["scheduled_start_time"][:10] for e in guild["scheduled_events"] if e["status"] == 1)


async def test_a_skipped_week_keeps_four_events_ahead(live_at_reminder: Live) -> None:
    client = live_at_reminder.client
    await client.command("fiona", "dropin skip", {"date": "2026-12-10", "reason": "Holiday"})
    assert _scheduled(await client.guild()) == ["2026-12-03", "2026-12-17", "2026-12-24", "2026-12-31"]
    assert await client.violations() == []


async def test_an_event_deleted_by_hand_comes_back_at_the_next_start(tmp_path: Path) -> None:
    clock = ShiftedClock(DEC_3_NOON - timedelta(days=2))
    sandbox = Sandbox(seed=True, clock=clock.now)
    await sandbox.start(port=0)
    try:
        async with running_bot(tmp_path, clock, sandbox) as live:
            events = sandbox.hub.world.guild.scheduled_events
            first = next(e for e in events.values() if e["scheduled_start_time"].startswith("2026-12-03"))
            del events[int(first["id"])]  # a facilitator deletes it in Discord's app
            sandbox.hub.gateway.dispatch("GUILD_SCHEDULED_EVENT_DELETE", first)
        async with running_bot(tmp_path, clock, sandbox, bootstrap=False) as live:

            async def back() -> bool:
                return "2026-12-03" in _scheduled(await live.client.guild())

            await live.client.wait_for(back, timeout=10)
            assert await live.client.violations() == []
    finally:
        await sandbox.stop()


async def test_moving_a_drop_in_whose_event_already_finished_makes_a_new_event(tmp_path: Path) -> None:
    # Moved to 10:00 (15:00 UTC, over at 16:30); at 16:45 UTC, its regular noon still ahead, moved to 14:00.
    clocks = _Clocks(ShiftedClock(DEC_3_NOON - timedelta(days=2)))
    sandbox = Sandbox(seed=True, clock=clocks.now)
    await sandbox.start(port=0)
    try:
        async with running_bot(tmp_path, clocks.current, sandbox) as live:
            await live.client.command("fiona", "dropin move", {"date": "2026-12-03", "time": "10:00"})
        clocks.current = ShiftedClock(DEC_3_NOON - timedelta(minutes=15))
        async with running_bot(tmp_path, clocks.current, sandbox, bootstrap=False) as live:
            await live.client.command("fiona", "dropin move", {"date": "2026-12-03", "time": "14:00"})
            events = (await live.client.guild())["scheduled_events"]
            today = {
                e["scheduled_start_time"]: e["status"]
                for e in events
                if e["scheduled_start_time"][:10] == "2026-12-03"
            }
            assert today[datetime.fromisoformat("2026-12-03T19:00:00+00:00").isoformat()] == 1
            assert await live.client.violations() == []
    finally:
        await sandbox.stop()


async def test_a_move_whose_event_discord_refused_says_so(live_at_reminder: Live) -> None:
    client = live_at_reminder.client
    await client.fault(method="PATCH", path=r"/scheduled-events/\d+$", status=503, count=1)
    result = await client.command("farah", "dropin move", {"date": "2026-12-17", "time": "13:30"})
    assert CATALOG.t("fr", "dropin_event.not_moved") in _reply_text(result)

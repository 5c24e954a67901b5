"""POST /zoom/webhook on the running server: good events have exactly one effect, bad ones none."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repositories.zoom import ZoomRepository
from tests.bot.services.dropin_fakes import CHANNEL, END, GUILD, KEY, LINK, START
from tests.bot.web.harness import AT_START, SECRET, WebHarness, event_body, person, serving, zoom_signature


async def records(web: WebHarness) -> int:
    async with web.sessions() as session:
        return int((await session.execute(text("SELECT count(*) FROM zoom_webhooks"))).scalar_one())


async def attendance(web: WebHarness):  # type: ignore[no-untyped-def]
    async with web.sessions() as session:
        return await ZoomRepository(session).attendance(GUILD, KEY)


# --- the URL validation challenge ----------------------------------------------------------------


async def test_url_validation_answer_follows_zooms_algorithm(web: WebHarness) -> None:
    body = {
        "event": "endpoint.url_validation",
        "event_ts": 1654503849680,
        "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"},
    }

    status, answer = await web.post_event(body)

    expected = hmac.new(SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
    assert status == 200
    assert answer == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}


# --- meeting.started ----------------------------------------------------------------------------


async def test_started_posts_the_live_message_with_the_join_link(web: WebHarness) -> None:
    status, _ = await web.post_event(event_body("meeting.started", AT_START))

    assert status == 200
    (post,) = web.live_posts()
    assert post.channel_id == CHANNEL
    english, french = post.announcement.embeds
    assert english.title == "The drop-in is open now"
    assert LINK in english.description
    assert french.title == "La rencontre hebdomadaire est ouverte"


async def test_a_retried_started_event_posts_nothing_more(web: WebHarness) -> None:
    body = event_body("meeting.started", AT_START)

    first, _ = await web.post_event(body)
    web.clock.advance(timedelta(minutes=5))  # Zoom's first retry
    second, _ = await web.post_event(body)

    assert (first, second) == (200, 200)
    assert len(web.live_posts()) == 1
    assert await records(web) == 1


async def test_a_second_start_of_the_same_occurrence_posts_once(web: WebHarness) -> None:
    await web.post_event(event_body("meeting.started", AT_START))
    await web.post_event(
        event_body("meeting.started", AT_START + timedelta(minutes=3), uuid="otherinstance==")
    )

    assert len(web.live_posts()) == 1


async def test_another_meeting_on_the_account_is_ignored(web: WebHarness) -> None:
    status, _ = await web.post_event(event_body("meeting.started", AT_START, meeting_id="99999999999"))

    assert status == 200
    assert web.live_posts() == []
    assert await records(web) == 0


async def test_a_meeting_outside_any_drop_in_window_posts_nothing(web: WebHarness) -> None:
    monday = START - timedelta(days=3)
    web.clock.set(monday)

    await web.post_event(event_body("meeting.started", monday))

    assert web.live_posts() == []


# --- refused requests: the right status and no effect ------------------------------------------


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"x-zm-signature": "v0=" + "0" * 64}, "forged"),
        ({"x-zm-signature": None}, "no signature"),
        ({"x-zm-request-timestamp": None}, "no timestamp"),
        ({"x-zm-request-timestamp": "not-a-number"}, "bad timestamp"),
    ],
)
async def test_unsigned_or_forged_events_are_refused_with_401(
    web: WebHarness, headers: dict, reason: str
) -> None:
    status, _ = await web.post_event(event_body("meeting.started", AT_START), headers=headers)

    assert status == 401, reason
    assert web.live_posts() == []
    assert await records(web) == 0


async def test_an_event_signed_with_another_secret_is_refused(web: WebHarness) -> None:
    status, _ = await web.post_event(event_body("meeting.started", AT_START), secret="not-the-secret")

    assert status == 401
    assert web.live_posts() == []


async def test_a_stale_timestamp_is_refused_even_when_correctly_signed(web: WebHarness) -> None:
    status, _ = await web.post_event(
        event_body("meeting.started", AT_START), ts=web.clock.now() - timedelta(minutes=6)
    )

    assert status == 401
    assert web.live_posts() == []


async def test_a_replayed_request_with_its_old_signature_is_refused(web: WebHarness) -> None:
    sent_at = web.clock.now()
    body = event_body("meeting.started", AT_START)
    web.clock.advance(timedelta(minutes=10))

    status, _ = await web.post_event(body, ts=sent_at)

    assert status == 401
    assert web.live_posts() == []


async def test_a_body_signed_for_other_content_is_refused(web: WebHarness) -> None:
    raw = json.dumps(event_body("meeting.started", AT_START)).encode()
    stamp = str(int(web.clock.now().timestamp()))
    signature = zoom_signature(SECRET, stamp, raw + b" ")
    status, _ = await web.post_event(
        raw, headers={"x-zm-request-timestamp": stamp, "x-zm-signature": signature}
    )

    assert status == 401


async def test_malformed_json_is_refused_with_400(web: WebHarness) -> None:
    status, _ = await web.post_event(b'{"event": "meeting.started", ')

    assert status == 400
    assert await records(web) == 0


async def test_an_event_without_its_meeting_is_refused_with_400(web: WebHarness) -> None:
    status, _ = await web.post_event({"event": "meeting.started", "event_ts": 1, "payload": {}})

    assert status == 400


async def test_an_oversized_body_is_refused_with_413(web: WebHarness) -> None:
    body = event_body("meeting.started", AT_START)
    body["payload"]["padding"] = "x" * 70_000

    status, _ = await web.post_event(body)

    assert status == 413
    assert web.live_posts() == []


async def test_get_on_the_webhook_is_405(web: WebHarness) -> None:
    assert web.client is not None
    response = await web.client.get("/zoom/webhook")

    assert response.status == 405


# --- meeting.ended ------------------------------------------------------------------------------


async def test_ended_marks_the_occurrence_held_and_prompts_the_note_taker_once(web: WebHarness) -> None:
    await web.post_event(event_body("meeting.started", AT_START))
    await join(web, "Ana", 1)
    await join(web, "Ben", 2)
    web.clock.set(END)
    await web.post_event(event_body("meeting.ended", END))
    await web.post_event(
        event_body("meeting.ended", END + timedelta(minutes=2))
    )  # ended again after a rejoin

    held = await attendance(web)
    assert held is not None and held.ended_at == END + timedelta(minutes=2)  # the last end counts
    (prompt,) = web.prompts()
    assert "/minutes start" in prompt.announcement.embeds[0].description
    assert "2 people in all" in prompt.announcement.embeds[0].description


async def test_the_timer_reminder_and_the_ended_prompt_do_not_both_go(web: WebHarness) -> None:
    await web.post_event(event_body("meeting.started", AT_START))
    await join(web, "Ana", 1)
    await join(web, "Ben", 2)
    web.clock.set(END)
    await web.post_event(event_body("meeting.ended", END))
    await web.dropin.service.refresh(GUILD)  # the minuted hour is over: the timer would remind now

    assert len(web.prompts()) == 1


# --- attendance: counted, never named -------------------------------------------------------------


async def join(web: WebHarness, name: str, minute: int, *, n: int = 1) -> None:
    await web.post_event(
        event_body(
            "meeting.participant_joined",
            AT_START + timedelta(minutes=minute),
            participant=person(name, join=n),
        )
    )


async def leave(web: WebHarness, name: str, minute: int, *, n: int = 1) -> None:
    await web.post_event(
        event_body(
            "meeting.participant_left", AT_START + timedelta(minutes=minute), participant=person(name, join=n)
        )
    )


async def test_counts_follow_joins_leaves_and_rejoins(web: WebHarness) -> None:
    await join(web, "Ana", 1)
    await join(web, "Ben", 2)
    await join(web, "Cyd", 3)  # three at once: the peak
    await leave(web, "Ana", 4)
    await join(web, "Ana", 5, n=2)  # Ana rejoins: still one person
    await leave(web, "Ben", 6)
    await leave(web, "Ana", 7, n=2)
    await join(web, "Ana", 8, n=3)
    await join(web, "Dee", 9)  # Ana, Cyd, Dee: three again, not four

    counted = await attendance(web)
    assert counted is not None
    assert (counted.total, counted.peak) == (4, 3)


async def test_a_retried_join_is_not_counted_twice(web: WebHarness) -> None:
    await join(web, "Ana", 1)
    await join(web, "Ana", 1)

    counted = await attendance(web)
    assert counted is not None and (counted.total, counted.peak) == (1, 1)


async def test_a_leave_before_its_join_never_makes_counts_negative(web: WebHarness) -> None:
    await leave(web, "Ana", 2)  # delivered first, out of order
    await join(web, "Ana", 1)
    await join(web, "Ben", 3)

    counted = await attendance(web)
    assert counted is not None
    assert (counted.total, counted.peak) == (2, 1)


async def test_participant_events_after_the_end_change_nothing(web: WebHarness) -> None:
    await join(web, "Ana", 1)
    web.clock.set(END)
    await web.post_event(event_body("meeting.ended", END))
    await join(web, "Ben", 95)

    counted = await attendance(web)
    assert counted is not None and counted.total == 1


async def test_names_emails_and_ids_are_never_stored_or_logged(
    web: WebHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await join(web, "Ana", 1)
    await leave(web, "Ana", 2)

    async with web.sessions() as session:
        dump = []
        for table in ("zoom_webhooks", "zoom_presence", "zoom_meeting_keys", "zoom_attendance"):
            rows = (await session.execute(text(f"SELECT * FROM {table}"))).all()
            dump.append(repr(rows))
    stored = "\n".join(dump)
    for secret in ("Ana", "ana@example.org", "uuid-Ana", "16001"):
        assert secret not in stored
        assert secret not in caplog.text


async def test_the_meeting_key_and_presence_are_discarded_when_it_ends(web: WebHarness) -> None:
    await join(web, "Ana", 1)
    web.clock.set(END)
    await web.post_event(event_body("meeting.ended", END))

    async with web.sessions() as session:
        keys = (await session.execute(text("SELECT hash_key FROM zoom_meeting_keys"))).scalars().all()
        presence = (await session.execute(text("SELECT count(*) FROM zoom_presence"))).scalar_one()
        hashes = (await session.execute(text("SELECT participant FROM zoom_webhooks"))).scalars().all()
    assert keys == [None]
    assert presence == 0
    assert set(hashes) == {""}


# --- durability ---------------------------------------------------------------------------------


async def test_a_crash_right_after_the_acknowledgement_still_has_its_effect_after_restart(
    web: WebHarness,
) -> None:
    web.ready = False  # the process dies before it acts: the record is all that remains
    status, _ = await web.post_event(event_body("meeting.started", AT_START))
    assert status == 200
    assert web.live_posts() == []

    restarted = web.zoom_process()
    done = await restarted.process_pending()

    assert done == 1
    assert len(web.live_posts()) == 1


async def test_processing_twice_has_one_effect(web: WebHarness) -> None:
    web.ready = False
    await web.post_event(event_body("meeting.started", AT_START))

    await web.zoom.process_pending()
    await web.zoom_process().process_pending()

    assert len(web.live_posts()) == 1


async def test_a_failed_post_is_logged_and_the_record_is_done(web: WebHarness) -> None:
    web.announcer.fail_next = 1

    status, _ = await web.post_event(event_body("meeting.started", AT_START))

    assert status == 200
    assert web.live_posts() == []
    assert await web.zoom.process_pending() == 0


async def test_webhook_route_is_404_when_zoom_is_not_configured(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    harness = WebHarness(sessions)
    harness.deps.zoom = None
    async with serving(harness) as client:
        response = await client.post("/zoom/webhook", data=b"{}")

    assert response.status == 404


async def test_the_counts_are_offered_to_the_minutes_in_the_guilds_languages(web: WebHarness) -> None:
    await join(web, "Ana", 1)
    await join(web, "Ben", 2)

    text = await web.zoom.counts_text(GUILD, KEY, "both")

    assert text == (
        "Attendance: 2 people in all, at most 2 at once. / "
        "Présences\u00a0: 2 personnes en tout, au plus 2 en même temps."
    )
    assert await web.zoom.counts_text(GUILD, KEY + timedelta(days=7), "en") == ""


async def test_a_meeting_started_in_a_skipped_week_posts_nothing(web: WebHarness) -> None:
    await web.dropin.service.skip(GUILD, KEY.isoformat(), "Holiday")

    await web.post_event(event_body("meeting.started", AT_START))

    assert not [p for p in web.live_posts() if p.announcement.embeds[0].title == "The drop-in is open now"]


async def test_a_start_delivered_after_its_end_posts_nothing(web: WebHarness) -> None:
    web.clock.set(END)
    await web.post_event(event_body("meeting.ended", END))
    await web.post_event(event_body("meeting.started", AT_START))  # Zoom's retry, arriving late

    assert web.live_posts() == []


async def test_the_occurrence_is_held_at_the_events_time_even_when_processed_later(web: WebHarness) -> None:
    web.ready = False
    web.clock.set(END)
    await web.post_event(event_body("meeting.ended", END))
    web.clock.advance(timedelta(minutes=30))  # the bot comes back half an hour later

    await web.zoom_process().process_pending()

    held = await attendance(web)
    assert held is not None and held.ended_at == END


async def test_a_host_testing_the_room_alone_prompts_nobody(web: WebHarness) -> None:
    early = START - timedelta(minutes=20)
    web.clock.set(early)
    host = event_body("meeting.participant_joined", early, uuid="hosttest==", participant=person("Host"))
    await web.post_event(event_body("meeting.started", early, uuid="hosttest=="))
    await web.post_event(host)
    await web.post_event(event_body("meeting.ended", early + timedelta(minutes=2), uuid="hosttest=="))

    assert web.prompts() == []

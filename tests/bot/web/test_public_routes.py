"""Calendar feed, public page, health and metrics on the running server: tokens, bad input, exposure."""

from __future__ import annotations

import logging
from datetime import date

import aiohttp
import pytest
from icalendar import Calendar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.minutes import Minutes
from bot.services.minutes_archive import Published
from bot.web.server import WebServer, WebSettings
from tests.bot.services.dropin_fakes import GUILD, LINK
from tests.bot.web.harness import AT_START, WebHarness, event_body, serving

NBSP = "\u00a0"


async def get(web: WebHarness, path: str, **headers: str):  # type: ignore[no-untyped-def]
    assert web.client is not None
    return await web.client.get(path, headers=headers)


# --- the calendar feed --------------------------------------------------------------------------


async def test_the_calendar_feed_parses_and_lists_the_next_twelve(web: WebHarness) -> None:
    token = await web.web.token(GUILD)

    response = await get(web, f"/calendar/{token}.ics")

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(await response.read())
    assert len(list(calendar.walk("VEVENT"))) == 12


async def test_an_unknown_token_is_404(web: WebHarness) -> None:
    await web.web.token(GUILD)

    assert (await get(web, "/calendar/" + "x" * 43 + ".ics")).status == 404
    assert (await get(web, "/g/" + "x" * 43 + "/")).status == 404
    assert (await get(web, "/calendar/short.ics")).status == 404


async def test_rotating_the_token_makes_the_old_urls_404(web: WebHarness) -> None:
    old = await web.web.token(GUILD)

    new = await web.web.token(GUILD, rotate=True)

    assert new != old
    assert (await get(web, f"/calendar/{old}.ics")).status == 404
    assert (await get(web, f"/g/{old}/")).status == 404
    assert (await get(web, f"/calendar/{new}.ics")).status == 200


async def test_the_token_is_stable_until_rotated_and_unguessable(web: WebHarness) -> None:
    first = await web.web.token(GUILD)

    assert await web.web.token(GUILD) == first
    assert len(first) >= 43  # 256 bits, URL-safe


@pytest.mark.parametrize("path", ["/calendar/{t}.ics", "/g/{t}/", "/healthz", "/metrics"])
async def test_wrong_methods_are_405(web: WebHarness, path: str) -> None:
    token = await web.web.token(GUILD)
    assert web.client is not None

    response = await web.client.post(path.format(t=token), data=b"")

    assert response.status == 405


async def test_unknown_paths_are_404(web: WebHarness) -> None:
    assert (await get(web, "/admin")).status == 404
    assert (await get(web, "/static/../server.py")).status == 404


# --- the public page ----------------------------------------------------------------------------


async def test_the_page_follows_accept_language(web: WebHarness) -> None:
    token = await web.web.token(GUILD)

    english = await (await get(web, f"/g/{token}/", **{"Accept-Language": "en-CA,en;q=0.9"})).text()
    french = await (await get(web, f"/g/{token}/", **{"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})).text()

    assert "NSS-CoP weekly drop-in" in english and 'lang="en-CA"' in english
    assert "Rencontre hebdomadaire de la CdP-NSS" in french and 'lang="fr-CA"' in french
    assert "12 h (heure de l'Est)" in french
    assert "12:00 p.m. ET" in english


async def test_the_language_switch_wins_over_the_browser(web: WebHarness) -> None:
    token = await web.web.token(GUILD)

    page = await (await get(web, f"/g/{token}/?lang=fr", **{"Accept-Language": "en"})).text()

    assert "Prochaines rencontres" in page
    assert 'href="?lang=en"' in page


async def test_the_page_shows_the_join_link_and_the_feed(web: WebHarness) -> None:
    token = await web.web.token(GUILD)

    page = await (await get(web, f"/g/{token}/")).text()

    assert f'href="{LINK}"' in page
    assert f"https://bot.example.org/calendar/{token}.ics" in page


async def test_pages_carry_security_headers_and_no_referrer(web: WebHarness) -> None:
    token = await web.web.token(GUILD)

    response = await get(web, f"/g/{token}/")

    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in await response.text()  # no inline script


def _published(day: date) -> Published:
    minutes = Minutes(
        id=1,
        guild_id=GUILD,
        meeting_key="dropin",
        meeting_date=day,
        status="published",
        author_id=1,
        sections={},
        published_sections={},
        review_message_id=None,
        published_channel_id=1,
        published_message_ids=(1,),
        version=1,
    )
    return Published(minutes, "https://discord.com/channels/1/1/1")


async def test_minutes_appear_only_when_facilitators_turn_them_on(web: WebHarness) -> None:
    markdown = "# Minutes\n\n**Decisions**: keep going <script>alert(1)</script> [x](javascript:alert(1))"
    web.minutes.items.append((_published(date(2026, 11, 26)), markdown))
    token = await web.web.token(GUILD)

    before = await (await get(web, f"/g/{token}/")).text()
    await web.web.set_web_minutes(GUILD, True)
    after = await (await get(web, f"/g/{token}/")).text()

    assert "keep going" not in before
    assert "<strong>Decisions</strong>" in after
    assert "<script>alert" not in after
    assert 'href="javascript' not in after


# --- rate limits --------------------------------------------------------------------------------


async def test_public_routes_are_rate_limited_with_retry_after(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    harness = WebHarness(sessions, WebSettings(public_per_minute=3))
    await harness.setup_guild()
    token = await harness.web.token(GUILD)
    async with serving(harness):
        statuses = [(await get(harness, f"/calendar/{token}.ics")).status for _ in range(4)]
        limited = await get(harness, f"/g/{token}/")

    assert statuses == [200, 200, 200, 429]
    assert limited.status == 429
    assert int(limited.headers["Retry-After"]) >= 1


# --- health and metrics -------------------------------------------------------------------------


async def test_healthz_is_200_when_healthy_and_503_with_the_reason_otherwise(web: WebHarness) -> None:
    healthy = await get(web, "/healthz")
    web.healthy = {"healthy": False, "reason": "not connected to Discord"}
    sick = await get(web, "/healthz")

    assert healthy.status == 200
    assert sick.status == 503
    assert (await sick.json())["reason"] == "not connected to Discord"


async def test_metrics_are_prometheus_text_and_count_webhooks(web: WebHarness) -> None:
    await web.post_event(event_body("meeting.started", AT_START))

    response = await get(web, "/metrics")

    body = await response.text()
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    assert 'nsscop_events_handled_total{kind="webhook",outcome="recorded",source="zoom"} 1.0' in body
    assert "nsscop_command_latency_seconds_bucket" in body or "nsscop_command_latency_seconds" in body


@pytest.mark.parametrize("path", ["/healthz", "/metrics"])
async def test_ops_routes_refuse_other_addresses_without_the_token(
    sessions: async_sessionmaker[AsyncSession], path: str
) -> None:
    harness = WebHarness(sessions, WebSettings(ops_networks=("10.0.0.0/8",), ops_token="ops-token-123"))
    async with serving(harness):
        refused = await get(harness, path)
        wrong = await get(harness, path, Authorization="Bearer nope")
        allowed = await get(harness, path, Authorization="Bearer ops-token-123")

    assert (refused.status, wrong.status, allowed.status) == (403, 403, 200)


async def test_ops_routes_answer_loopback_by_default(web: WebHarness) -> None:
    assert (await get(web, "/metrics")).status == 200


async def test_proxied_requests_need_the_token_even_from_loopback(web: WebHarness) -> None:
    response = await get(web, "/metrics", **{"X-Forwarded-For": "203.0.113.9"})

    assert response.status == 403


async def test_the_webhook_has_its_own_limit(sessions: async_sessionmaker[AsyncSession]) -> None:
    harness = WebHarness(sessions, WebSettings(public_per_minute=1, webhook_per_minute=50))
    await harness.setup_guild()
    token = await harness.web.token(GUILD)
    async with serving(harness):
        assert (await get(harness, f"/calendar/{token}.ics")).status == 200
        statuses = [(await harness.post_event(event_body("meeting.started", AT_START)))[0] for _ in range(3)]

    assert statuses == [200, 200, 200]


async def test_the_real_server_logs_no_token_in_urls(
    sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    harness = WebHarness(sessions, WebSettings(port=0))
    await harness.setup_guild()
    token = await harness.web.token(GUILD)
    server = WebServer(harness.deps)
    await server.start()
    try:
        async with aiohttp.ClientSession() as session:
            for path in (
                f"/g/{token}/",
                f"/calendar/{token}.ics",
                f"/g/{token[:-1]}x/",
                "/calendar/nope.ics",
            ):
                async with session.get(f"{server.base_url}{path}") as response:
                    await response.read()
    finally:
        await server.stop()

    served = "\n".join(
        record.getMessage() for record in caplog.records if record.name.startswith(("aiohttp", "bot"))
    )
    assert "web server listening" in served  # the server's own logs were captured
    assert token[:-1] not in served

"""The public page in a real browser: Debian's headless chromium, driven by Playwright's bundled driver
(never `playwright install`). A reader in America/Vancouver sees the noon-Toronto drop-in at 9:00,
in English and in French, and the page loads nothing from any other host.

Skips when chromium is absent, unless NSSCOP_TEST_REQUIRE_BROWSER=1 (CI), where it fails instead."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bot.services.dropin_fakes import GUILD, LINK
from tests.bot.web.harness import WebHarness, serving

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("NSSCOP_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ENV = "NSSCOP_TEST_REQUIRE_BROWSER"
SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)  # the next drop-in: Thursday 2 July, 12:00 EDT = 16:00 UTC


def _chromium() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
    if path is None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but chromium is not installed at {CHROMIUM}")
        pytest.skip(f"chromium not installed at {CHROMIUM}")
    return path


@pytest.fixture
async def browser() -> AsyncIterator[object]:
    executable = _chromium()
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail("the playwright package is missing")
        pytest.skip("the playwright package is missing")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--no-sandbox", "--disable-gpu"],
            env={**os.environ, "TZ": "America/Vancouver"},
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page_url(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[tuple[str, str]]:
    harness = WebHarness(sessions)
    await harness.setup_guild()
    # A summer week: Vancouver is UTC-7 under every tz release (British Columbia's 2026 move to
    # permanent UTC-7 changed winters only), so the expected time does not depend on the browser's data.
    harness.clock.set(SUMMER)
    token = await harness.web.token(GUILD)
    async with serving(harness) as client:
        base = str(client.make_url("/")).rstrip("/")
        yield base, f"{base}/g/{token}/"


async def open_page(browser, url: str, locale: str):  # type: ignore[no-untyped-def]
    context = await browser.new_context(timezone_id="America/Vancouver", locale=locale)
    page = await context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = await page.goto(url, wait_until="load")
    await page.wait_for_function(
        "document.querySelector('time.local').textContent.includes('(')", timeout=10_000
    )
    return context, page, response, requested


async def test_an_english_reader_in_vancouver_sees_nine_oclock(browser, page_url) -> None:  # type: ignore[no-untyped-def]
    base, url = page_url
    context, page, response, requested = await open_page(browser, url, "en-CA")
    try:
        first = await page.text_content("ul.dropins li:first-child time.local")
        eastern = await page.text_content("ul.dropins li:first-child .eastern")
        heading = await page.text_content("h1")
        join = await page.get_attribute("a.join", "href")
    finally:
        await context.close()

    assert response.status == 200
    assert heading == "NSS-CoP weekly drop-in"
    assert first == "Your time: Thursday, July 2, 2026, 9:00 a.m. (America/Vancouver)"
    assert eastern is not None and eastern.endswith("12:00 p.m. ET")
    assert join == LINK
    assert {urlsplit(u).netloc for u in requested} == {urlsplit(base).netloc}


async def test_a_french_reader_in_vancouver_sees_9_h(browser, page_url) -> None:  # type: ignore[no-untyped-def]
    base, url = page_url
    context, page, _, requested = await open_page(browser, url, "fr-CA")
    try:
        first = await page.text_content("ul.dropins li:first-child time.local")
        heading = await page.text_content("h1")
        lang = await page.get_attribute("html", "lang")
    finally:
        await context.close()

    assert lang == "fr-CA"
    assert heading == "Rencontre hebdomadaire de la CdP-NSS"
    assert first == "Chez vous\u00a0: jeudi 2 juillet 2026, 9 h (America/Vancouver)"
    assert {urlsplit(u).netloc for u in requested} == {urlsplit(base).netloc}


async def test_the_switch_changes_language_from_the_keyboard(browser, page_url) -> None:  # type: ignore[no-untyped-def]
    _, url = page_url
    context, page, _, _ = await open_page(browser, url, "en-CA")
    try:
        await page.keyboard.press("Tab")  # the skip link
        await page.keyboard.press("Tab")  # the language switch
        focused = await page.evaluate("document.activeElement.textContent")
        await page.keyboard.press("Enter")
        await page.wait_for_url("**?lang=fr")
        heading = await page.text_content("h1")
    finally:
        await context.close()

    assert focused == "Français"
    assert heading == "Rencontre hebdomadaire de la CdP-NSS"


async def test_the_page_fits_a_320_pixel_screen(browser, page_url) -> None:  # type: ignore[no-untyped-def]
    _, url = page_url
    context = await browser.new_context(
        timezone_id="America/Vancouver", viewport={"width": 320, "height": 640}
    )
    try:
        page = await context.new_page()
        await page.goto(url)
        overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    finally:
        await context.close()

    assert overflow <= 0

"""/dropin reminders through Discord, in English and in French: a new offset fires without a restart,
one whose moment has passed posts nothing, bad input is refused, and /dropin next shows the offsets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import ShiftedClock
from tests.e2e.conftest import running_bot
from tests.e2e.question_steps import catalog_fragment
from tests.e2e.test_dropin import (
    CATALOG,
    DEC_3_NOON,
    QUIET,
    _embed_text,
    _posts,
    _reply_text,
    _wait_posts,
)

TWO_DAYS_BEFORE = DEC_3_NOON - timedelta(days=2)
LOCALES = [pytest.param(None, "en", id="english"), pytest.param("fr", "fr", id="french")]
SAVED = {
    "en": "Reminders will go out 2 days, 1 day before",
    "fr": "Les rappels seront publiés 2\u00a0jours, 1\u00a0jour avant",
}


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
async def test_a_new_offset_fires_at_its_time_without_a_restart(
    tmp_path: Path, locale: str | None, lang: str
) -> None:
    async with running_bot(tmp_path, ShiftedClock(TWO_DAYS_BEFORE - timedelta(seconds=30))) as live:
        assert await _posts(live.client) == []  # the first post (24 h) is a day away

        result = await live.client.command("fiona", "dropin reminders", {"times": "2d, 24h"}, locale=locale)

        assert SAVED[lang] in _reply_text(result), _reply_text(result)
        (post,) = await _wait_posts(live.client, 1, within=60.0)
        assert CATALOG.t("en", "dropin.post.late") not in _embed_text(post)
        assert await live.client.violations() == []


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
async def test_an_offset_whose_moment_has_passed_posts_nothing(
    tmp_path: Path, locale: str | None, lang: str
) -> None:
    async with running_bot(tmp_path, ShiftedClock(TWO_DAYS_BEFORE + timedelta(minutes=1))) as live:
        result = await live.client.command("fiona", "dropin reminders", {"times": "2j, 24h"}, locale=locale)

        assert SAVED[lang] in _reply_text(result), _reply_text(result)
        with pytest.raises(TimeoutError):
            await _wait_posts(live.client, 1, within=QUIET)


BAD = [
    ("tomorrow", "dropin.reminders.error.syntax"),
    ("5h, 4h, 3h, 2h, 1h", "dropin.reminders.error.too_many"),
    ("2m", "dropin.reminders.error.out_of_range"),
]
UNCHANGED = {"en": "1 day, 15 minutes before", "fr": "1\u00a0jour, 15\u00a0minutes avant"}


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
async def test_bad_offsets_are_refused_in_the_callers_language_and_change_nothing(
    tmp_path: Path, locale: str | None, lang: str
) -> None:
    async with running_bot(tmp_path, ShiftedClock(TWO_DAYS_BEFORE)) as live:
        replies = [
            _reply_text(
                await live.client.command("fiona", "dropin reminders", {"times": times}, locale=locale)
            )
            for times, _ in BAD
        ]
        shown = _reply_text(await live.client.command("alex", "dropin next", locale=locale))

    for reply, (_, key) in zip(replies, BAD, strict=True):
        assert catalog_fragment(lang, key) in reply, reply
    assert UNCHANGED[lang] in shown, shown


async def test_next_shows_the_reminder_times_in_the_callers_language(tmp_path: Path) -> None:
    async with running_bot(tmp_path, ShiftedClock(TWO_DAYS_BEFORE)) as live:
        await live.client.command("fiona", "dropin reminders", {"times": "24h, 1h, 10m"})
        english = _reply_text(await live.client.command("alex", "dropin next"))
        french = _reply_text(await live.client.command("riley", "dropin next"))

    assert "1 day, 1 hour, 10 minutes before" in english
    assert "1\u00a0jour, 1\u00a0heure, 10\u00a0minutes avant" in french

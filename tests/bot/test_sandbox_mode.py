"""bot/sandbox_mode.py and its CLI flag: the sandbox keeps the production delay unless told otherwise."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.__main__ import _delay
from bot.app import App, build_app
from bot.clock import SystemClock
from bot.domain.settings import ChannelPurpose
from bot.sandbox_mode import SEEDED_NOTIFY_ROLE, delay_banner, point_settings_at_seed, sandbox_config

GUILD = 10**17


def test_the_sandbox_keeps_the_production_delay_by_default(tmp_path: Path) -> None:
    config = sandbox_config(tmp_path, GUILD)

    assert (config.questions.delay_min_seconds, config.questions.delay_max_seconds) == (60, 300)
    assert "as in production" in delay_banner(config, shortened=False)
    assert "--question-delay" in delay_banner(config, shortened=False)


@pytest.mark.parametrize(
    ("flag", "delay", "banner"),
    [
        ("0", (0, 0), "random delay OFF"),
        ("2-5", (2, 5), "shortened to 2–5 s"),
        ("7", (7, 7), "shortened to 7–7 s"),
    ],
)
def test_the_question_delay_flag_shortens_it_and_the_banner_says_so(
    tmp_path: Path, flag: str, delay: tuple[int, int], banner: str
) -> None:
    config = sandbox_config(tmp_path, GUILD, _delay(flag))

    assert (config.questions.delay_min_seconds, config.questions.delay_max_seconds) == delay
    assert banner in delay_banner(config, shortened=True)


@pytest.mark.parametrize("flag", ["", "-1", "5-2", "a", "1-b", "4000"])
def test_a_malformed_question_delay_is_refused(flag: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        _delay(flag)


def test_the_sandbox_config_signs_zoom_webhooks_with_the_sandbox_s_secret(tmp_path: Path) -> None:
    from sandbox.zoom import SANDBOX_ZOOM_SECRET

    secret = sandbox_config(tmp_path, GUILD).secrets.zoom_webhook_secret

    assert secret is not None and secret.get_secret_value() == SANDBOX_ZOOM_SECRET


def test_the_notify_role_is_the_one_the_sandbox_seeds() -> None:
    from sandbox.seed import NOTIFY_ROLE

    assert SEEDED_NOTIFY_ROLE == NOTIFY_ROLE


def _seed(channel_offset: int = 0) -> Any:
    from bot.sandbox_mode import SEEDED_CHANNELS, SEEDED_ROLES

    names = list(SEEDED_CHANNELS.values())
    roles = [*SEEDED_ROLES.values(), SEEDED_NOTIFY_ROLE]
    return SimpleNamespace(
        guild_id=GUILD,
        channels={name: 1000 + i + channel_offset for i, name in enumerate(names)},
        roles={name: 2000 + i for i, name in enumerate(roles)},
    )


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    app = await build_app(sandbox_config(tmp_path, GUILD), SystemClock(), run_jobs=False)
    try:
        yield app
    finally:
        await app.close()


async def test_seeding_a_world_that_already_holds_the_seed_writes_nothing(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    await point_settings_at_seed(app.services, _seed())

    async def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("nothing to write")

    monkeypatch.setattr(app.services.settings, "bootstrap", refuse)
    monkeypatch.setattr(app.services.dropin, "bootstrap", refuse)
    await point_settings_at_seed(app.services, _seed())


async def test_seeding_a_world_whose_channels_changed_points_them_again(app: App) -> None:
    await point_settings_at_seed(app.services, _seed())
    await point_settings_at_seed(app.services, _seed(channel_offset=500))

    settings = await app.services.settings.get(GUILD)
    assert settings.channel(ChannelPurpose.QUESTIONS) == _seed(500).channels["questions"]
    schedule = await app.services.dropin.schedule(GUILD)
    assert schedule is not None and schedule.ping_role_id == _seed().roles[SEEDED_NOTIFY_ROLE]

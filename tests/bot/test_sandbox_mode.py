"""bot/sandbox_mode.py and its CLI flag: the sandbox keeps the production delay unless told otherwise."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.__main__ import _delay
from bot.sandbox_mode import SEEDED_NOTIFY_ROLE, delay_banner, sandbox_config

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

"""One validation path: what `run` and `schedule` refuse, `check-config` refuses, with the same words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import dropin_template
from bot.config import ConfigError, load_config
from bot.domain.dropin import check_join_url
from bot.domain.reminders import ReminderOffsets
from bot.errors import UserError
from bot.preflight import preflight
from bot.services.privacy import generate_keys
from tests.bot.test_main import run_cli

KEYS = dict(zip(("NSSCOP_PSEUDONYM_KEY", "NSSCOP_RELAY_KEY"), generate_keys(), strict=True))


def _load(tmp_path: Path, body: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    load_config(path, {})


def _domain_accepts(check: object, value: str) -> bool:
    try:
        check(value)  # type: ignore[operator]
    except UserError:
        return False
    return True


@pytest.mark.parametrize(
    "reminders", ["24h,15m", "0m", "4m", "5m", "7d", "8d", "10080m", "10081m", "1h,2h,3h,4h,5h", "15x", ""]
)
def test_the_file_accepts_a_reminder_list_exactly_when_the_drop_in_rules_do(
    tmp_path: Path, reminders: str
) -> None:
    items = ", ".join(f'"{item}"' for item in reminders.split(",")) if reminders else ""
    try:
        _load(tmp_path, f"[dropin]\nreminders = [{items}]\n")
        file_accepts = True
    except ConfigError:
        file_accepts = False

    assert file_accepts == _domain_accepts(ReminderOffsets.parse, reminders)


@pytest.mark.parametrize(
    "url", ["https://zoom.us/j/85012345678", "https://zoom.us/j/" + "1" * 90, "https://zoom", "http://x.y"]
)
def test_the_file_accepts_a_join_link_exactly_when_the_drop_in_rules_do(tmp_path: Path, url: str) -> None:
    try:
        _load(tmp_path, f'[dropin]\njoin_url = "{url}"\n')
        file_accepts = True
    except ConfigError:
        file_accepts = False

    assert file_accepts == _domain_accepts(check_join_url, url)


def test_minuted_part_longer_than_the_meeting_is_refused_naming_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, "[dropin]\nduration_minutes = 45\nminuted_minutes = 60\n")

    (problem,) = caught.value.problems
    assert "dropin.minuted_minutes" in problem
    assert "duration_minutes = 45" in problem


def test_every_valid_file_builds_the_drop_in_template_run_uses(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[dropin]\nreminders = ["5m", "6d"]\nduration_minutes = 15\nminuted_minutes = 15\n')

    template = dropin_template(load_config(path, {}))

    assert template.reminder_minutes == (8640, 5)


def test_preflight_warns_for_each_unset_secret_and_fails_on_none() -> None:
    warnings = preflight(load_config(None, {}))

    assert any("NSSCOP_DISCORD_TOKEN is not set" in w for w in warnings)
    assert any("NSSCOP_PSEUDONYM_KEY and NSSCOP_RELAY_KEY not set" in w for w in warnings)


def test_preflight_has_no_warning_when_everything_is_set() -> None:
    env = {"NSSCOP_DISCORD_TOKEN": "x", **KEYS}

    assert preflight(load_config(None, env)) == []


def test_an_unknown_zone_is_named_once(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, '[defaults]\ntimezone = "Eastern"\n')

    (problem,) = caught.value.problems
    assert problem.count("Eastern") == 1


@pytest.mark.cli
@pytest.mark.parametrize(
    "body",
    [
        pytest.param('[dropin]\nreminders = ["0m"]\n', id="zero-reminder"),
        pytest.param("[dropin]\nduration_minutes = 30\nminuted_minutes = 60\n", id="minuted-too-long"),
    ],
)
def test_check_config_and_run_refuse_the_same_file_with_the_same_words(tmp_path: Path, body: str) -> None:
    (tmp_path / "config.toml").write_text(body, encoding="utf-8")
    env = {"NSSCOP_DISCORD_TOKEN": "not-a-real-token", **KEYS}

    checked = run_cli(tmp_path, "check-config", env=env)
    ran = run_cli(tmp_path, "run", env=env)
    scheduled = run_cli(tmp_path, "schedule", env=env)

    assert checked.returncode == ran.returncode == scheduled.returncode == 2
    assert checked.stderr == ran.stderr == scheduled.stderr
    assert "Traceback" not in checked.stderr + ran.stderr + scheduled.stderr


@pytest.mark.cli
def test_check_config_reports_unset_secrets_as_warnings(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "check-config")

    assert result.returncode == 0
    assert "warning: NSSCOP_DISCORD_TOKEN is not set" in result.stderr
    assert "warning: NSSCOP_PSEUDONYM_KEY and NSSCOP_RELAY_KEY not set" in result.stderr


@pytest.mark.cli
@pytest.mark.parametrize("given", ["42", "abc", "123456789012345678901"])
def test_invite_url_refuses_what_is_not_an_application_id(tmp_path: Path, given: str) -> None:
    result = run_cli(tmp_path, "invite-url", given)

    assert result.returncode == 2
    assert "Application ID" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.cli
def test_invite_url_accepts_an_application_id(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "invite-url", "123456789012345678")

    assert result.returncode == 0
    assert "client_id=123456789012345678" in result.stdout

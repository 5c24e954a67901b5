"""bot/config.py: the bootstrap file, secrets from the environment, actionable errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import (
    ENV_DATABASE_URL,
    ENV_METRICS_TOKEN,
    ENV_PSEUDONYM_KEY,
    ENV_RELAY_KEY,
    ENV_TOKEN,
    ENV_ZOOM_WEBHOOK_SECRET,
    BotSection,
    Config,
    ConfigError,
    load_config,
    normalize_database_url,
    summary,
)


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return path


def problems_for(tmp_path: Path, body: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, body), {})
    return caught.value.problems


@pytest.mark.parametrize(
    ("body", "key", "fix"),
    [
        pytest.param(
            "[bot]\nlog_level = 5\n", "bot.log_level", 'Fix: use "DEBUG"', id="wrong-type-log-level"
        ),
        pytest.param(
            '[bot]\nlog_level = "verbose"\n', "bot.log_level", 'Fix: use "DEBUG"', id="bad-log-level"
        ),
        pytest.param(
            "[bot]\ndata_dir = 5\n", "bot.data_dir", "Fix: see config.example.toml", id="wrong-type-path"
        ),
        pytest.param(
            '[bot]\nguild_ids = "x"\n', "bot.guild_ids", "Fix: list the server ids", id="wrong-type-list"
        ),
        pytest.param("bot = 5\n", "bot", "Fix: see config.example.toml", id="section-not-a-table"),
        pytest.param(
            '[defaults]\nlanguage = "de"\n',
            "defaults.language",
            'Fix: use "en", "fr" or "both"',
            id="bad-language",
        ),
        pytest.param(
            '[defaults]\ntimezone = "Mars/Olympus_Mons"\n',
            "defaults.timezone",
            "Fix: use an IANA zone",
            id="unknown-zone",
        ),
        pytest.param(
            "[bot]\nguild_ids = [123]\n", "bot.guild_ids[0]", "Copy Server ID", id="guild-id-too-short"
        ),
        pytest.param(
            "[bot]\nguild_ids = [-5]\n", "bot.guild_ids[0]", "Copy Server ID", id="guild-id-negative"
        ),
        pytest.param(
            '[bot]\nguild_ids = [123456789012345678, "abc"]\n',
            "bot.guild_ids[1]",
            "Copy Server ID",
            id="guild-id-not-a-number",
        ),
        pytest.param('[bot]\ntoken = "x"\n', "bot.token", "Remove it", id="unknown-key-in-section"),
        pytest.param('[database]\nurl = "x"\n', "database", "Remove it", id="unknown-section"),
    ],
)
def test_invalid_value_names_the_key_and_a_fix(tmp_path: Path, body: str, key: str, fix: str) -> None:
    (problem,) = problems_for(tmp_path, body)

    assert f"{key}:" in problem or f"'{key}'" in problem
    assert fix in problem
    assert str(tmp_path / "config.toml") in problem


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, '[bot]\nlog_level = "loud"\n[defaults]\nlanguage = "de"\n')

    assert len(problems) == 2
    assert any("bot.log_level" in p for p in problems)
    assert any("defaults.language" in p for p in problems)


def test_top_level_source_key_is_refused_as_unknown(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, 'source = "elsewhere.toml"\n')

    assert "unknown key 'source'" in problem


def test_invalid_toml_names_the_file_and_how_to_fix_it(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, "[bot\nlog_level = 'INFO'\n")

    assert str(tmp_path / "config.toml") in problem
    assert "not valid TOML" in problem
    assert "Check quotes, brackets" in problem


def test_missing_file_says_to_copy_the_example(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"

    with pytest.raises(ConfigError) as caught:
        load_config(missing, {})

    (problem,) = caught.value.problems
    assert str(missing) in problem
    assert "Copy config.example.toml" in problem


def test_secrets_table_in_the_file_is_refused_and_names_the_environment_variables(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, '[secrets]\ndiscord_token = "abc"\n')

    assert "[secrets]" in problem
    for name in (ENV_TOKEN, ENV_DATABASE_URL, ENV_PSEUDONYM_KEY, ENV_RELAY_KEY):
        assert name in problem
    assert "abc" not in problem


def test_no_file_means_the_defaults() -> None:
    config = load_config(None, {})

    assert config.bot.guild_ids == []
    assert config.defaults.language == "both"
    assert config.defaults.timezone == "America/Toronto"
    assert config.source is None


def test_valid_file_values_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[bot]\nguild_ids = [123456789012345678]\ndata_dir = "/srv/nss"\nlog_level = "DEBUG"\n'
        '[defaults]\nlanguage = "fr"\ntimezone = "America/Halifax"\n',
    )

    config = load_config(path, {})

    assert config.bot.guild_ids == [123456789012345678]
    assert config.bot.data_dir == Path("/srv/nss")
    assert config.bot.log_level == "DEBUG"
    assert config.defaults.language == "fr"
    assert config.defaults.timezone == "America/Halifax"
    assert config.source == path


@pytest.mark.parametrize(
    ("env_name", "attribute", "value"),
    [
        (ENV_TOKEN, "discord_token", "value-from-env"),
        (ENV_DATABASE_URL, "database_url", "postgresql://u:p@db/value-from-env"),
        (ENV_PSEUDONYM_KEY, "pseudonym_key", "a-pseudonym-key-of-at-least-32-characters"),
        (ENV_RELAY_KEY, "relay_key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
    ],
)
def test_secrets_come_from_the_given_environment(env_name: str, attribute: str, value: str) -> None:
    config = load_config(None, {env_name: value})

    secret = getattr(config.secrets, attribute)
    assert secret is not None
    assert secret.get_secret_value() == value


@pytest.mark.parametrize(
    "env_name",
    [
        ENV_TOKEN,
        ENV_DATABASE_URL,
        ENV_PSEUDONYM_KEY,
        ENV_RELAY_KEY,
        ENV_ZOOM_WEBHOOK_SECRET,
        ENV_METRICS_TOKEN,
    ],
)
def test_empty_environment_variable_counts_as_unset(env_name: str) -> None:
    config = load_config(None, {env_name: ""})

    assert set(config.secrets.model_dump().values()) == {None}


def test_secrets_are_read_only_from_the_environment_passed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_TOKEN, "process-env-token")

    assert load_config(None, {}).secrets.discord_token is None


SENTINELS = {
    ENV_TOKEN: "tok-SENTINEL-1",
    ENV_PSEUDONYM_KEY: "pseudo-SENTINEL-2-padded-to-32-characters",
    ENV_RELAY_KEY: "cmVsYXktU0VOVElORUwtMy1wYWRkZWQtdG8tMzJieXQ=",  # base64 of "relay-SENTINEL-3-padded-to-32byt"
}


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://nss:pw-SENTINEL-4@db.example:5432/nsscop",
        "postgresql://nss:pw-SENTINEL-4@db.example/nsscop",
        "postgresql+asyncpg://nss:pw-SENTINEL-4@db.example/nsscop",
    ],
)
def test_summary_never_prints_secret_values(database_url: str) -> None:
    config = load_config(None, {**SENTINELS, ENV_DATABASE_URL: database_url})

    text = "\n".join(summary(config))

    assert "SENTINEL" not in text
    assert all(secret not in text for secret in SENTINELS.values())
    assert f"{ENV_TOKEN}: set" in text


def test_summary_says_which_secrets_are_missing() -> None:
    text = "\n".join(summary(load_config(None, {})))

    assert f"{ENV_TOKEN}: not set" in text
    assert f"{ENV_PSEUDONYM_KEY}: not set" in text
    assert f"{ENV_RELAY_KEY}: not set" in text


def test_config_repr_hides_secret_values() -> None:
    config = load_config(None, {**SENTINELS, ENV_DATABASE_URL: "postgres://u:pw-SENTINEL-4@h/db"})

    assert "SENTINEL" not in repr(config)
    assert all(secret not in repr(config) for secret in SENTINELS.values())
    assert "SENTINEL" not in str(config.model_dump())


def test_database_url_defaults_to_sqlite_in_the_data_directory(tmp_path: Path) -> None:
    config = Config(bot=BotSection(data_dir=tmp_path / "data"))

    assert config.database_url() == f"sqlite+aiosqlite:///{(tmp_path / 'data' / 'nsscop.db').resolve()}"


def test_relative_data_directory_resolves_against_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    url = Config(bot=BotSection(data_dir=Path("data"))).database_url()

    assert url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'data' / 'nsscop.db'}"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+asyncpg://u:p@h:5432/db"),
        ("postgresql://u:p@h/db", "postgresql+asyncpg://u:p@h/db"),
        ("postgresql+asyncpg://u:p@h/db", "postgresql+asyncpg://u:p@h/db"),
        ("sqlite:////var/lib/nss/x.db", "sqlite+aiosqlite:////var/lib/nss/x.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_normalize_database_url_picks_async_drivers(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


def test_database_url_from_environment_is_normalized() -> None:
    config = load_config(None, {ENV_DATABASE_URL: "postgres://u:p@h/db"})

    assert config.database_url() == "postgresql+asyncpg://u:p@h/db"


def test_unsupported_database_is_refused_without_echoing_the_url() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(None, {ENV_DATABASE_URL: "mysql://nss:pw-SENTINEL-4@db.example/nsscop"})

    (problem,) = info.value.problems
    assert ENV_DATABASE_URL in problem and "mysql is not supported" in problem and "Fix" in problem
    assert "SENTINEL" not in problem


def test_the_web_server_is_off_unless_a_port_is_set() -> None:
    assert load_config(None, {}).web.port is None


def test_zoom_and_metrics_secrets_come_from_the_environment() -> None:
    config = load_config(None, {ENV_ZOOM_WEBHOOK_SECRET: "zoom-SENTINEL", ENV_METRICS_TOKEN: "ops-SENTINEL"})

    assert config.secrets.zoom_webhook_secret is not None
    assert config.secrets.zoom_webhook_secret.get_secret_value() == "zoom-SENTINEL"
    assert "SENTINEL" not in "\n".join(summary(config))


def test_a_bad_ops_network_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[web]\nops_networks = ["not a network"]\n')

    with pytest.raises(ConfigError):
        load_config(path, {})


@pytest.mark.parametrize(
    ("reminders", "said"),
    [
        ('["24h", "2m"]', "each must be from 5 minutes to 7 days before the start"),
        ('["5h", "4h", "3h", "2h", "1h"]', "At most 4 reminder times"),
        ('["soon"]', "e.g. 24h, 1h, 10m"),
    ],
    ids=["out-of-range", "too-many", "syntax"],
)
def test_reminders_are_checked_by_the_one_reminder_rule(tmp_path: Path, reminders: str, said: str) -> None:
    (problem,) = problems_for(tmp_path, f"[dropin]\nreminders = {reminders}\n")

    assert "dropin.reminders" in problem and said in problem
    assert 'Fix: use a list such as ["24h", "1h", "10m"]' in problem


def test_french_reminder_units_are_accepted_in_the_config(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[dropin]\nreminders = ["2j", "15min"]\n'), {})

    assert config.dropin.reminders == ["2j", "15min"]


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("[bot]\nshard_ids = [0]\n", "shard_ids needs shard_count"),
        ("[bot]\nshard_count = 2\nshard_ids = [0, 0]\n", "shard_ids must be unique"),
        ("[bot]\nshard_count = 2\nshard_ids = [2]\n", "from 0 to 1"),
        ("[bot]\nshard_count = 0\n", "bot.shard_count"),
    ],
)
def test_impossible_shards_name_the_key_and_the_fix(tmp_path: Path, body: str, names: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, body), {})
    message = str(caught.value)
    assert names in message and "Fix:" in message and "shard_count" in message


def test_shards_configured_are_this_processs(tmp_path: Path) -> None:
    path = write(tmp_path, "[bot]\nshard_count = 2\nshard_ids = [1]\n")
    config = load_config(path, {ENV_DATABASE_URL: "postgresql://u:p@db/nsscop"})
    assert (config.bot.shards().count, config.bot.shards().served) == (2, (1,))


def test_the_summary_names_this_processs_shards(tmp_path: Path) -> None:
    path = write(tmp_path, "[bot]\nshard_count = 2\nshard_ids = [1]\n")
    config = load_config(path, {ENV_DATABASE_URL: "postgresql://u:p@db/nsscop"})
    assert any("shards 1 of 2" in line for line in summary(config))


def test_without_shards_the_bot_is_one_process(tmp_path: Path) -> None:
    assert not load_config(write(tmp_path, "[bot]\n"), {}).bot.shards().sharded


def test_shards_left_to_other_processes_need_postgresql(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, "[bot]\nshard_count = 2\nshard_ids = [1]\n"), {})
    assert "bot.shard_ids" in str(caught.value) and ENV_DATABASE_URL in str(caught.value)


def test_shards_with_postgresql_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "[bot]\nshard_count = 2\nshard_ids = [1]\n")
    assert load_config(path, {ENV_DATABASE_URL: "postgresql://u:p@db/nsscop"}).bot.shards().served == (1,)


def test_every_shard_in_one_process_may_use_sqlite(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "[bot]\nshard_count = 2\n"), {}).bot.shards().served == (0, 1)

"""config.example.toml is what people copy: it must validate and match the defaults it documents."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.config import Config, load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def test_example_config_validates() -> None:
    config = load_config(EXAMPLE, {})

    assert config.source == EXAMPLE


def test_example_config_documents_the_defaults() -> None:
    assert load_config(EXAMPLE, {}).model_dump() == Config().model_dump()


def test_example_config_holds_no_secrets() -> None:
    raw = tomllib.loads(EXAMPLE.read_text("utf-8"))

    assert "secrets" not in raw
    keys = [key for section in raw.values() if isinstance(section, dict) for key in section]
    assert keys
    assert not any("token" in key or "key" in key or "password" in key for key in keys)

"""CONTRIBUTING.md's rules for where things live, checked.

- Reply text has one home per feature: a service-side text module `bot/services/<feature>_text.py`.
  There is no second kind (no `cogs/*/_render.py`), and cogs make no catalog lookups at all: they
  send what their text module returns (command names and descriptions, `loc(...)`, are metadata).
- Reminder offsets have one rule, in bot/domain/reminders.py: nothing else parses them, and no
  catalog message restates their syntax or limits (they arrive as placeholders).
- Cogs stay thin: at most about 300 lines.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from bot.i18n import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
COG_LINES_MAX = 300
# Feature → its text module; a new feature adds a line here and a module there.
TEXT_MODULES = {
    "dropin": "bot/services/dropin_text.py",
    "groups": "bot/services/group_text.py",
    "members": "bot/services/members_text.py",
    "minutes": "bot/services/minutes_text.py",
    "questions": "bot/services/question_text.py",
}
# Cog modules (no package) with a text module of their own.
COG_MODULE_TEXT_MODULES = {
    "cogs/about.py": "bot/services/about_text.py",
    "cogs/help.py": "bot/services/help_text.py",
    "cogs/settings.py": "bot/services/settings_text.py",
}
# Features with no cog package: what they post starts outside Discord (Zoom's webhooks).
SERVICE_ONLY_TEXT_MODULES = ("bot/services/zoom_text.py",)
REMINDER_RULE = "bot/domain/reminders.py"
# An offset list written out ("24h, 15m", "2j,15min") or a limit in words ("7 days", "5 minutes").
OFFSET_LITERAL = re.compile(r"\b\d+\s?(?:d|h|m|j|min)\b\s*,|\b\d+\s(?:days?|jours?|minutes?)\b")


def cog_files() -> list[Path]:
    return sorted(p for p in (ROOT / "cogs").rglob("*.py") if p.name != "__init__.py")


def catalog_uses(source: str) -> int:
    """`catalog.t(…)`, `self._catalog.raw`, `catalog.for_guild` and their aliases, counted."""
    return sum(
        1
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and node.attr in {"t", "raw", "for_guild"}
        and "catalog" in ast.unparse(node.value).lower()
    )


def test_there_is_one_kind_of_text_module() -> None:
    renders = [str(p.relative_to(ROOT)) for p in (ROOT / "cogs").rglob("_render.py")]

    assert renders == [], "reply text lives in bot/services/<feature>_text.py, not in cogs/*/_render.py"


def test_every_feature_package_has_its_text_module() -> None:
    packages = sorted(p.name for p in (ROOT / "cogs").iterdir() if (p / "__init__.py").exists())
    text_modules = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "bot/services").glob("*_text.py"))

    assert packages == sorted(TEXT_MODULES)
    assert all((ROOT / cog).is_file() for cog in COG_MODULE_TEXT_MODULES)
    assert text_modules == sorted(
        [*TEXT_MODULES.values(), *COG_MODULE_TEXT_MODULES.values(), *SERVICE_ONLY_TEXT_MODULES]
    )


@pytest.mark.parametrize("path", cog_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_cogs_take_their_text_from_the_text_module(path: Path) -> None:
    assert catalog_uses(path.read_text("utf-8")) == 0


@pytest.mark.parametrize("path", cog_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_cogs_stay_thin(path: Path) -> None:
    assert len(path.read_text("utf-8").splitlines()) <= COG_LINES_MAX


def test_only_the_reminder_rule_parses_reminder_offsets() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("bot", "cogs", "db", "scheduler")
        for path in (ROOT / package).rglob("*.py")
        if str(path.relative_to(ROOT)) != REMINDER_RULE
        and re.search(
            r"\[dhm\]|\{\s*\"d\"\s*:\s*1440|parse_reminders|format_reminders", path.read_text("utf-8")
        )
    ]

    assert offenders == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_catalog_message_restates_the_reminder_syntax_or_limits(lang: str) -> None:
    with (LOCALES_DIR / f"{lang}.toml").open("rb") as handle:
        catalog = tomllib.load(handle)
    reminders = catalog["dropin"]["reminders"]
    messages = [v for v in reminders["error"].values()] + [reminders["saved"], reminders["shown"]]
    messages += [
        catalog["cmd"]["dropin"]["reminders"]["description"],
        catalog["opt"]["reminder_times"]["description"],
    ]

    assert [m for m in messages if OFFSET_LITERAL.search(m)] == []
    assert "{syntax}" in reminders["error"]["syntax"]
    assert {"{min}", "{max}"} <= set(re.findall(r"\{\w+\}", reminders["error"]["out_of_range"]))
    assert "{limit}" in reminders["error"]["too_many"]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [("e.g. 24h, 15m", True), ("2j,15min", True), ("7 days", True), ("{syntax}", False), ("12 h", False)],
)
def test_the_offset_detector(text: str, flagged: bool) -> None:
    assert bool(OFFSET_LITERAL.search(text)) is flagged

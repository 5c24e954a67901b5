"""Every catalog key the code names literally exists in the catalog (code and en.toml must not drift).

Scanned with `ast`: the key argument of `….t(lang, KEY)`, `t(lang, KEY)`, `….for_guild(language, KEY)`,
`render(catalog, lang, KEY, …)` and `UserError(KEY, …)`. For f-string keys such as
f"purpose.channel.{…}" the literal prefix must start at least one key. Calls that name their
parameters must pass every placeholder the message needs (a missing one is a KeyError at runtime).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.i18n import LANGS, default_catalog, placeholders

REPO_ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot", "cogs")
KEY_POSITION = {"t": 1, "for_guild": 1, "render": 2, "UserError": 0}


@dataclass(frozen=True)
class KeyUse:
    where: str
    key: str
    is_prefix: bool
    params: frozenset[str] | None  # keyword names passed; None when unknown (a dict or **kwargs)


def key_uses(source: str, filename: str = "<source>") -> list[KeyUse]:
    uses = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (
            func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        )
        position = KEY_POSITION.get(name or "")
        if position is None or len(node.args) <= position:
            continue
        arg = node.args[position]
        where = f"{filename}:{node.lineno}"
        known = name != "render" and all(keyword.arg is not None for keyword in node.keywords)
        params = frozenset(str(keyword.arg) for keyword in node.keywords) if known else None
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            uses.append(KeyUse(where, arg.value, False, params))
        elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
            uses.append(KeyUse(where, str(arg.values[0].value), True, params))
    return uses


def all_uses() -> list[KeyUse]:
    return [
        use
        for package in SCANNED
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
        for use in key_uses(path.read_text("utf-8"), str(path.relative_to(REPO_ROOT)))
    ]


def test_scan_finds_the_keys_the_code_uses() -> None:
    literal = {use.key for use in all_uses() if not use.is_prefix}

    assert {"error.generic", "error.missing_channel_permissions", "about.title", "settings.title"} <= literal


def test_every_literal_key_exists_in_the_catalog() -> None:
    catalog = default_catalog()

    missing = [
        f"{use.where}: {use.key}" for use in all_uses() if not use.is_prefix and not catalog.has(use.key)
    ]

    assert missing == []


def test_every_f_string_key_prefix_starts_some_catalog_key() -> None:
    keys = default_catalog().keys("en")

    dangling = [
        f"{use.where}: {use.key}…"
        for use in all_uses()
        if use.is_prefix and not any(k.startswith(use.key) for k in keys)
    ]

    assert dangling == []


def test_every_call_passes_the_placeholders_its_message_needs() -> None:
    catalog = default_catalog()

    lacking = [
        f"{use.where}: {use.key} lacks {sorted(needed - use.params)}"
        for use in all_uses()
        if not use.is_prefix and use.params is not None and catalog.has(use.key)
        for needed in [frozenset().union(*(placeholders(catalog.raw(lang, use.key) or "") for lang in LANGS))]
        if not needed <= use.params
    ]

    assert lacking == []


@pytest.mark.parametrize(
    ("source", "params"),
    [
        ('t(lang, "a.b", x=1, y=2)', frozenset({"x", "y"})),
        ('t(lang, "a.b")', frozenset()),
        ('t(lang, "a.b", **extra)', None),
        ('render(catalog, lang, "a.b", {"x": 1})', None),
    ],
)
def test_scanner_records_the_parameters_passed(source: str, params: frozenset[str] | None) -> None:
    (use,) = key_uses(source)

    assert use.params == params


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('catalog.t(lang, "a.b")', [("a.b", False)]),
        ('t(lang, "a.b", x=1)', [("a.b", False)]),
        ('self._catalog.for_guild("both", "a.b")', [("a.b", False)]),
        ('render(catalog, lang, "a.b", {})', [("a.b", False)]),
        ('raise UserError("a.b", channel=c)', [("a.b", False)]),
        ('catalog.t(lang, f"purpose.{p.value}")', [("purpose.", True)]),
        ("catalog.t(lang, key)", []),
        ('print("a.b")', []),
    ],
)
def test_scanner_recognizes_key_arguments(source: str, expected: list[tuple[str, bool]]) -> None:
    assert [(use.key, use.is_prefix) for use in key_uses(source)] == expected

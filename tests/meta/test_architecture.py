"""DESIGN §2: bot/domain, bot/services, db/ and scheduler/ never import discord."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DISCORD_FREE = ("bot/domain", "bot/services", "db", "scheduler")


def discord_imports(source: str, filename: str = "<source>") -> list[str]:
    """Each `import discord…` / `from discord… import` in the source, as `file:line`."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(name == "discord" or name.startswith("discord.") for name in names):
            found.append(f"{filename}:{node.lineno}")
    return found


def python_files(package: str) -> list[Path]:
    return sorted((REPO_ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", DISCORD_FREE)
def test_package_never_imports_discord(package: str) -> None:
    files = python_files(package)
    assert files, f"no Python files found under {package}/"

    offenders = [
        hit
        for path in files
        for hit in discord_imports(path.read_text("utf-8"), str(path.relative_to(REPO_ROOT)))
    ]

    assert offenders == [], f"{package}/ must reach Discord through ports in bot/adapters/"


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("import discord", True),
        ("import os, discord.ext.commands", True),
        ("from discord import app_commands", True),
        ("from discord.ext import commands", True),
        ("def f():\n    import discord\n", True),
        ("from . import discord", False),
        ("import discordant", False),
        ("from bot.adapters import discord_text", False),
    ],
)
def test_detector_flags_only_discord_imports(source: str, flagged: bool) -> None:
    assert bool(discord_imports(source)) is flagged

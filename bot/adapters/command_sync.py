"""A guild's slash commands are replaced at start only when they changed.

Replacing them (one PUT of every command in both languages, about 40 KB) took about 190 ms of every
start in the sandbox, and Discord rate-limits command writes. So the payload discord.py would send is
hashed (with the application and guild ids) and the hash kept in a small file in the data directory.
At the next start an equal hash, and the guild still holding exactly those command names (one GET:
a fresh sandbox, another deployment or a manual deletion shows there), means nothing to send. Any
change of name, description, option, localization or permission changes the hash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)


class GuildCommandSync:
    def __init__(self, record: Path | None) -> None:
        self._record = record  # None: always replace (nothing is remembered)

    async def sync(self, tree: app_commands.CommandTree[Any], guild_id: int) -> int | None:
        """The number of commands sent, or None when the guild already had them."""
        guild = discord.Object(guild_id)
        payload = [
            await command.get_translated_payload(tree, tree.translator)  # type: ignore[arg-type]
            for command in tree.get_commands(guild=guild)
        ]
        digest = _digest(tree, guild_id, payload)
        if self._remembered(guild_id) == digest and await _holds(tree, guild, payload):
            return None
        synced = await tree.sync(guild=guild)
        self._remember(guild_id, digest)
        return len(synced)

    def _remembered(self, guild_id: int) -> str | None:
        found = self._read().get(str(guild_id))
        return found if isinstance(found, str) else None

    def _remember(self, guild_id: int, digest: str) -> None:
        if self._record is None:
            return
        record = {**self._read(), str(guild_id): digest}
        try:
            self._record.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._record.with_suffix(".tmp")
            temporary.write_text(json.dumps(record, indent=1))
            os.replace(temporary, self._record)
        except OSError as exc:  # only costs a PUT at the next start
            log.warning("could not record the synced commands: %s", type(exc).__name__)

    def _read(self) -> dict[str, Any]:
        if self._record is None:
            return {}
        try:
            found = json.loads(self._record.read_text())
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}


def _digest(tree: app_commands.CommandTree[Any], guild_id: int, payload: list[dict[str, Any]]) -> str:
    identity = {"application": tree.client.application_id, "guild": guild_id, "commands": payload}
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()


async def _holds(
    tree: app_commands.CommandTree[Any], guild: discord.Object, payload: list[dict[str, Any]]
) -> bool:
    try:
        current = await tree.fetch_commands(guild=guild)
    except discord.HTTPException:
        return False  # replace them: the PUT says what is wrong, if anything
    return sorted((c.name, c.type.value) for c in current) == sorted(
        (str(p["name"]), int(p.get("type", 1))) for p in payload
    )

"""Sending files within Discord's upload limits (bot/domain/uploads.py), as one or more messages."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from bot.domain.uploads import Upload, batches


def as_files(batch: Sequence[Upload]) -> list[discord.File]:
    return [discord.File(io.BytesIO(u.data), filename=u.name) for u in batch]


async def send_in_batches(send: Callable[..., Awaitable[Any]], text: str, uploads: Sequence[Upload]) -> None:
    """`send(content, files=...)` once per batch of files; the text goes with the first."""
    groups = batches(uploads) or [[]]
    for index, group in enumerate(groups):
        await send(text if index == 0 else None, files=as_files(group))

"""Fixtures shared by the database tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import aiosqlite.core
import pytest


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many calls crossed to aiosqlite's worker thread."""
    counter = [0]
    original = aiosqlite.core.Connection._execute

    async def counted(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counter[0] += 1
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
    yield counter

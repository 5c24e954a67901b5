"""bot/adapters/long_lived.py: frozen at ready, and a new session's leftovers still collected."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.adapters.long_lived import LongLivedObjects


class Node:
    def __init__(self) -> None:
        self.cycle = self  # what discord.py's caches are made of: only the cyclic collector frees them


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # leave the test process as it was


def test_ready_freezes_what_exists() -> None:
    kept = Node()

    LongLivedObjects().freeze()

    assert gc.get_freeze_count() > 0 and kept.cycle is kept


def test_a_new_session_lets_the_previous_sessions_objects_be_collected() -> None:
    objects = LongLivedObjects()
    old = Node()
    gone = weakref.ref(old)
    objects.freeze()
    del old

    objects.freeze()

    assert gone() is None


def test_without_a_new_session_frozen_leftovers_stay() -> None:
    old = Node()
    kept = weakref.ref(old)
    LongLivedObjects().freeze()
    del old

    gc.collect()

    assert kept() is not None  # what the second freeze's collection is there for

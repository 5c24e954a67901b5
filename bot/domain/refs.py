"""Values that services hand to the edge for rendering (mentions, localized names)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChannelRef:
    id: int


@dataclass(frozen=True)
class RoleRef:
    id: int


@dataclass(frozen=True)
class PermissionNames:
    names: tuple[str, ...]


@dataclass(frozen=True)
class Weekday:
    index: int  # Monday = 0

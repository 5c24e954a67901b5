"""What forget-me did, per feature: plain values the erasers return and the text renders."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Erased:
    """What one feature did: `deleted` and `kept` are (item key, count) pairs, in display order."""

    feature: str
    deleted: tuple[tuple[str, int], ...] = ()
    kept: tuple[tuple[str, int], ...] = ()
    failed: bool = False

    @property
    def nothing(self) -> bool:
        return not self.failed and not any(n for _, n in self.deleted) and not any(n for _, n in self.kept)


@dataclass(frozen=True)
class ForgetReport:
    features: tuple[Erased, ...]

    @property
    def complete(self) -> bool:
        return not any(e.failed for e in self.features)

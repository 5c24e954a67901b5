"""Is a secret key strong enough to protect askers? Refuses short, repeating or low-entropy keys.

An estimate, not a proof: it catches what people type by hand ("changeme" six times, all zeros,
a word and a year) while every key from `python -m bot gen-keys` passes."""

from __future__ import annotations

import math
from collections import Counter

MIN_BYTES = 32
MIN_DISTINCT = 8
MIN_BITS = 120.0  # a Shannon estimate over the key's own bytes: random 32-byte keys score 140 to 160


def weakness(raw: bytes) -> str | None:
    """Why `raw` is too weak to be a key, in words for the person who set it; None when it is fine."""
    if len(raw) < MIN_BYTES:
        return f"too short ({len(raw)} bytes; at least {MIN_BYTES} are needed)"
    if len(set(raw)) == 1:
        return "every byte is the same"
    period = _period(raw)
    if period is not None:
        return f"it repeats a {period}-byte pattern"
    if len(set(raw)) < MIN_DISTINCT or estimated_bits(raw) < MIN_BITS:
        return "too little entropy (too few different characters)"
    return None


def estimated_bits(raw: bytes) -> float:
    counts = Counter(raw)
    per_byte = -sum(n / len(raw) * math.log2(n / len(raw)) for n in counts.values())
    return per_byte * len(raw)


def _period(raw: bytes) -> int | None:
    """The shortest p ≤ len/2 such that the key is a block of p bytes repeated (the last one cut)."""
    for p in range(1, len(raw) // 2 + 1):
        if all(raw[i] == raw[i - p] for i in range(p, len(raw))):
            return p
    return None

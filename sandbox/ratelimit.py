"""Per-route rate-limit buckets and the global limit, reported with Discord's headers."""

from __future__ import annotations

import hashlib
import time
from collections import deque
from dataclasses import dataclass, field

GLOBAL_PER_SECOND = 50


@dataclass(frozen=True)
class BucketPolicy:
    limit: int
    period: float


DEFAULT_POLICY = BucketPolicy(limit=50, period=1.0)
MESSAGE_POST_POLICY = BucketPolicy(limit=5, period=5.0)


@dataclass
class _Window:
    limit: int
    period: float
    reset_at: float = 0.0
    used: int = 0


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    headers: dict[str, str]
    retry_after: float = 0.0
    is_global: bool = False


@dataclass
class RateLimiter:
    """Fixed windows per (bucket, major parameter), like Discord's X-RateLimit-* semantics."""

    windows: dict[tuple[str, str], _Window] = field(default_factory=dict)
    global_hits: deque[float] = field(default_factory=deque)

    def check(self, bucket: str, major: str, policy: BucketPolicy, *, global_exempt: bool) -> RateDecision:
        now = time.time()
        if not global_exempt:
            while self.global_hits and self.global_hits[0] <= now - 1.0:
                self.global_hits.popleft()
            if len(self.global_hits) >= GLOBAL_PER_SECOND:
                retry = max(0.01, self.global_hits[0] + 1.0 - now)
                return RateDecision(
                    False,
                    {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"},
                    round(retry, 3),
                    True,
                )
        window = self.windows.get((bucket, major))
        if window is None or now >= window.reset_at:
            window = _Window(policy.limit, policy.period, reset_at=now + policy.period)
            self.windows[(bucket, major)] = window
        bucket_hash = hashlib.sha1(bucket.encode()).hexdigest()[:32]
        reset_after = max(0.0, window.reset_at - now)
        if window.used >= window.limit:
            headers = self._headers(window, bucket_hash, reset_after)
            headers["X-RateLimit-Scope"] = "user"
            return RateDecision(False, headers, round(max(reset_after, 0.001), 3))
        window.used += 1
        if not global_exempt:
            self.global_hits.append(now)
        return RateDecision(True, self._headers(window, bucket_hash, reset_after))

    @staticmethod
    def _headers(window: _Window, bucket_hash: str, reset_after: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(window.limit),
            "X-RateLimit-Remaining": str(max(0, window.limit - window.used)),
            "X-RateLimit-Reset": f"{window.reset_at:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket_hash,
        }

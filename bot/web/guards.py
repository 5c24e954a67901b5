"""Middlewares: security headers, per-address rate limits on public routes, and who may read /metrics
and /healthz (allowed networks or a bearer token). Nothing here logs a URL: tokens live in paths."""

from __future__ import annotations

import hmac
import ipaddress
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.typedefs import Middleware

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
OPS_PATHS = ("/healthz", "/metrics")
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")
PUBLIC_PREFIXES = ("/zoom/", "/calendar/", "/g/", "/static/")
SECURITY_HEADERS = {
    # Pages load only their own stylesheet and script; nothing from another host, no inline script.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # the page's token never leaks to the join link's host
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass
class RateLimiter:
    """A token bucket per client address: `per_minute` requests, refilled continuously."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def check(self, address: str) -> float:
        """0 when allowed; otherwise the seconds to wait."""
        now = self.clock()
        tokens, last = self._buckets.get(address, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60)
        if tokens < 1:
            self._buckets[address] = (tokens, now)
            return (1 - tokens) * 60 / self.per_minute
        self._buckets[address] = (tokens - 1, now)
        if len(self._buckets) > 10_000:  # forget idle addresses rather than grow without bound
            self._buckets = {a: b for a, b in self._buckets.items() if now - b[1] < 60}
        return 0.0


def security_headers() -> Middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            for name, value in SECURITY_HEADERS.items():
                exc.headers.setdefault(name, value)
            raise
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return middleware


def rate_limit(public: RateLimiter, webhook: RateLimiter) -> Middleware:
    """Public routes per client address; Zoom's webhook apart, with a higher limit, since one Zoom
    address carries every join and leave of a busy meeting."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(PUBLIC_PREFIXES):
            limiter = webhook if request.path.startswith("/zoom/") else public
            wait = limiter.check(request.remote or "?")
            if wait:
                return web.json_response(
                    {"error": "too many requests"},
                    status=429,
                    headers={"Retry-After": str(max(1, math.ceil(wait)))},
                )
        return await handler(request)

    return middleware


def ops_access(networks: Sequence[str], bearer: str | None) -> Middleware:
    allowed = [ipaddress.ip_network(n, strict=False) for n in networks]

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in OPS_PATHS and not _may_read_ops(request, allowed, bearer):
            return web.json_response({"error": "forbidden"}, status=403)
        return await handler(request)

    return middleware


def _may_read_ops(
    request: web.Request, allowed: list[ipaddress.IPv4Network | ipaddress.IPv6Network], bearer: str | None
) -> bool:
    given = request.headers.get("Authorization", "")
    if bearer and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), bearer.encode()):
        return True
    if any(name in request.headers for name in FORWARDING_HEADERS):
        return False  # relayed by a reverse proxy: the loopback address is the proxy's, not the caller's
    try:
        address = ipaddress.ip_address(request.remote or "")
    except ValueError:
        return False
    return any(address in network for network in allowed)

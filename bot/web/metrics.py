"""Prometheus metrics in the app's own registry (no process-wide globals), scraped at GET /metrics."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]


class Metrics:
    """What operators watch. Labels are event and command names and states, never people or text."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.events = Counter(
            "nsscop_events_handled",
            "Events handled, by source and kind (Discord commands, Zoom webhooks).",
            ["source", "kind", "outcome"],
            registry=self.registry,
        )
        self.command_latency = Histogram(
            "nsscop_command_latency_seconds",
            "Time from a slash command's arrival to the end of its handler.",
            ["command"],
            registry=self.registry,
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0),
        )
        self.questions = Gauge(
            "nsscop_questions", "Anonymous questions by state.", ["state"], registry=self.registry
        )
        self.scheduler_lag = Gauge(
            "nsscop_scheduler_lag_seconds",
            "How late the last timer fired compared with when it was due.",
            registry=self.registry,
        )
        self.rest_429 = Counter(
            "nsscop_discord_rest_429",
            "Discord REST answers with status 429 (rate limited).",
            registry=self.registry,
        )
        self._refreshers: list[Callable[[Metrics], Awaitable[None]]] = []

    def on_scrape(self, refresh: Callable[[Metrics], Awaitable[None]]) -> None:
        """Gauges read from the database are refreshed just before each scrape."""
        self._refreshers.append(refresh)

    def registry_text(self) -> str:
        return generate_latest(self.registry).decode()

    async def exposition(self) -> bytes:
        for refresh in self._refreshers:
            await refresh(self)
        return generate_latest(self.registry)


class _RateLimitCounter(logging.Filter):
    """discord.py logs each 429 it meets on `discord.http`; count them without keeping the text."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__()
        self._metrics = metrics

    def filter(self, record: logging.LogRecord) -> bool:
        if "rate limited" in str(record.msg).lower():
            self._metrics.rest_429.inc()
        return True


def count_rate_limits(metrics: Metrics) -> None:
    logging.getLogger("discord.http").addFilter(_RateLimitCounter(metrics))
    logging.getLogger("discord.webhook.async_").addFilter(_RateLimitCounter(metrics))

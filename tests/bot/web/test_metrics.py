"""Metrics in the app's own registry: REST 429s counted from discord.py's log, nothing else read."""

from __future__ import annotations

import logging

from prometheus_client.parser import text_string_to_metric_families

from bot.web.metrics import Metrics, count_rate_limits


def _value(metrics: Metrics, name: str) -> float:
    for family in text_string_to_metric_families(metrics.registry_text()):
        for sample in family.samples:
            if sample.name == name:
                return sample.value
    raise AssertionError(f"{name} not exposed")


async def test_a_logged_429_is_counted() -> None:
    metrics = Metrics()
    count_rate_limits(metrics)

    logging.getLogger("discord.http").warning(
        "We are being rate limited. %s %s responded with 429. Retrying in %.2f seconds.", "POST", "/x", 1.0
    )
    logging.getLogger("discord.http").warning("something else")

    assert _value(metrics, "nsscop_discord_rest_429_total") == 1


async def test_each_app_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()

    first.events.labels("zoom", "webhook", "recorded").inc()

    assert "recorded" in first.registry_text()
    assert "recorded" not in second.registry_text()

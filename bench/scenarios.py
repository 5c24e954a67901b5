"""What the benchmark sends, and the figures it takes for each bot around each scenario."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from typing import Any

from bench.procs import BotProcess, SandboxProcess, peak_rss_mb
from sandbox import SandboxClientError

DRAIN_IDLE_S = 5.0  # give up waiting for answers after this long without a new one (retries are over)
DRAIN_MAX_S = 120.0
REPORTER = "fiona"  # a facilitator of the seeded guild


@dataclass(frozen=True)
class Scenario:
    name: str
    kind: str  # "dm", "next" or "report"
    events: int
    senders: int
    rate: float | None  # events per second; None: all at once (a report: one after the other)
    options: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        if self.kind == "report":
            return f"{self.events} /community report {dict(self.options)['format']}, one at a time"
        pace = f"paced {self.rate:g}/s" if self.rate else "burst"
        what = "DM questions" if self.kind == "dm" else "/dropin next"
        return f"{self.events} {what}, {pace}"

    @property
    def ours_only(self) -> bool:
        """The bare bot has no /community report: there is nothing to compare it with."""
        return self.kind == "report"


def _reports(runs: int) -> list[Scenario]:
    return [
        Scenario(f"report_{fmt}", "report", runs, 1, None, (("format", fmt),)) for fmt in ("table", "csv")
    ]


def scenarios(quick: bool) -> list[Scenario]:
    if quick:
        return [
            Scenario("dm_paced", "dm", 100, 50, 20.0),
            Scenario("dm_burst", "dm", 150, 75, None),
            Scenario("next_paced", "next", 100, 100, 20.0),
            Scenario("next_burst", "next", 500, 500, None),
            *_reports(2),
        ]
    return [
        Scenario("dm_paced", "dm", 1000, 200, 25.0),
        Scenario("dm_burst", "dm", 1000, 200, None),
        Scenario("next_paced", "next", 500, 500, 25.0),
        Scenario("next_burst", "next", 500, 500, None),
        *_reports(10),
    ]


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)  # nearest rank: the smallest value with at least `fraction` of them at or below
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


async def _send(sandbox: SandboxProcess, scenario: Scenario, index: int, offset: int = 0) -> None:
    member = f"m{offset + index % scenario.senders:05d}"
    try:
        if scenario.kind == "report":
            await sandbox.client.command(REPORTER, "community report", dict(scenario.options))
        elif scenario.kind == "dm":
            await sandbox.client.send_message(
                member, "dm", f"Benchmark question number {index}: how do I join?"
            )
        else:
            await sandbox.client.command(member, "dropin next")
    except SandboxClientError:
        pass  # an unacknowledged interaction answers 504: counted as lost from the probe


async def _drive(sandbox: SandboxProcess, scenario: Scenario) -> float:
    started = time.monotonic()
    if scenario.kind == "report":  # the sandbox answers once the deferred report is posted
        for i in range(scenario.events):
            await _send(sandbox, scenario, i)
    elif scenario.rate is None:
        await asyncio.gather(*(_send(sandbox, scenario, i) for i in range(scenario.events)))
    else:
        tasks = []
        for i in range(scenario.events):
            delay = started + i / scenario.rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_send(sandbox, scenario, i)))
        await asyncio.gather(*tasks)
    return time.monotonic() - started


async def _drain(sandbox: SandboxProcess, scenario: Scenario) -> dict[str, Any]:
    """Waits until every event has its answer, or no answer came for DRAIN_IDLE_S."""
    started = last_progress = time.monotonic()
    seen = -1
    while True:
        figures = await sandbox.latencies()
        answered = len(_latencies(scenario, figures))
        if answered >= scenario.events:
            return figures
        now = time.monotonic()
        if answered != seen:
            seen, last_progress = answered, now
        if now - last_progress > DRAIN_IDLE_S or now - started > DRAIN_MAX_S:
            return figures
        await asyncio.sleep(0.1)


async def warm_up(sandbox: SandboxProcess, members: int) -> None:
    """A few events of each kind from members the scenarios do not use, not measured: first uses load
    locale data, compile statements and fill caches once per process, which no per-event figure
    should carry."""
    for kind in ("dm", "next"):
        scenario = Scenario("warm_up", kind, 5, 5, None)
        await sandbox.reset()
        await asyncio.gather(*(_send(sandbox, scenario, i, offset=members - 5) for i in range(5)))
        await _drain(sandbox, scenario)


async def run(scenario: Scenario, bot: BotProcess, sandbox: SandboxProcess) -> dict[str, Any]:
    await sandbox.reset()
    before = await bot.stats()
    started = time.monotonic()
    send_s = await _drive(sandbox, scenario)
    figures = await _drain(sandbox, scenario)
    last_answer_s = time.monotonic() - started
    after = await bot.stats()
    cpu, trips = after.cpu_s - before.cpu_s, after.db_round_trips - before.db_round_trips
    latencies = _latencies(scenario, figures)
    handled = len(latencies)
    return {
        "handled": handled,
        "lost": scenario.events - handled,
        "send_s": round(send_s, 2),
        "wall_s": round(last_answer_s, 2),
        "throughput_per_s": round(handled / last_answer_s, 1) if last_answer_s else None,
        "p50_ms": _ms(percentile(latencies, 0.50)),
        "p95_ms": _ms(percentile(latencies, 0.95)),
        "p99_ms": _ms(percentile(latencies, 0.99)),
        "cpu_ms_per_event": round(cpu * 1000 / scenario.events, 2),
        "db_round_trips_per_event": round(trips / scenario.events, 2),
        "peak_rss_mb": round(peak_rss_mb(bot.pid), 1),
        "db_size_mb": round(bot.db_size_mb(), 2),
        "violations": figures["violations"],
    }


def _latencies(scenario: Scenario, figures: dict[str, Any]) -> list[float]:
    """Seconds from dispatch to the answer: a DM's reply, a command's response, a deferred report's
    posted result."""
    key = {"dm": "dms", "next": "interactions", "report": "interactions_completed"}[scenario.kind]
    return list(figures[key])


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)

"""`python -m bench [--quick] [--json FILE]`: our bot against a bare discord.py bot, side by side.

Each bot runs in its own process against its own sandbox process (so neither sees the other's
traffic), on loopback. Scenarios run one bot at a time, ours then bare, so both see the same machine
load at nearly the same moment; on a shared machine compare the ratios of one run, not absolute times.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.procs import BotProcess, SandboxProcess, cpu_seconds, peak_rss_mb
from bench.scenarios import run, scenarios, warm_up

MEMBERS = 5000

# The targets: (scenario kind, figure, limit, how): "max" is an absolute ceiling, "ratio" a
# ceiling on ours/bare, "min_ratio" a floor on ours/bare.
TARGETS: list[tuple[str, str, float, str]] = [
    ("dm", "cpu_ms_per_event", 2.5, "ratio"),
    ("next", "cpu_ms_per_event", 1.5, "ratio"),
    ("dm", "db_round_trips_per_event", 6, "max"),
    ("next", "db_round_trips_per_event", 2, "max"),
    ("next_burst", "throughput_per_s", 0.5, "min_ratio"),
    ("paced", "p99_ms", 50, "max"),
    ("startup", "ready_s", 2.0, "max"),
    ("startup", "peak_rss_mb", 100, "max"),
    ("", "lost", 0, "max"),
]


async def bench(quick: bool) -> dict[str, Any]:
    started = time.monotonic()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="nsscop-bench-") as directory:
        work = Path(directory)
        boxes = {
            name: await SandboxProcess.start(MEMBERS, work / f"sandbox-{name}.log")
            for name in ("ours", "bare")
        }
        bots: dict[str, BotProcess] = {}
        try:
            startup: dict[str, Any] = {}
            first_start: dict[str, float] = {}
            for name in ("ours", "bare"):
                first = await BotProcess.start(name, boxes[name], work)  # creates and migrates the database
                first_start[name] = round(first.ready_s, 2)
                await first.stop()
                bot = bots[name] = await BotProcess.start(name, boxes[name], work)  # a restart: what we time
                startup[name] = {
                    "ready_s": round(bot.ready_s, 2),
                    "cpu_ms": round(cpu_seconds(bot.pid) * 1000, 1),
                    "peak_rss_mb": round(peak_rss_mb(bot.pid), 1),
                    "first_start_ready_s": first_start[name],
                    "lost": 0,
                }
            results["startup"] = _with_ratio(startup, "ready_s", members=MEMBERS)
            for name in ("ours", "bare"):
                await warm_up(boxes[name], MEMBERS)
            for scenario in scenarios(quick):
                figures = {name: await run(scenario, bots[name], boxes[name]) for name in ("ours", "bare")}
                results[scenario.name] = _with_ratio(figures, "cpu_ms_per_event", label=scenario.label)
        finally:
            for bot in bots.values():
                await bot.stop()
            for box in boxes.values():
                await box.stop()
    return {
        "machine": machine(),
        "command": "python -m bench" + (" --quick" if quick else ""),
        "duration_s": round(time.monotonic() - started, 1),
        "scenarios": results,
        "targets": check_targets(results),
    }


def _with_ratio(figures: dict[str, Any], key: str, **extra: Any) -> dict[str, Any]:
    ours, bare = figures["ours"].get(key), figures["bare"].get(key)
    ratio = round(ours / bare, 2) if ours is not None and bare else None
    return {
        **extra,
        "ours": figures["ours"],
        "bare": figures["bare"],
        "ratio": ratio,
        "p99": figures["ours"].get("p99_ms"),
    }


def check_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    checked = []
    for name, result in results.items():
        for kind, figure, limit, how in TARGETS:
            if kind and kind not in (name, name.split("_")[0], name.split("_")[-1]):
                continue
            ours, bare = result["ours"].get(figure), result["bare"].get(figure)
            if ours is None:
                continue
            value = round(ours / bare, 2) if how != "max" and bare else ours
            met = value >= limit if how == "min_ratio" else value <= limit
            target = f"{'ours/bare ' if how != 'max' else ''}{figure} {'≥' if how == 'min_ratio' else '≤'} {limit:g}"
            checked.append({"scenario": name, "target": target, "value": value, "met": met})
    return checked


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_1m": round(os.getloadavg()[0], 2),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


COLUMNS = [
    ("handled", "handled"),
    ("lost", "lost"),
    ("p50_ms", "p50 ms"),
    ("p95_ms", "p95 ms"),
    ("p99_ms", "p99 ms"),
    ("throughput_per_s", "/s"),
    ("cpu_ms_per_event", "CPU ms/ev"),
    ("db_round_trips_per_event", "DB rt/ev"),
    ("peak_rss_mb", "RSS MB"),
    ("db_size_mb", "DB MB"),
]


def table(report: dict[str, Any]) -> str:
    lines = [f"{report['command']} on {report['machine']['cpus']} CPU(s), {report['machine']['cpu']}"]
    lines.append(f"load average at the end: {report['machine']['load_1m']}; took {report['duration_s']} s")
    header = f"{'scenario':<40}{'bot':<6}" + "".join(f"{title:>11}" for _, title in COLUMNS) + f"{'ratio':>8}"
    startup = report["scenarios"]["startup"]
    lines.append("")
    lines.append(
        f"restart to ready with {startup['members']} members, database at head "
        f"(ratio: ready time ours/bare = {startup['ratio']})"
    )
    for name in ("ours", "bare"):
        figures = startup[name]
        lines.append(
            f"  {name:<5} ready {figures['ready_s']:>5} s, CPU {figures['cpu_ms']:>7} ms, peak RSS "
            f"{figures['peak_rss_mb']} MB (first start, empty database: {figures['first_start_ready_s']} s)"
        )
    lines.append("")
    lines.append(header)
    for name, result in report["scenarios"].items():
        if name == "startup":
            continue
        for bot in ("ours", "bare"):
            figures = result[bot]
            cells = "".join(f"{_cell(figures.get(key)):>11}" for key, _ in COLUMNS)
            ratio = f"{result['ratio']:>8}" if bot == "ours" else ""
            lines.append(f"{(result['label'] if bot == 'ours' else ''):<40}{bot:<6}{cells}{ratio}")
    lines.append("")
    lines.append("targets (ratio = CPU ms per event, ours / bare, same run):")
    for target in report["targets"]:
        mark = "met" if target["met"] else "MISSED"
        lines.append(f"  {mark:<7}{target['scenario']:<12}{target['target']:<45}{target['value']}")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller scenarios, under 3 minutes")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    arguments = parser.parse_args()
    report = asyncio.run(bench(arguments.quick))
    print(table(report))
    if arguments.json:
        arguments.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bench [--quick] [--json FILE]`: our bot against a bare discord.py bot, side by side.

Each bot runs in its own process against its own sandbox process (so neither sees the other's
traffic), on loopback. Scenarios run one bot at a time, each scenario three times with the bots taking
turns to go first, so both see the same machine load at nearly the same moment; figures are the medians
of the three (events handled and lost: their sums), and ratios to the bare bot the medians of the three
ratios taken within a repetition. On a shared machine compare the ratios of one run,
not absolute times. After each repetition both bots are restarted, the database at head, and each
restart to ready is timed: its figures are the medians of those three restarts, and the repetition that
follows runs on the restarted processes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.procs import BotProcess, SandboxProcess, cpu_seconds, peak_rss_mb
from bench.scenarios import run, scenarios, warm_up

MEMBERS = 5000
BOTS = ("ours", "bare")
FULL_MEMBER_REQUEST_EVERY_S = 31.0  # Discord's op 8 limit for every member of a guild: once per 30 s
REPEATS = 3  # every scenario, alternating which bot goes first; figures are medians (see combine)
SUMMED = ("handled", "lost", "violations")
HIGHEST = ("peak_rss_mb", "db_size_mb")
RATIO_FIGURES = ("cpu_ms_per_event", "throughput_per_s")  # compared with the bare bot's

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
    plan = scenarios(quick)
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {s.name: {n: [] for n in BOTS} for s in plan}
    restarts: dict[str, list[dict[str, Any]]] = {name: [] for name in BOTS}
    with tempfile.TemporaryDirectory(prefix="nsscop-bench-") as directory:
        work = Path(directory)
        boxes = {name: await SandboxProcess.start(MEMBERS, work / f"sandbox-{name}.log") for name in BOTS}
        bots: dict[str, BotProcess] = {}
        started_at: dict[str, float] = {}
        try:
            first_start = {}
            for name in BOTS:  # the first start creates and migrates the database
                started_at[name] = time.monotonic()
                bots[name] = await BotProcess.start(name, boxes[name], work)
                first_start[name] = round(bots[name].ready_s, 2)
            for name in BOTS:
                await warm_up(boxes[name], MEMBERS)
            for repeat in range(REPEATS):
                order = BOTS if repeat % 2 == 0 else BOTS[::-1]  # neither bot always goes first
                for scenario in plan:
                    for name in order:
                        if not (scenario.ours_only and name == "bare"):
                            runs[scenario.name][name].append(await run(scenario, bots[name], boxes[name]))
                for name in order:
                    bots[name] = await _timed_restart(bots.pop(name), boxes[name], work, started_at)
                    restarts[name].append(_startup_figures(bots[name]))
                if repeat < REPEATS - 1:
                    for name in BOTS:
                        await warm_up(boxes[name], MEMBERS)
        finally:
            for bot in bots.values():
                await bot.stop()
            for box in boxes.values():
                await box.stop()
    startup = {
        name: {
            **combine(restarts[name]),
            "first_start_ready_s": first_start[name],
            "lost": 0,
            "restarts": restarts[name],
        }
        for name in BOTS
    }
    results: dict[str, Any] = {"startup": _with_ratio(startup, "ready_s", members=MEMBERS)}
    for scenario in plan:
        figures = {name: combine(runs[scenario.name][name]) for name in BOTS}
        ratios = paired_ratios(runs[scenario.name]["ours"], runs[scenario.name]["bare"])
        results[scenario.name] = _with_ratio(figures, "cpu_ms_per_event", ratios, label=scenario.label)
    return {
        "machine": machine(),
        "command": "python -m bench" + (" --quick" if quick else ""),
        "repeats": REPEATS,
        "duration_s": round(time.monotonic() - started, 1),
        "scenarios": results,
        "targets": check_targets(results),
    }


async def _timed_restart(
    bot: BotProcess, sandbox: SandboxProcess, work: Path, started_at: dict[str, float]
) -> BotProcess:
    """Stops `bot` and starts it again, the database at head. Discord answers a request for every member
    of a guild at most once per 30 s (op 8), which each start makes: a restart sooner waits."""
    await bot.stop()
    await asyncio.sleep(max(0.0, FULL_MEMBER_REQUEST_EVERY_S - (time.monotonic() - started_at[bot.name])))
    started_at[bot.name] = time.monotonic()
    return await BotProcess.start(bot.name, sandbox, work)


def _startup_figures(bot: BotProcess) -> dict[str, Any]:
    return {
        "ready_s": round(bot.ready_s, 2),
        "cpu_ms": round(cpu_seconds(bot.pid) * 1000, 1),
        "peak_rss_mb": round(peak_rss_mb(bot.pid), 1),
    }


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The repetitions of one scenario for one bot: events handled and lost added up, memory and
    database size at their highest, every other figure the median (one noisy run moves nothing)."""
    if not runs:
        return {}
    combined: dict[str, Any] = {"repeats": len(runs)}
    for key in runs[0]:
        values = [run[key] for run in runs if run[key] is not None]
        if key in SUMMED:
            combined[key] = sum(values)
        elif key in HIGHEST:
            combined[key] = max(values, default=None)
        else:
            combined[key] = round(statistics.median(values), 2) if values else None
    return combined


def paired_ratios(ours: list[dict[str, Any]], bare: list[dict[str, Any]]) -> dict[str, float]:
    """Per figure, the median over repetitions of ours / bare within one repetition: the two ran back
    to back, so what changes on the machine between repetitions cancels out."""
    found = {}
    for key in RATIO_FIGURES:
        pairs = [
            o[key] / b[key] for o, b in zip(ours, bare, strict=False) if o.get(key) is not None and b.get(key)
        ]
        if pairs:
            found[key] = round(statistics.median(pairs), 2)
    return found


def _with_ratio(
    figures: dict[str, Any], key: str, ratios: dict[str, float] | None = None, **extra: Any
) -> dict[str, Any]:
    """`ratio` is ours / bare for `key`: paired per repetition when `ratios` has it, else of the figures."""
    ours, bare = figures["ours"].get(key), figures["bare"].get(key)
    ratio = round(ours / bare, 2) if ours is not None and bare else None
    return {
        **extra,
        "ours": figures["ours"],
        "bare": figures["bare"],
        "ratio": (ratios or {}).get(key, ratio),
        "ratios": ratios or {},
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
            value = ours
            if how != "max" and bare:
                value = result.get("ratios", {}).get(figure, round(ours / bare, 2))
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


LABEL = 42  # the longest scenario label ("10 /community report table, one at a time") and a space
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
    lines.append(
        f"each scenario ran {report['repeats']} times per bot: events handled and lost are totals, the rest medians"
    )
    header = (
        f"{'scenario':<{LABEL}}{'bot':<6}" + "".join(f"{title:>11}" for _, title in COLUMNS) + f"{'ratio':>8}"
    )
    startup = report["scenarios"]["startup"]
    lines.append("")
    lines.append(
        f"restart to ready with {startup['members']} members, database at head, after each repetition: "
        f"medians, peak RSS the highest (ratio: ready time ours/bare = {startup['ratio']})"
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
            if not figures:
                lines.append(f"{'':<{LABEL}}{bot:<6}{'(no such command: nothing to compare)':>40}")
                continue
            cells = "".join(f"{_cell(figures.get(key)):>11}" for key, _ in COLUMNS)
            ratio = f"{_cell(result['ratio']):>8}" if bot == "ours" else ""
            lines.append(f"{(result['label'] if bot == 'ours' else ''):<{LABEL}}{bot:<6}{cells}{ratio}")
    lines.append("")
    lines.append("targets (ratio: ours / bare within each repetition, the median of the three):")
    for target in report["targets"]:
        mark = "met" if target["met"] else "MISSED"
        lines.append(f"  {mark:<7}{target['scenario']:<14}{target['target']:<45}{target['value']}")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller scenarios, under 3 minutes")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    arguments = parser.parse_args()
    report = asyncio.run(bench(arguments.quick))
    if arguments.json:
        arguments.json.write_text(json.dumps(report, indent=2) + "\n")
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

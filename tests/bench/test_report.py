"""bench/: the figures it derives (percentiles, ratios, targets) from what it measured."""

from __future__ import annotations

from typing import Any

import pytest

from bench.__main__ import LABEL, _with_ratio, check_targets, combine, paired_ratios, table
from bench.scenarios import percentile, scenarios


def _figures(**ours: Any) -> dict[str, Any]:
    return {
        "ours": {"lost": 0, **ours},
        "bare": {"lost": 0, "cpu_ms_per_event": 2.0, "throughput_per_s": 100.0},
    }


@pytest.mark.parametrize(("fraction", "expected"), [(0.0, 1.0), (0.5, 50.0), (0.99, 99.0), (1.0, 100.0)])
def test_percentile_picks_the_nearest_rank(fraction: float, expected: float) -> None:
    assert percentile([float(v) for v in range(100, 0, -1)], fraction) == expected


def test_percentile_of_nothing_is_none() -> None:
    assert percentile([], 0.99) is None


def test_ratio_is_ours_over_bare_and_p99_is_ours() -> None:
    result = _with_ratio(_figures(cpu_ms_per_event=5.0, p99_ms=12.5), "cpu_ms_per_event")

    assert (result["ratio"], result["p99"]) == (2.5, 12.5)


def test_a_dm_at_exactly_2_5_times_bare_meets_its_cpu_target() -> None:
    checked = check_targets({"dm_paced": _with_ratio(_figures(cpu_ms_per_event=5.0), "cpu_ms_per_event")})

    assert [c["met"] for c in checked if "cpu" in c["target"]] == [True]


def test_a_lost_event_misses_the_target() -> None:
    figures = _figures(cpu_ms_per_event=1.0)
    figures["ours"]["lost"] = 1

    checked = check_targets({"dm_burst": _with_ratio(figures, "cpu_ms_per_event")})

    assert [c["met"] for c in checked if c["target"].startswith("lost")] == [False]


def test_a_slow_slash_burst_misses_the_throughput_target() -> None:
    checked = check_targets(
        {"next_burst": _with_ratio(_figures(cpu_ms_per_event=1.0, throughput_per_s=40.0), "cpu_ms_per_event")}
    )

    assert [c["met"] for c in checked if "throughput" in c["target"]] == [False]


def test_quick_scenarios_are_smaller_than_the_full_ones() -> None:
    quick, full = scenarios(quick=True), scenarios(quick=False)

    assert [s.name for s in quick] == [s.name for s in full]
    assert all(q.events <= f.events for q, f in zip(quick, full, strict=True))


def test_the_table_shows_every_scenario_and_target() -> None:
    report = {
        "command": "python -m bench --quick",
        "machine": {"cpus": 2, "cpu": "test", "load_1m": 1.0},
        "duration_s": 1.0,
        "repeats": 3,
        "scenarios": {
            "startup": _with_ratio(
                {
                    "ours": {"ready_s": 1.0, "cpu_ms": 1.0, "peak_rss_mb": 90.0, "first_start_ready_s": 2.0},
                    "bare": {"ready_s": 1.0, "cpu_ms": 1.0, "peak_rss_mb": 50.0, "first_start_ready_s": 1.0},
                },
                "ready_s",
                members=5000,
            ),
            "dm_paced": _with_ratio(
                _figures(cpu_ms_per_event=3.0), "cpu_ms_per_event", label="200 DM questions"
            ),
            "report_csv": _with_ratio(
                {"ours": {"lost": 0, "cpu_ms_per_event": 40.0}, "bare": {}},
                "cpu_ms_per_event",
                label="2 /community report csv",
            ),
        },
        "targets": [{"scenario": "dm_paced", "target": "lost ≤ 0", "value": 0, "met": True}],
    }

    printed = table(report)

    assert "200 DM questions" in printed
    assert "2 /community report csv" in printed
    assert "restart to ready with 5000 members" in printed
    assert "lost ≤ 0" in printed


def _run(cpu: float, handled: int, lost: int, rss: float) -> dict[str, Any]:
    return {"handled": handled, "lost": lost, "cpu_ms_per_event": cpu, "peak_rss_mb": rss, "p99_ms": None}


def test_repetitions_add_up_events_and_take_the_median_of_the_rest() -> None:
    combined = combine([_run(3.0, 100, 0, 90.0), _run(9.0, 99, 1, 95.0), _run(4.0, 100, 0, 92.0)])

    assert combined == {
        "repeats": 3,
        "handled": 299,
        "lost": 1,
        "cpu_ms_per_event": 4.0,
        "peak_rss_mb": 95.0,
        "p99_ms": None,
    }


def test_a_scenario_the_bare_bot_cannot_run_has_no_ratio() -> None:
    result = _with_ratio({"ours": {"cpu_ms_per_event": 40.0}, "bare": combine([])}, "cpu_ms_per_event")

    assert result["ratio"] is None


def test_the_ratio_is_the_median_of_the_ratios_within_each_repetition() -> None:
    ours = [{"cpu_ms_per_event": 2.0}, {"cpu_ms_per_event": 3.0}, {"cpu_ms_per_event": 9.0}]
    bare = [{"cpu_ms_per_event": 1.0}, {"cpu_ms_per_event": 2.0}, {"cpu_ms_per_event": 3.0}]

    assert paired_ratios(ours, bare) == {"cpu_ms_per_event": 2.0}


def test_a_target_on_a_ratio_reads_the_paired_ratio() -> None:
    figures = _figures(cpu_ms_per_event=4.0)  # 2.0× of the medians
    result = _with_ratio(figures, "cpu_ms_per_event", {"cpu_ms_per_event": 1.4})

    (cpu,) = [c for c in check_targets({"next_burst": result}) if "cpu" in c["target"]]
    assert (cpu["value"], cpu["met"]) == (1.4, True)


def test_each_scenario_label_fits_its_column() -> None:
    labels = [s.label for quick in (True, False) for s in scenarios(quick)]

    assert max(len(label) for label in labels) < LABEL

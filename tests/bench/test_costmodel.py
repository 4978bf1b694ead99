"""The snapshot-interval cost model: its terms, its optimum, and its measured inputs."""

from __future__ import annotations

import math

import pytest

from helpers.bench.costmodel import (
    UnitCosts,
    Workload,
    cost_table,
    daily_cost_ms,
    events_replayed_per_load,
    formula_interval,
    measure_unit_costs,
    plot_cost_curve,
    slowest_load_ms,
    suggest_interval,
    time_snapshot_write,
)

COSTS = UnitCosts(replay_us_per_event=10.0, snapshot_write_us=60.0, source="example")


def test_a_load_replays_half_an_interval_on_average_once_a_snapshot_exists():
    assert events_replayed_per_load(101, history_length=10_000) == 50


def test_without_a_snapshot_a_load_replays_the_whole_history():
    assert events_replayed_per_load(None, history_length=500) == 500
    assert events_replayed_per_load(600, history_length=500) == 500


def test_daily_cost_adds_replay_on_load_and_snapshot_writes():
    workload = Workload(events_per_day=100, loads_per_day=10, history_length=5_000)
    cost = daily_cost_ms(11, workload, COSTS)
    assert cost["replay"] == pytest.approx(10 * 5 * 10.0 / 1_000)
    assert cost["snapshot writes"] == pytest.approx(100 / 11 * 60.0 / 1_000)
    assert cost["total"] == pytest.approx(cost["replay"] + cost["snapshot writes"])


def test_the_search_finds_the_whole_interval_next_to_the_calculus_optimum():
    workload = Workload(events_per_day=2_000, loads_per_day=20, history_length=50_000)
    suggestion = suggest_interval(workload, COSTS)
    assert suggestion.formula == pytest.approx(math.sqrt(2 * 2_000 * 60 / (20 * 10)))
    assert abs(suggestion.interval - suggestion.formula) <= 1
    for neighbour in (suggestion.interval - 1, suggestion.interval + 1):
        assert daily_cost_ms(neighbour, workload, COSTS)["total"] >= suggestion.daily_ms


def test_a_tiny_history_that_is_rarely_loaded_is_cheapest_without_snapshots():
    workload = Workload(events_per_day=50, loads_per_day=1, history_length=3)
    suggestion = suggest_interval(workload, COSTS)
    assert suggestion.interval is None
    assert suggestion.daily_ms == suggestion.no_snapshot_daily_ms
    assert "no snapshots" in str(suggestion)


def test_a_latency_budget_rules_out_intervals_whose_slowest_load_is_too_slow():
    workload = Workload(events_per_day=100_000, loads_per_day=1, history_length=1_000_000)
    free = suggest_interval(workload, COSTS)
    budgeted = suggest_interval(workload, COSTS, latency_budget_ms=1.0)
    assert slowest_load_ms(free.interval, workload, COSTS) > 1.0
    assert budgeted.slowest_load_ms <= 1.0 < slowest_load_ms(budgeted.interval + 1, workload, COSTS)
    assert "latency budget" in budgeted.reason


def test_an_impossible_latency_budget_is_refused_with_the_reason():
    workload = Workload(events_per_day=10, loads_per_day=10, history_length=100)
    with pytest.raises(ValueError, match="latency"):
        suggest_interval(workload, COSTS, latency_budget_ms=-1)


def test_nothing_loaded_means_the_formula_says_never_snapshot():
    assert formula_interval(Workload(10, 0, 100), COSTS) == math.inf


def test_the_cost_table_has_one_row_per_interval_and_names_no_snapshots_never():
    workload = Workload(events_per_day=10, loads_per_day=10, history_length=100)
    frame = cost_table(workload, COSTS, [None, 1, 10])
    assert list(frame["snapshot every"]) == ["never", 1, 10]
    assert list(frame.columns) == [
        "snapshot every",
        "replay (ms/day)",
        "snapshot writes (ms/day)",
        "total (ms/day)",
        "slowest load (ms)",
    ]


@pytest.mark.parametrize(
    "bad",
    [
        dict(replay_us_per_event=0, snapshot_write_us=1),
        dict(replay_us_per_event=1, snapshot_write_us=-1),
    ],
)
def test_unit_costs_must_be_positive(bad):
    with pytest.raises(ValueError, match="positive"):
        UnitCosts(source="example", **bad)


def test_a_workload_needs_at_least_one_event_of_history():
    with pytest.raises(ValueError):
        Workload(events_per_day=1, loads_per_day=1, history_length=0)


def test_measured_unit_costs_come_from_the_benchmark_and_are_positive():
    costs = measure_unit_costs(history_length=200, snapshot_writes=50, repeats=1)
    assert costs.replay_us_per_event > 0 and costs.snapshot_write_us > 0
    assert "helpers.bench" in costs.source


def test_a_snapshot_write_is_timed_with_the_hybrid_store_code(tmp_path):
    assert time_snapshot_write(tmp_path / "w.db", writes=20, repeats=2) > 0


def test_an_optimum_of_one_reads_as_a_snapshot_on_every_save_and_clears_the_y_axis():
    import matplotlib.pyplot as plt

    workload = Workload(40, 500, 3_000)  # a student's parameters: the optimum is N = 1
    costs = UnitCosts(replay_us_per_event=10.0, snapshot_write_us=50.0, source="example")
    suggestion = suggest_interval(workload, costs)
    assert suggestion.interval == 1
    assert "a snapshot on every save" in str(suggestion)
    figure, ax = plt.subplots()
    plot_cost_curve(workload, costs, title="optimum 1", ax=ax)
    assert "optimum: on every save" in ax.get_legend_handles_labels()[1]
    assert ax.get_xlim()[0] < 1  # the optimum's line is not drawn on the y-axis
    plt.close(figure)

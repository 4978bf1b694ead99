"""The cost explorer's model: its terms, its optimum, and unit costs taken only from tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.bench.explorer import (
    ExplorerUnits,
    costs_at,
    explorer_choices,
    explorer_units,
    optimum_interval,
)

UNITS = ExplorerUnits("sqlite", "json", 5.0, 30.0, 200.0, 20.0, 200.0, 150.0, "example")


def test_a_load_replays_half_an_interval_once_a_snapshot_exists_and_everything_before():
    assert costs_at(UNITS, 1_000, 101, 1.0).events_replayed == 50
    assert costs_at(UNITS, 1_000, 2_000, 1.0).events_replayed == 1_000
    assert costs_at(UNITS, 1_000, None, 1.0).events_replayed == 1_000


def test_the_time_per_event_written_is_the_write_plus_its_share_of_loads():
    cost = costs_at(UNITS, 10_000, 10, 3.0)
    assert cost.load_us == pytest.approx(30.0 + 4.5 * 5.0)
    assert cost.write_us == pytest.approx(200.0 + 20.0 / 10)
    assert cost.total_us == pytest.approx(cost.write_us + 3.0 * cost.load_us)
    assert cost.storage_bytes == pytest.approx(10_000 * 200.0 + 1_000 * 150.0)


def test_the_optimum_sits_next_to_the_calculus_answer_and_beats_its_neighbours():
    best = optimum_interval(UNITS, 100_000, 0.02)
    assert abs(best.interval - math.sqrt(2 * 20.0 / (0.02 * 5.0))) <= 1
    for neighbour in (best.interval - 1, best.interval + 1):
        assert costs_at(UNITS, 100_000, neighbour, 0.02).total_us >= best.total_us


def test_an_account_that_is_never_loaded_is_cheapest_without_snapshots():
    assert optimum_interval(UNITS, 10_000, 0.0).interval is None


def test_more_loads_per_write_move_the_optimum_to_shorter_intervals():
    few = optimum_interval(UNITS, 100_000, 0.01).interval
    many = optimum_interval(UNITS, 100_000, 1.0).interval
    assert many < few


def test_a_unit_cost_the_run_did_not_measure_is_refused_not_guessed():
    units = pd.DataFrame(
        [
            {"engine": "sqlite", "codec": "json", "replay_us_per_event": 5.0,
             "load_fixed_us": math.nan, "write_us_per_event": 200.0, "snapshot_write_us": 20.0,
             "bytes_per_event": 200.0, "bytes_per_snapshot": 150.0},
        ]
    )  # fmt: skip
    with pytest.raises(ValueError, match="load_fixed_us not measured"):
        explorer_units(units, "sqlite", "json", "a run without snapshots")
    with pytest.raises(ValueError, match="no unit costs for sqlite/msgspec"):
        explorer_units(units, "sqlite", "msgspec", "a run")
    assert explorer_choices({"this run": units}) == {}

"""The side-by-side engine measurement: checked loads, one table shape for both engines, and
concurrent writer processes that conflict only when they share an account."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest

from helpers.bench.config import BenchParameterError
from helpers.bench.engines import (
    EngineComparison,
    EngineSettings,
    about,
    compare_engines,
    replay_breakdown,
    settings_from,
    summary_lines,
    time_checked_loads,
    write_tables,
)
from helpers.bench.measure import WrongLoad
from helpers.bench.side_by_side import _ints, _names
from helpers.samples.workload import build_account

TINY = EngineSettings(
    lengths=(10, 100, 300),
    repeats=2,
    writes=10,
    memory_lengths=(200, 800),
    writers=(1, 2),
    seconds=0.3,
)


@pytest.fixture(scope="module")
def both_engines(tmp_path_factory, server_stores):
    url = server_stores.create()
    stores = {"sqlite": tmp_path_factory.mktemp("engines") / "engines.db", "postgres": url}
    yield compare_engines(stores, TINY, progress=False)
    server_stores.drop(url)


def test_every_table_has_one_row_per_engine_and_setting(both_engines):
    c = both_engines
    assert list(c.replay["engine"]) == ["sqlite"] * 3 + ["postgres"] * 3
    assert list(c.replay["events"]) == [10, 100, 300] * 2
    assert list(c.snapshot_load["engine"]) == list(c.writes["engine"]) == ["sqlite", "postgres"]
    assert list(c.memory["events"]) == [200, 800] * 2
    assert len(c.concurrency) == 2 * 2 * 2  # engines x writer counts x (distinct, shared)
    assert set(c.tables) == {"replay", "snapshot_load", "writes", "memory", "concurrency"}


def test_every_timing_is_a_median_between_its_fastest_and_slowest_checked_load(both_engines):
    for table in (both_engines.replay, both_engines.snapshot_load):
        assert (table["min_us"] <= table["median_us"]).all()
        assert (table["median_us"] <= table["max_us"]).all()
        assert (table["repeats"] >= TINY.repeats).all()
    assert both_engines.checked_loads >= 2 * (3 + 1) * TINY.repeats + 4


def test_writers_on_accounts_of_their_own_never_conflict(both_engines):
    c = both_engines.concurrency
    assert (c["saved"] > 0).all()
    alone = (c["accounts"] == "distinct") | (c["writers"] == 1)
    assert (c.loc[alone, "conflicts"] == 0).all()
    assert (c["conflicts_per_1000"] == 1000 * c["conflicts"] / (c["saved"] + c["conflicts"])).all()


def test_the_ratios_divide_postgresql_by_sqlite_for_each_headline_measure(both_engines):
    ratios = both_engines.ratios()
    assert list(ratios["measure"]) == [
        "replay of 300 events (us)",
        "snapshot load (us)",
        "write per command (us)",
        "replay memory at 800 events (bytes)",
        "2 writers, distinct accounts (commands/s)",
        "2 writers, one shared account (commands/s)",
    ]
    assert (ratios["postgres / sqlite"] == ratios["postgres"] / ratios["sqlite"]).all()
    lines = summary_lines(both_engines)
    assert len(lines) == 6
    assert all("SQLite ≈ " in line and "PostgreSQL / SQLite ≈ " in line for line in lines)


def test_the_tables_are_written_as_csv_with_an_engine_column(both_engines, tmp_path):
    files = write_tables(both_engines, tmp_path)
    assert sorted(p.name for p in files) == sorted(
        f"engines_{name}.csv"
        for name in ("replay", "snapshot_load", "writes", "memory", "concurrency", "ratios")
    )
    assert "engine" in pd.read_csv(tmp_path / "engines_replay.csv").columns


def test_a_load_that_returns_the_wrong_account_is_never_timed():
    wrong = build_account("x", 11, seed=3)
    with pytest.raises(WrongLoad, match="never reported as a timing"):
        time_checked_loads(lambda: wrong, 10, 3, 2, "a wrong load")


def test_the_breakdown_separates_the_fixed_cost_from_the_cost_per_event():
    replay = pd.DataFrame(
        {"engine": ["postgres"] * 3, "events": [10, 100, 1_000], "median_us": [500.0, 700, 2_500]}
    )
    snapshot = pd.DataFrame({"engine": ["postgres"], "median_us": [150.0]})
    empty = pd.DataFrame()
    comparison = EngineComparison(replay, snapshot, empty, empty, empty, checked_loads=0)
    [row] = replay_breakdown(comparison).to_dict("records")
    assert row["fixed_us"] == 500
    assert row["us_per_event"] == pytest.approx(2.0)
    assert row["history_outweighs_fixed_at"] == pytest.approx(250)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12.34, "us", "≈ 12.3 us"),
        (12_340, "us", "≈ 12.34 ms"),
        (2_500_000, "us", "≈ 2.50 s"),
        (9_600, "bytes", "≈ 9.6 KB"),
        (2_500_000, "bytes", "≈ 2.50 MB"),
        (0.5, "x", "≈ 0.50x"),
        (1_234.4, " commands/s", "≈ 1,234 commands/s"),
    ],
)
def test_measured_numbers_are_marked_as_approximate_with_their_unit(value, unit, text):
    assert about(value, unit) == text


def test_the_command_line_refuses_an_unknown_engine():
    assert _names("sqlite, postgres") == ("sqlite", "postgres")
    with pytest.raises(argparse.ArgumentTypeError, match="mysql"):
        _names("sqlite,mysql")


@pytest.mark.parametrize("text", ["100,000", "0", "10,-5", "ten", ""])
def test_the_command_line_refuses_lengths_that_are_not_positive_whole_numbers(text):
    with pytest.raises(argparse.ArgumentTypeError, match="whole numbers"):
        _ints(text)


def test_the_command_line_reads_underscores_in_long_lengths():
    assert _ints("10, 100_000") == (10, 100_000)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("lengths", (100, 0), "not 100,000"),
        ("memory_lengths", (), "at least one"),
        ("writers", (0,), "positive count"),
        ("repeats", 0, "positive count"),
        ("writes", -1, "positive count"),
        ("seconds", 0.0, "positive duration"),
    ],
)
def test_settings_that_would_fail_mid_run_are_refused_naming_the_parameter(field, value, problem):
    with pytest.raises(BenchParameterError, match=problem) as refused:
        EngineSettings(**{field: value})
    assert refused.value.name == field


def test_notebook_parameters_that_are_not_numbers_are_refused_in_one_line():
    with pytest.raises(BenchParameterError, match="not a list of whole numbers"):
        settings_from("10,ten", "100", 10, "1", 0.2)
    with pytest.raises(BenchParameterError, match="seconds"):
        settings_from("10", "100", 10, "1", "soon")

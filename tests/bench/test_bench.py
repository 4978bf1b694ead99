"""The benchmark harness: it refuses wrong loads, writes self-describing CSV, and judges the
targets from its own numbers. No timing is asserted: only shapes, checks and bookkeeping."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pandas as pd
import pytest

from helpers.bench import WrongLoad, check_load, preset, run
from helpers.bench.__main__ import main, parse_args
from helpers.bench.config import BenchConfig
from helpers.bench.histories import add_snapshots, generate, store
from helpers.bench.measure import adaptive_repeats, time_load
from helpers.bench.report import fit_costs, read_header, read_tables, write_plots, write_tables
from helpers.bench.targets import judge, verdict_lines
from helpers.samples.workload import Expected


@pytest.fixture(scope="module")
def tiny_results():
    """One end-to-end run of a cut-down tiny preset, shared by the tests below."""
    config = preset("tiny").with_overrides(lengths=(10, 1_000, 2_000), repeats=1)
    return run(config, progress=False)


def test_a_load_with_the_wrong_balance_is_refused():
    history = generate(20, seed=1)
    wrong = Expected(history.expected.balance + 1, history.expected.version, "open")
    from helpers.domain.account import Account

    with pytest.raises(WrongLoad, match="expected"):
        check_load(Account(history.state), wrong, "test")


def test_a_tampered_database_makes_the_timed_load_raise_instead_of_report(tmp_path):
    history = generate(50, seed=2)
    path = tmp_path / "events.db"
    store(history, path, "event-sourced", None)
    conn = sqlite3.connect(path)
    text = conn.execute("SELECT payload FROM events WHERE event_type = 'MoneyDeposited'").fetchone()
    data = json.loads(text[0])
    with conn:
        conn.execute(
            "UPDATE events SET payload = ? WHERE version = ?",
            (json.dumps({**data, "amount": data["amount"] + 1}), data["version"]),
        )
    conn.close()
    with pytest.raises(WrongLoad):
        time_load(path, "event-sourced", None, "json", history.expected, repeats=1)


def test_the_fast_hybrid_setup_stores_the_same_rows_as_saving_through_the_repository(tmp_path):
    history = generate(95, seed=3)
    saved, events_file, copied = (tmp_path / name for name in ("a.db", "e.db", "b.db"))
    store(history, saved, "hybrid", 10)
    store(history, events_file, "event-sourced", None)
    add_snapshots(history, events_file, copied, 10)

    def rows(path, table):
        conn = sqlite3.connect(path)
        try:
            return conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        finally:
            conn.close()

    assert rows(saved, "snapshots") == rows(copied, "snapshots")
    assert [r[1] for r in rows(saved, "snapshots")] == list(range(10, 91, 10))
    assert rows(saved, "events") == rows(copied, "events")


def test_the_tiny_preset_runs_end_to_end_and_every_load_is_checked(tiny_results):
    loads = tiny_results["loads"]
    assert set(loads["variant"]) == {"snapshot", "event-sourced", "hybrid-10", "hybrid-100"}
    assert set(loads["codec"]) == {"json", "msgspec"}
    latest = loads[loads["load"] == "latest"]
    assert len(latest) == 4 * 3 * 2  # variants x lengths x codecs
    es = latest[latest["variant"] == "event-sourced"]
    assert (es["events_replayed"] == es["events"]).all()
    assert (latest[latest["variant"] == "snapshot"]["events_replayed"] == 0).all()
    worst = loads[loads["load"] == "worst tail"]
    assert set(worst["events_replayed"]) == {9, 99}
    assert (loads["min_us"] <= loads["median_us"]).all()
    assert (loads["median_us"] <= loads["max_us"]).all()


def test_the_run_measures_writes_storage_memory_breakdown_and_the_library(tiny_results):
    assert len(tiny_results["writes"]) == 4 * 2
    assert (tiny_results["storage"]["table_bytes"] > 0).all()
    memory = tiny_results["memory"]
    assert set(memory["how"]) == {"streamed load", "materialised list"}
    stages = set(tiny_results["breakdown"]["stage"])
    assert {"fetch rows", "parse JSON", "build events", "apply evolve", "full replay"} <= stages
    assert list(tiny_results["library"]["events"]) == [10]


def test_flat_strategies_are_compared_in_alternation_between_1000_events_and_the_largest(
    tiny_results,
):
    flatness = tiny_results["flatness"]
    assert set(flatness["variant"]) == {"snapshot", "hybrid-10", "hybrid-100"}
    assert set(flatness["base_events"]) == {1_000} and set(flatness["events"]) == {2_000}
    ratio = flatness["median_us"] / flatness["base_median_us"]
    assert (abs(ratio - flatness["ratio"]) < 1e-9).all()
    targets = tiny_results["targets"].set_index("target")
    assert "alternation" in targets.loc["snapshot load flat in history length", "detail"]


def test_the_csv_files_start_with_the_environment_and_read_back(tiny_results, tmp_path):
    written = write_tables(tiny_results, tmp_path)
    assert {p.name for p in written} >= {"loads.csv", "targets.csv", "breakdown.csv"}
    header = read_header(tmp_path / "loads.csv")
    for key in ("cpu", "python", "sqlite", "msgspec", "eventsourcing", "load_average_at_start"):
        assert header[key]
    assert header["preset"] == "tiny"
    tables = read_tables(tmp_path)
    pd.testing.assert_frame_equal(
        tables["loads"][["variant", "events"]],
        tiny_results["loads"][["variant", "events"]],
    )


def test_the_plots_are_written_as_png_files(tiny_results, tmp_path):
    files = write_plots(tiny_results, tmp_path)
    assert files
    for path in files:
        assert path.read_bytes()[:4] == b"\x89PNG"


def _loads(rows):
    columns = ["variant", "codec", "events", "median_us", "min_us"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["load"] = "latest"
    return frame


def test_targets_pass_or_miss_by_their_limits_and_say_what_was_not_measured():
    loads = _loads(
        [
            ("event-sourced", "json", 100_000, 400_000.0, 390_000.0),  # 4 us/event: pass
            ("event-sourced", "msgspec", 100_000, 200_000.0, 190_000.0),  # 2 us/event: miss
            ("snapshot", "json", 1_000, 10.0, 9.0),
            ("snapshot", "json", 100_000, 20.0, 18.0),  # 2x: miss
        ]
    )
    memory = pd.DataFrame(
        [("event-sourced", "json", 100_000, "streamed load", 0.01)],
        columns=["variant", "codec", "events", "how", "peak_mb"],
    )
    table = judge(loads, memory, pd.DataFrame()).set_index("target")
    status = table["status"].to_dict()
    assert status["event-sourced full replay at 100,000 events, json codec"] == "PASS"
    assert status["event-sourced full replay at 100,000 events, msgspec codec"] == "MISS"
    assert status["snapshot load flat in history length"] == "MISS"
    assert table.loc["snapshot load flat in history length", "measured"] == pytest.approx(2.0)
    assert status["hybrid-100 load flat in history length"] == "not measured"
    assert status["event-sourced load memory at 100,000 events"] == "PASS"
    lines = verdict_lines(table.reset_index())
    assert any(line.startswith("MISS") and "2 us/event" in line for line in lines)


def test_the_library_ratio_compares_the_same_history_length():
    loads = _loads([("event-sourced", "json", 1_000, 4_000.0, 3_900.0)])
    library = pd.DataFrame([{"events": 1_000, "median_us": 20_000.0}])
    memory = pd.DataFrame(columns=["variant", "codec", "events", "how", "peak_mb"])
    table = judge(loads, memory, library)
    row = table[table["target"].str.contains("library") & table["target"].str.contains("json")]
    assert row["measured"].iloc[0] == pytest.approx(5.0)
    assert row["status"].iloc[0] == "INFO"


def test_the_fit_recovers_a_linear_cost_and_a_flat_one():
    lengths = np.array([1_000, 10_000, 100_000])
    loads = _loads(
        [("event-sourced", "json", n, 50 + 3.0 * n, 0.0) for n in lengths]
        + [("snapshot", "json", n, 20.0, 0.0) for n in lengths]
    )
    fits = fit_costs(loads).set_index("variant")
    assert fits.loc["event-sourced", "fitted_us_per_event"] == pytest.approx(3.0)
    assert 0.9 < fits.loc["event-sourced", "loglog_slope"] <= 1.0
    assert fits.loc["snapshot", "loglog_slope"] == pytest.approx(0.0, abs=1e-9)


def test_fast_loads_get_more_repeats_and_slow_ones_keep_the_configured_number():
    assert adaptive_repeats(3, 20_000) == 200
    assert adaptive_repeats(3, 5_000_000) == 10
    assert adaptive_repeats(3, 2_000_000_000) == 3


def test_the_command_line_reads_lists_and_refuses_unknown_names():
    args = parse_args(["--lengths", "10,1_000", "--codecs", "json", "--intervals", "7"])
    assert args.lengths == (10, 1_000)
    assert args.codecs == ("json",)
    with pytest.raises(ValueError, match="unknown strategies"):
        BenchConfig(strategies=("cache",))


def test_the_command_line_writes_csv_and_png_into_the_out_folder(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(
        ["--preset", "tiny", "--lengths", "10,100", "--codecs", "json", "--strategies",
         "event-sourced,snapshot", "--repeats", "1", "--out", str(out), "--no-progress"]
    )  # fmt: skip
    assert code == 0
    assert (out / "loads.csv").exists() and (out / "load_vs_length.png").exists()
    printed = capsys.readouterr().out
    assert "not measured" in printed and "wrote" in printed

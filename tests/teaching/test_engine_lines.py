"""Notebook 09's sentences, table and ratio chart say what the numbers given to them say."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from helpers.bench.engine_figures import rate_ticks
from helpers.bench.engines import EngineComparison
from helpers.bench.marks import as_text
from helpers.teaching import (
    conflict_rate_lines,
    fixed_part_lines,
    plot_concurrency,
    plot_engine_ratios,
    ratio_lines,
    replay_shape_lines,
    round_trip_table,
    writer_lines,
)
from helpers.teaching.figures.engines import ratio_bars

matplotlib.use("Agg")


def comparison(engines=("sqlite", "postgres"), postgres_round_seconds=0.2) -> EngineComparison:
    """Round numbers: PostgreSQL's fixed part 1,000 us, snapshot load 200 us, 10 us per event;
    SQLite's fixed part 100 us, snapshot load 20 us, 5 us per event."""
    fixed = {"sqlite": 100.0, "postgres": 1_000.0}
    per_event = {"sqlite": 5.0, "postgres": 10.0}
    snapshot = {"sqlite": 20.0, "postgres": 200.0}
    replay, rounds = [], []
    for engine in engines:
        for events in (10, 100, 1_000):
            cost = fixed[engine] + per_event[engine] * (events - 10)
            replay.append({"engine": engine, "events": events, "median_us": cost, "repeats": 5})
        for writers in (1, 4):
            for sharing, saved, conflicts in (("distinct", 100, 0), ("shared", 25, 75)):
                scale = 10 if engine == "sqlite" else 1
                seconds = 0.2 if engine == "sqlite" else postgres_round_seconds
                rounds.append(
                    {
                        "engine": engine,
                        "writers": writers,
                        "accounts": sharing,
                        "seconds": seconds,
                        "saved": saved * scale,
                        "conflicts": conflicts * scale if writers > 1 else 0,
                        "commands_per_s": saved * scale / seconds,
                        "conflicts_per_1000": 750.0 if writers > 1 and conflicts else 0.0,
                    }
                )
    return EngineComparison(
        replay=pd.DataFrame(replay),
        snapshot_load=pd.DataFrame(
            [
                {"engine": e, "events": 1_000, "median_us": snapshot[e], "repeats": 5}
                for e in engines
            ]
        ),
        writes=pd.DataFrame(
            [
                {"engine": e, "commands": 40, "us_per_command": 100.0 * (1 + 9 * (e == "postgres"))}
                for e in engines
            ]
        ),
        memory=pd.DataFrame(
            [
                {"engine": e, "events": n, "peak_bytes": 4_000.0 if e == "sqlite" else 200_000.0}
                for e in engines
                for n in (1_000, 4_000)
            ]
        ),
        concurrency=pd.DataFrame(rounds),
        checked_loads=0,
    )


def text(lines: list[str]) -> str:
    return "\n".join(as_text(line) for line in lines)


def test_the_ratio_sentences_give_this_runs_ratios():
    said = text(ratio_lines(comparison()))
    assert "a snapshot load cost 10 times as much on the server" in said
    assert "a write cost 10 times as much" in said
    assert "grew 1.0 times on PostgreSQL, 1.0 times on SQLite" in said
    assert "saved 0.1 times as many commands per second on the server" in said


def test_the_ratio_sentences_say_so_when_postgres_was_not_measured():
    assert "PostgreSQL was not measured" in text(ratio_lines(comparison(("sqlite",))))


def test_the_replay_growth_is_computed_per_step():
    said = text(replay_shape_lines(comparison()))
    assert (
        "from 10 to 100 events (10 times the history) 1.9 times as long" in said
    )  # PG: 1,900 / 1,000
    assert "PostgreSQL / SQLite: 10 at 10 events" in said


def test_a_snapshot_pays_off_once_the_skipped_events_cost_more_than_the_snapshot_load():
    said = text(fixed_part_lines(comparison()))
    assert "PostgreSQL: a replay of 10 events took 1.00 ms, 5.0 times a snapshot load" in said
    assert "beats a full replay once it skips 20 events" in said  # 200 us / 10 us
    table = round_trip_table(comparison()).set_index("server")
    assert list(table["a snapshot pays off from (events skipped)"]) == ["20", "70", "220"]


def test_rounds_that_ran_longer_than_asked_are_named():
    assert "asked: none" in text(writer_lines(comparison(), "0.2"))
    said = text(writer_lines(comparison(postgres_round_seconds=0.45), 0.2))
    assert "PostgreSQL, 4 writers, distinct accounts (0.45 s)" in said
    assert "PostgreSQL, 1 writer, distinct accounts (0.45 s)" in said


def test_conflicts_are_counted_per_attempted_command():
    said = text(conflict_rate_lines(comparison()))
    assert "750 conflicts per 1,000 attempted commands (75 refused, 25 saved)" in said


def test_the_ratio_chart_turns_throughput_into_a_cost_so_every_bar_reads_alike():
    bars = {label: (ratio, kind) for label, ratio, kind in ratio_bars(comparison())}
    ratio, kind = bars["4 writers, distinct accounts: time per saved command"]
    assert ratio == pytest.approx(10.0) and kind == "writers"
    assert bars["snapshot load"] == (pytest.approx(10.0), "time")


@pytest.mark.parametrize("engines", [("sqlite", "postgres"), ("sqlite",)])
def test_the_figures_draw_with_one_engine_or_two(engines):
    plot_engine_ratios(comparison(engines))
    plot_concurrency(comparison(engines))
    matplotlib.pyplot.close("all")


def test_the_fixed_part_sentence_names_the_lengths_its_numbers_come_from():
    said = text(fixed_part_lines(comparison()))
    assert "times a snapshot load at 1,000 events" in said
    assert "(fitted from 100 to 1,000 events)" in said


def test_the_ratio_bars_compare_the_replay_length_the_sentences_name():
    labels = [label for label, _, _ in ratio_bars(comparison(), replay_events=100)]
    assert "replay of 100 events" in labels
    assert "replay of 1,000 events" not in labels


@pytest.mark.parametrize(("low", "high"), [(2_318.0, 2_806.0), (159.0, 2_244.0), (437.0, 647.0)])
def test_the_writers_rate_axis_labels_at_least_two_values_within_reach_of_the_data(low, high):
    ticks = rate_ticks(low, high)
    assert len(ticks) >= 2
    assert all(low / 1.25 <= tick <= high * 1.25 for tick in ticks)


def test_the_writers_plot_has_a_title_no_run_can_contradict_and_labelled_rate_ticks():
    plot_concurrency(comparison())
    rate_ax = matplotlib.pyplot.gcf().axes[0]
    matplotlib.pyplot.gcf().canvas.draw()
    labels = [t.get_text() for t in rate_ax.get_yticklabels() if t.get_text()]
    assert rate_ax.get_title() == "Commands saved per second"
    assert len(labels) >= 2
    matplotlib.pyplot.close("all")

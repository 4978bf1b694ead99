"""The figures of 07 and 08 draw what the stores and the records say, onto the Axes given."""

from __future__ import annotations

import importlib
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from helpers.bench.costmodel import UnitCosts, Workload
from helpers.domain import TickingClock
from helpers.samples import create_legacy_database
from helpers.storage import HybridRepository, rebuild_all_snapshots
from helpers.teaching.exercises.decision_record import DecisionRecord
from helpers.teaching.figures import plot_schema_history, plot_strategy_map, schema_history


@pytest.fixture
def grace_after_the_deploy(tmp_path):
    """Grace's release-1 rows in a hybrid, plus one deposit written by today's code."""
    create_legacy_database(tmp_path / "hybrid.db")
    with HybridRepository(tmp_path / "hybrid.db") as repo:
        grace = repo.load("acc-grace")
        grace.clock = TickingClock()
        grace.deposit(5_000, "after the deploy")
        repo.save(grace)
        yield repo


def test_the_history_reads_which_rows_the_codec_upcasts_and_which_snapshot_it_refuses(
    grace_after_the_deploy,
):
    history = schema_history(grace_after_the_deploy, "acc-grace")
    assert len(history.events) == 49 and history.current_schema == 2
    assert sum(row.upcast for row in history.events) == 47  # every money event of release 1
    assert history.events[0].kind == "AccountOpened" and not history.events[0].upcast
    assert (history.events[-1].schema, history.events[-1].upcast) == (2, False)
    assert [(s.version, s.schema, s.skipped) for s in history.snapshots] == [(48, 1, True)]


def test_a_rebuilt_snapshot_is_no_longer_drawn_as_skipped(grace_after_the_deploy):
    rebuild_all_snapshots(grace_after_the_deploy)
    history = schema_history(grace_after_the_deploy, "acc-grace")
    assert [(s.version, s.schema, s.skipped) for s in history.snapshots] == [(49, 2, False)]


def test_the_schema_figure_draws_on_the_given_axes_and_returns_nothing(grace_after_the_deploy):
    figure, ax = plt.subplots()
    assert plot_schema_history(schema_history(grace_after_the_deploy, "acc-grace"), ax) is None
    labels = ax.get_legend_handles_labels()[1]
    assert "event in an old schema, upcast on read (47)" in labels
    assert "snapshot in an old shape, skipped" in labels
    assert any("replays all 49 events" in text.get_text() for text in ax.texts)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    plt.close(figure)


RECORDS = [
    DecisionRecord(aggregate="preferences", strategy="snapshots", history_required=False),
    DecisionRecord(aggregate="ledger", strategy="both", history_required=True),
    DecisionRecord(aggregate="cart", strategy="Events", history_required=True),
]
WORKLOADS = [Workload(0.05, 20, 20), Workload(10, 30, 20_000), Workload(12, 12, 12)]
COSTS = UnitCosts(10.0, 50.0, "example")


def test_each_aggregate_sits_at_its_full_replay_cost_and_its_history_answer():
    figure, ax = plt.subplots()
    plot_strategy_map(RECORDS, WORKLOADS, COSTS, ax)
    points = [tuple(c.get_offsets()[0]) for c in ax.collections]
    assert points == [(0.2, 0.0), (200.0, 1.0), (0.12, 1.0)]
    assert ax.get_legend_handles_labels()[1] == [
        "snapshots",
        "both: events are the truth, snapshots a cache",
        "events",
    ]
    plt.close(figure)


def test_records_and_workloads_must_pair_up():
    with pytest.raises(ValueError, match="pair them up"):
        plot_strategy_map(RECORDS, WORKLOADS[:2], COSTS)


@pytest.mark.parametrize("name", ["schema_timeline", "strategy_map"])
def test_importing_a_figure_module_changes_no_matplotlib_setting(name):
    module = sys.modules[f"helpers.teaching.figures.{name}"]
    before = dict(matplotlib.rcParams)
    importlib.reload(module)
    assert dict(matplotlib.rcParams) == before


def test_each_event_group_has_its_own_colour_and_marker_and_no_snapshot_hides_an_event(
    grace_after_the_deploy,
):
    figure, ax = plt.subplots()
    plot_schema_history(schema_history(grace_after_the_deploy, "acc-grace"), ax)
    groups = {
        label: collection
        for collection in ax.collections
        if not (label := collection.get_label()).startswith("_")
    }
    events = [label for label in groups if label.startswith("event")]
    colours = {tuple(groups[label].get_facecolor()[0]) for label in events}
    markers = {id(groups[label].get_paths()[0]) for label in events}
    assert len(events) == 3 and len(colours) == 3 and len(markers) == 3
    event_points = {tuple(p) for label in events for p in groups[label].get_offsets()}
    snapshot = groups["snapshot in an old shape, skipped"].get_offsets()[0]
    assert tuple(snapshot) not in event_points  # drawn beside version 48's event, not over it
    assert (
        ax.get_legend().get_texts()[0].get_fontsize() >= 8
    )  # "small", not "x-small" (about 6.9 pt)
    plt.close(figure)

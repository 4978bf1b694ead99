"""The figures of 04 and 05: counted data, labelled axes, and nothing returned to print."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.samples.workload import generate_commands
from helpers.storage.hybrid_store import HybridRepository
from helpers.teaching.figures import (
    plot_drift,
    plot_load_path,
    plot_replay_sawtooth,
    replays_per_load,
)


@pytest.fixture
def ax():
    figure, axes = plt.subplots()
    yield axes
    plt.close(figure)


def test_a_load_replays_the_events_since_the_newest_snapshot_and_never_more(tmp_path):
    counts = replays_per_load(tmp_path / "every-10.db", 10, 45)
    assert len(counts) == 45
    # Before the first snapshot a load replays the whole history, then only the tail.
    assert counts == [v if v < 10 else v % 10 for v in range(1, 46)]
    assert max(counts) == 9


def test_the_sawtooth_draws_one_line_per_interval_plus_the_no_snapshot_diagonal(ax):
    assert plot_replay_sawtooth({10: [1, 2, 0], 100: [1, 2, 3]}, ax) is None
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["no snapshots: every event", "a snapshot every 10", "a snapshot every 100"]
    styles = {line.get_linestyle() for line in ax.get_lines()[1:]}
    assert len(styles) == 2, "the intervals must differ in line style, not only in colour"
    assert "events replayed" in ax.get_ylabel() and "version" in ax.get_xlabel()


def test_the_load_path_marks_every_snapshot_and_the_replayed_tail(tmp_path, ax):
    with HybridRepository(tmp_path / "h.db", snapshot_every=10) as repo:
        account = Account.open("acc-1", "Ada Lovelace", clock=TickingClock())
        for command in generate_commands(25, seed=4):
            command.apply_to(account)
            repo.save(account)
        repo.load("acc-1")
        plot_load_path(repo.history("acc-1"), [10, 20], repo.last_load, ax)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["a snapshot"].get_xdata()) == [10, 20]
    assert list(lines["replayed by the load: 5 events"].get_xdata()) == [21, 22, 23, 24, 25]
    assert "snapshot 20" in ax.get_title()
    assert ax.get_ylabel() == "balance (cents)"


def test_the_drift_figure_plots_shown_minus_replayed_per_version(ax):
    shown = {1: 0, 2: 150, 3: 300, 4: 300}
    replayed = {1: 0, 2: 100, 3: 300, 4: 300}
    plot_drift(shown, replayed, bug=(2, 2), reconciled_after=2, ax=ax)
    [drift] = [line for line in ax.get_lines() if line.get_label() == "what the application showed"]
    assert list(drift.get_ydata()) == [0, 50, 0, 0]
    assert "cents" in ax.get_ylabel()


def test_the_no_snapshot_diagonal_stays_visible_under_a_line_that_follows_it(ax):
    plot_replay_sawtooth({10: [1, 2, 0] * 10, 100: list(range(1, 31))}, ax)
    diagonal, *intervals = ax.get_lines()
    assert diagonal.get_linewidth() > max(line.get_linewidth() for line in intervals)
    assert diagonal.get_zorder() < min(line.get_zorder() for line in intervals)


def test_where_the_diagonal_leaves_the_chart_a_label_says_how_far_it_climbs(ax):
    plot_replay_sawtooth({10: [1, 2, 0] * 100}, ax)
    assert ax.get_ylim()[1] < 300
    assert any("climbs on\nto 300 at version 300" in text.get_text() for text in ax.texts)

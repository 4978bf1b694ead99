"""The figures of notebooks 01-03 draw what the data holds, readably in grey as in colour."""

from __future__ import annotations

from datetime import UTC, datetime

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba

from helpers.domain import Account, LowBalanceWarning, TickingClock
from helpers.teaching.figures import (
    plot_as_of,
    plot_balance_history,
    plot_replay_work,
    plot_snapshot_memory,
)
from helpers.teaching.figures.balance import WARNING_OFFSET
from helpers.teaching.figures.event_markers import EVENT_STYLES, FIGSIZE


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def history():
    """Opened, two deposits, a freeze and an unfreeze, and two withdrawals that warn."""
    heard: list[LowBalanceWarning] = []
    account = Account.open("acc-1", "Ada Lovelace", clock=TickingClock())
    account.publisher.subscribe(heard.append)
    account.deposit(20_000, "salary")
    account.freeze("lost card")
    account.unfreeze()
    account.withdraw(12_000, "rent")
    account.deposit(500, "refund")
    account.withdraw(1_000, "coffee")
    events = account.pending_events
    account.mark_saved()
    return events, heard


def points(ax) -> list[tuple[float, float]]:
    """Every scattered point on the axes, as (x, y)."""
    found = []
    for collection in ax.collections:
        if isinstance(collection, PathCollection):
            found += [tuple(xy) for xy in np.asarray(collection.get_offsets())]
    return found


def test_every_event_kind_has_its_own_marker_so_grey_prints_stay_readable():
    markers = [style.marker for style in EVENT_STYLES.values()]
    assert len(set(markers)) == len(markers)
    assert all(style.colour.startswith("tab:") for style in EVENT_STYLES.values())


def test_the_balance_history_marks_every_stored_event_and_sets_each_warning_apart(history):
    events, heard = history
    assert len(heard) == 2
    _, ax = plt.subplots()
    assert plot_balance_history(events, heard, ax=ax) is None
    drawn = points(ax)
    assert len(drawn) == len(events) + len(heard)
    balances_after = [0, 20_000, 20_000, 20_000, 8_000, 8_500, 7_500]
    stored = list(zip([e.version for e in events], balances_after, strict=True))
    assert all(point in drawn for point in stored)
    warning_points = [point for point in drawn if point not in stored]
    # at the balance each warning reports, just beside (not on) the withdrawal that caused it
    assert warning_points == [(5 + WARNING_OFFSET, 8_000), (7 + WARNING_OFFSET, 7_500)]
    assert [w.balance for w in heard] == [8_000, 7_500]
    assert ax.get_title() == "7 events stored; 2 warnings heard, none stored"
    assert "(cents)" in ax.get_ylabel() and "version" in ax.get_xlabel()


def test_a_warning_from_another_history_is_refused_rather_than_drawn_anywhere(history):
    events, heard = history
    stranger = LowBalanceWarning(
        account_id="acc-9",
        balance=1,
        threshold=10_000,
        occurred_at=datetime(2030, 1, 1, tzinfo=UTC),
    )
    with pytest.raises(ValueError, match="no stored withdrawal of account 'acc-9'"):
        plot_balance_history(events, [*heard, stranger])


def test_without_axes_a_figure_of_the_usual_size_is_made():
    account = Account.open("acc-1", "Ada Lovelace", clock=TickingClock())
    plot_balance_history(account.pending_events)
    assert tuple(plt.gcf().get_size_inches()) == FIGSIZE


def test_the_snapshot_figure_keeps_only_the_stored_point_solid(history):
    events, _ = history
    state = Account.from_events(events).state
    _, ax = plt.subplots()
    plot_snapshot_memory(events, state, ax=ax)
    solid = [c for c in ax.collections if c.get_facecolors().size and c.get_facecolors()[0][3]]
    assert len(solid) == 1
    assert [tuple(xy) for xy in solid[0].get_offsets()] == [(state.version, state.balance)]
    assert "snapshot keeps the last point" in ax.get_title()


def test_an_as_of_cut_fills_the_events_before_it_and_leaves_the_rest_hollow(history):
    events, _ = history
    moment = events[3].occurred_at
    _, ax = plt.subplots()
    plot_as_of(events, moment, ax=ax)
    filled = hollow = 0
    for collection in ax.collections:
        count = len(collection.get_offsets())
        if collection.get_facecolors().size and collection.get_facecolors()[0][3]:
            filled += count
        else:
            hollow += count
    assert (filled, hollow) == (4, 3)
    assert "replays the 4 events before the cut" in ax.get_title()
    assert "(UTC)" in ax.get_xlabel()


def test_after_an_as_of_cut_each_kind_keeps_its_shape_and_colour_and_the_legend_shows_one(
    history,
):
    events, _ = history
    moment = events[1].occurred_at  # the freeze and the unfreeze fall after the cut
    _, ax = plt.subplots()
    plot_as_of(events, moment, ax=ax)
    hollow_edges = {
        tuple(collection.get_edgecolors()[0])
        for collection in ax.collections
        if not collection.get_facecolors().size or not collection.get_facecolors()[0][3]
    }
    frozen, unfrozen = EVENT_STYLES["AccountFrozen"], EVENT_STYLES["AccountUnfrozen"]
    assert frozen.marker != unfrozen.marker
    assert {to_rgba(frozen.colour), to_rgba(unfrozen.colour)} <= hollow_edges
    hollow_entry = ax.get_legend().legend_handles[-1]
    assert hollow_entry.get_marker() == frozen.marker  # the first event after the cut
    assert "after the cut" in ax.get_legend().get_texts()[-1].get_text()


def test_the_replay_work_figure_draws_the_counts_it_is_given():
    _, ax = plt.subplots()
    plot_replay_work({1_000: 1_000, 100: 100, 10_000: 10_000}, ax=ax)
    counted = ax.get_lines()[1]
    assert list(counted.get_xdata()) == [100, 1_000, 10_000]
    assert list(counted.get_ydata()) == [100, 1_000, 10_000]
    assert ax.get_ylabel() == "evolve calls during one load"


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plot_balance_history([]),
        lambda: plot_as_of([], datetime(2026, 1, 1, tzinfo=UTC)),
        lambda: plot_replay_work({}),
    ],
    ids=["balance history", "as of", "replay work"],
)
def test_an_empty_input_is_refused_with_a_reason(draw):
    with pytest.raises(ValueError, match="nothing to draw"):
        draw()

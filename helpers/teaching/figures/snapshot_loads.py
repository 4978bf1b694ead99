"""Figures for notebook 04: what a load replays when snapshots cache authoritative events.

Both pictures are counted, never timed: the number of events a real ``HybridRepository``
reports in ``last_load`` (``replays_per_load``), and the balances of the stored history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import StrMethodFormatter

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.domain.events import DomainEvent
from helpers.domain.state import fold
from helpers.samples.workload import generate_commands
from helpers.storage.hybrid_store import HybridRepository, LoadReport

STYLES = (
    {"color": "tab:blue", "linestyle": "-", "marker": None},
    {"color": "tab:orange", "linestyle": "--", "marker": None},
    {"color": "tab:green", "linestyle": ":", "marker": None},
)
"""One style per series: colour from tab10 and a line style, so grey print tells them apart."""


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
    return ax


def replays_per_load(path: Path, every: int, n_events: int, seed: int = 4) -> list[int]:
    """Save a generated history one command at a time and load after every save.

    Returns how many events each load replayed, as ``last_load`` reports it: item ``i`` is
    the load of the account at version ``i + 1``. The repository is a real one on ``path``.
    """
    counts = []
    with HybridRepository(path, snapshot_every=every) as repo:
        account = Account.open("acc-ada", "Ada Lovelace", clock=TickingClock())
        for command in [None, *generate_commands(n_events, seed=seed)]:
            if command is not None:
                command.apply_to(account)
            repo.save(account)
            repo.load(account.account_id)
            counts.append(repo.last_load.events_replayed)
    return counts


def plot_replay_sawtooth(replayed: Mapping[int, Sequence[int]], ax: Axes | None = None) -> None:
    """Events replayed per load against the account's version, one line per interval.

    ``replayed`` maps a snapshot interval to the counts from :func:`replays_per_load`. A
    wide pale grey band shows what a load without snapshots would replay: every event. It is
    drawn wide and underneath, so that where an interval's line runs along it (before that
    interval's first snapshot) both stay visible; where it leaves the top of the chart, a
    label says how far it climbs.
    """
    ax = _axes(ax)
    longest = max(len(counts) for counts in replayed.values())
    versions = range(1, longest + 1)
    ax.plot(
        versions,
        versions,
        color="0.82",
        linewidth=6,
        solid_capstyle="butt",
        zorder=1,
        label="no snapshots: every event",
    )
    for style, (every, counts) in zip(STYLES, sorted(replayed.items()), strict=False):
        ax.plot(
            range(1, len(counts) + 1), counts, label=f"a snapshot every {every}", zorder=2, **style
        )
    top = max(max(counts) for counts in replayed.values()) * 1.3
    ax.set_ylim(0, top)
    if longest > top:
        ax.annotate(
            f"no snapshots: climbs on\nto {longest:,} at version {longest:,}",
            (top, top),
            xytext=(6, -4),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize="small",
            color="0.4",
        )
    ax.set_xlabel("account version (events stored)")
    ax.set_ylabel("events replayed per load")
    ax.set_title("With a snapshot every N events, a load never replays more than N - 1")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize="small")


def plot_load_path(
    history: Iterable[DomainEvent],
    snapshot_versions: Sequence[int],
    report: LoadReport,
    ax: Axes | None = None,
) -> None:
    """The stored history's balance, the snapshots on it, and the tail one load replayed.

    ``report`` is the repository's ``last_load``: the load started from the snapshot at
    ``report.snapshot_version`` and replayed the ``report.events_replayed`` events after it.
    """
    ax = _axes(ax)
    balances, state = [], None
    for event in history:
        state = fold([event], state)
        balances.append(state.balance)
    versions = list(range(1, len(balances) + 1))
    start = report.snapshot_version or 0
    replayed = versions[start:]
    ax.axvspan(start + 0.5, len(balances) + 0.5, color="tab:orange", alpha=0.15)
    ax.plot(
        versions,
        balances,
        color="0.6",
        linewidth=1,
        marker=".",
        markersize=4,
        label="the stored history: balance after each event",
    )
    ax.plot(
        replayed,
        [balances[v - 1] for v in replayed],
        linestyle="none",
        marker="o",
        markersize=7,
        color="tab:orange",
        label=f"replayed by the load: {len(replayed)} events",
    )
    ax.plot(
        snapshot_versions,
        [balances[v - 1] for v in snapshot_versions],
        linestyle="none",
        marker="s",
        markersize=8,
        color="tab:blue",
        label="a snapshot",
    )
    if start:
        ax.plot(
            [start],
            [balances[start - 1]],
            linestyle="none",
            marker="s",
            markersize=13,
            markerfacecolor="none",
            markeredgecolor="black",
            markeredgewidth=1.5,
            label=f"the snapshot the load read (version {start})",
        )
    ax.set_xlabel("account version")
    ax.set_ylabel("balance (cents)")
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_title(f"The load starts at snapshot {start} and replays only the tail")
    ax.legend(loc="upper left", frameon=False, fontsize="small")

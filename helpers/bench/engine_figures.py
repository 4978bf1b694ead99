"""Figures of the same costs on SQLite and on PostgreSQL, side by side (notebooks 06 and 09).

They live in the bench layer so that ``python -m helpers.bench`` draws them into its PNG files
too; ``helpers.teaching`` exports them for the notebooks.

Each function takes an ``EngineComparison`` (``helpers.bench.compare_engines``) and an optional
matplotlib ``Axes``; without one it draws a small figure of its own. The engines keep one
colour each (``tab10``) and also differ in marker and line style, so the plots read in grey.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from helpers.bench.engines import ENGINE_NAMES, EngineComparison

STYLE = {
    "sqlite": {"color": plt.get_cmap("tab10")(0), "marker": "o", "linestyle": "-"},
    "postgres": {"color": plt.get_cmap("tab10")(1), "marker": "s", "linestyle": "--"},
}
SIZE = (7, 3.5)


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=SIZE)
    return ax


def plot_replay_by_engine(comparison: EngineComparison, ax: Axes | None = None) -> None:
    """Replay time against history length per engine, with each engine's snapshot load."""
    ax = _axes(ax)
    snapshot = comparison.snapshot_load.set_index("engine")["median_us"]
    for engine, rows in comparison.replay.groupby("engine", sort=False):
        style = STYLE[engine]
        ax.plot(
            rows["events"],
            rows["median_us"] / 1_000,
            label=f"{ENGINE_NAMES[engine]} replay",
            **style,
        )
        ax.axhline(
            snapshot[engine] / 1_000,
            color=style["color"],
            linestyle=":",
            linewidth=1.5,
            label=f"{ENGINE_NAMES[engine]} snapshot load",
        )
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="events in the history",
        ylabel="load time (ms, median)",
        title="A server adds a fixed cost to every load",
    )
    ax.legend(fontsize="small")


def plot_concurrency(comparison: EngineComparison, axes: tuple[Axes, Axes] | None = None) -> None:
    """Commands per second and conflicts per 1,000 commands against the number of writers."""
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(SIZE[0] * 1.5, SIZE[1]))
    rate_ax, conflict_ax = axes
    for (engine, sharing), rows in comparison.concurrency.groupby(["engine", "accounts"]):
        style = {**STYLE[engine], "linestyle": "-" if sharing == "distinct" else ":"}
        label = f"{ENGINE_NAMES[engine]}, {sharing} accounts"
        rate_ax.plot(rows["writers"], rows["commands_per_s"], label=label, **style)
        conflict_ax.plot(rows["writers"], rows["conflicts_per_1000"], label=label, **style)
    writers = sorted(comparison.concurrency["writers"].unique())
    rate_ax.set(
        xticks=writers,
        xlabel="writer processes",
        ylabel="commands saved per second",
        title="More writers, not more commands",
        ylim=(0, None),
    )
    conflict_ax.set(
        xticks=writers,
        xlabel="writer processes",
        ylabel="conflicts per 1,000 commands",
        title="Only a shared account conflicts",
        ylim=(0, 1_000),
    )
    conflict_ax.legend(fontsize="small")


def plot_engine_ratios(comparison: EngineComparison, ax: Axes | None = None) -> None:
    """How many times PostgreSQL's number is SQLite's, per headline measure (log scale)."""
    ax = _axes(ax)
    ratios = comparison.ratios().iloc[::-1]
    ax.barh(
        ratios["measure"],
        ratios["postgres / sqlite"],
        color=STYLE["postgres"]["color"],
        hatch="//",
        edgecolor="black",
    )
    ax.axvline(1, color="black", linewidth=1)
    ax.set(
        xscale="log",
        xlabel="PostgreSQL / SQLite (1 = the same; log scale)",
        title="The same work, priced by two engines",
    )

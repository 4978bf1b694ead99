"""Figures of the same costs on SQLite and on PostgreSQL, side by side (notebooks 06 and 09).

They live in the bench layer so that ``python -m helpers.bench`` draws them into its PNG files
too; ``helpers.teaching`` exports them for the notebooks.

Each function takes an ``EngineComparison`` (``helpers.bench.compare_engines``) and an optional
matplotlib ``Axes``; without one it draws a small figure of its own. The engines keep one
colour each (``tab10``) and also differ in marker and line style, so the plots read in grey.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, NullFormatter

from helpers.bench.engines import ACCOUNTS, ENGINE_NAMES, EngineComparison

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
    """Commands saved per second (log scale: the engines differ by tens of times) and
    conflicts per 1,000 attempted commands, against the number of writer processes."""
    if axes is None:
        figure, axes = plt.subplots(1, 2, figsize=(SIZE[0] * 1.5, SIZE[1] + 0.6))
    else:
        figure = axes[0].figure
    rate_ax, conflict_ax = axes
    for (engine, sharing), rows in comparison.concurrency.groupby(["engine", "accounts"]):
        style = {**STYLE[engine], "linestyle": "-" if sharing == "distinct" else ":"}
        if sharing == "shared":
            style["markerfacecolor"] = "white"  # hollow markers: shared, in grey as in colour
        label = f"{ENGINE_NAMES[engine]}, {ACCOUNTS[sharing]}"
        rate_ax.plot(rows["writers"], rows["commands_per_s"], label=label, **style)
        conflict_ax.plot(rows["writers"], rows["conflicts_per_1000"], label=label, **style)
    writers = sorted(comparison.concurrency["writers"].unique())
    rate_ax.set(
        xticks=writers,
        yscale="log",
        xlabel="writer processes",
        ylabel="commands saved per second (log)",
        title="Commands saved per second",
    )
    rates = comparison.concurrency["commands_per_s"]
    rates = rates[rates > 0]
    if not rates.empty:
        low, high = float(rates.min()), float(rates.max())
        rate_ax.set_yticks(rate_ticks(low, high))
        rate_ax.set_ylim(low / 1.25, high * 1.25)
    rate_ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    rate_ax.yaxis.set_minor_formatter(NullFormatter())
    conflict_ax.set(
        xticks=writers,
        xlabel="writer processes",
        ylabel="conflicts per 1,000 attempted commands",
        title="Only a shared account conflicts",
        ylim=(0, 1_000),
    )
    handles, labels = rate_ax.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=4, fontsize="small", frameon=False)
    figure.subplots_adjust(bottom=0.28, wspace=0.3)


def rate_ticks(low: float, high: float) -> list[float]:
    """Labelled ticks for a log axis from ``low`` to ``high``: the 1-2-5 steps in that range,
    or, when fewer than three fall in it (rates that differ by less than twice), the two ends
    and their middle rounded to two figures, so that every value can be read off the axis."""
    steps = [
        mantissa * 10**power
        for power in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1)
        for mantissa in (1, 2, 5)
    ]
    inside = [step for step in steps if low / 1.25 <= step <= high * 1.25]
    if len(inside) >= 3:
        return inside
    ends = (low, math.sqrt(low * high), high)
    return sorted({float(f"{value:.2g}") for value in ends})


RATIO_KINDS = {
    "time": {"color": plt.get_cmap("tab10")(1), "hatch": "//", "name": "time per load or write"},
    "memory": {"color": plt.get_cmap("tab10")(2), "hatch": "..", "name": "replay memory"},
    "writers": {
        "color": plt.get_cmap("tab10")(4),
        "hatch": "xx",
        "name": "time per saved command, writers at once",
    },
}


def ratio_bars(
    comparison: EngineComparison, replay_events: int | None = None
) -> list[tuple[str, float, str]]:
    """(label, PostgreSQL / SQLite, kind) per headline measure, every one a *cost*.

    Throughput is turned into its cost, time per saved command (1 / commands per second), so
    that on every bar a ratio above 1 means "PostgreSQL costs more" and the bars read alike.
    ``replay_events`` picks the replay length, as in ``summary_lines``, so that the bars and
    the sentences beside them compare the same replay.
    """
    bars = []
    for row in comparison.ratios(replay_events).itertuples(index=False):
        measure, ratio = str(row.measure), float(row[-1])
        if not ratio > 0:  # NaN where PostgreSQL was not measured
            continue
        if measure.endswith("(commands/s)"):
            name = measure.removesuffix(" (commands/s)")
            bars.append((f"{name}: time per saved command", 1 / ratio, "writers"))
        elif measure.endswith("(bytes)"):
            bars.append((measure.removesuffix(" (bytes)"), ratio, "memory"))
        else:
            bars.append((measure.removesuffix(" (us)"), ratio, "time"))
    return bars


def plot_engine_ratios(
    comparison: EngineComparison, ax: Axes | None = None, replay_events: int | None = None
) -> None:
    """How many times PostgreSQL's cost is SQLite's, per headline measure (log scale).

    Bars start at 1 ("the same cost"): a bar to the right means PostgreSQL costs more, one to
    the left that it costs less. Kinds of cost differ in colour and in hatching.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(SIZE[0], SIZE[1] + 0.5))
    bars = ratio_bars(comparison, replay_events)[::-1]
    if not bars:
        ax.text(0.5, 0.5, "PostgreSQL was not measured: no ratios", ha="center", va="center")
        ax.set_axis_off()
        return
    for position, (_, ratio, kind) in enumerate(bars):
        style = RATIO_KINDS[kind]
        ax.barh(
            position,
            ratio - 1,
            left=1,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor="black",
            label=style["name"],
        )
        ax.annotate(
            f"{ratio:.2g}x",
            (ratio, position),
            xytext=(4 if ratio >= 1 else -4, 0),
            textcoords="offset points",
            ha="left" if ratio >= 1 else "right",
            va="center",
            fontsize="small",
        )
    ax.set_yticks(range(len(bars)), [label for label, _, _ in bars])
    ax.axvline(1, color="black", linewidth=1)
    ratios = [ratio for _, ratio, _ in bars]
    ax.set(
        xscale="log",
        xlim=(min(0.5, min(ratios) / 3), max(2.0, max(ratios) * 3)),
        xlabel="PostgreSQL's cost / SQLite's (1 = the same; right of 1: PostgreSQL costs more)",
        title="The same work, priced by two engines",
    )
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(
        unique.values(),
        unique.keys(),
        fontsize="small",
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22),
        ncol=3,
        frameon=False,
    )

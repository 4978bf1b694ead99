"""Figure (08): each aggregate placed by "is history required?" and "what does replay cost?".

The capstone decides three aggregates with the course page's review questions. Two of the
questions are a map: whether the history itself is required (yes or no), and what replaying
the whole history would cost at the expected scale. Each aggregate is a point on that map,
drawn with the strategy its decision record chose, so the reader sees which question decided
each one.
"""

from __future__ import annotations

from collections.abc import Sequence

from helpers.bench.costmodel import UnitCosts, Workload, slowest_load_ms
from helpers.teaching.exercises.decision_record import STRATEGIES, DecisionRecord

STYLES = {
    # strategy -> (label, tab10 colour, marker): distinct in colour, in grey and in shape
    "snapshots": ("snapshots", "tab:blue", "s"),
    "events": ("events", "tab:orange", "o"),
    "both": ("both: events are the truth, snapshots a cache", "tab:green", "D"),
}


def plot_strategy_map(
    records: Sequence[DecisionRecord],
    workloads: Sequence[Workload],
    costs: UnitCosts,
    ax=None,
) -> None:
    """One point per aggregate: replay cost without snapshots (x) against history required (y).

    ``records[i]`` is the decision for the aggregate whose traffic is ``workloads[i]``; the
    cost is the cost model's slowest load with no snapshots at all, a full replay of the
    expected history at ``costs``' price per event.
    """
    import matplotlib.pyplot as plt

    if len(records) != len(workloads):
        raise ValueError(f"{len(records)} records but {len(workloads)} workloads: pair them up")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
    ax.axhspan(-0.5, 0.5, color="0.94", zorder=0)
    shown: set[str] = set()
    for record, workload in zip(records, workloads, strict=True):
        strategy = STRATEGIES[record.strategy.strip().lower()]
        label, colour, marker = STYLES[strategy]
        x, y = slowest_load_ms(None, workload, costs), 1 if record.history_required else 0
        ax.scatter(
            x,
            y,
            s=90,
            color=colour,
            marker=marker,
            zorder=3,
            label=None if strategy in shown else label,
        )
        shown.add(strategy)
        ax.annotate(
            f"{record.aggregate}\n({workload.history_length:,} events)",
            (x, y),
            xytext=(0, 12),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_xscale("log")
    ax.set_ylim(-0.6, 1.9)
    ax.set_yticks([0, 1], ["not required", "required"])
    lows = [slowest_load_ms(None, w, costs) for w in workloads]
    ax.set_xlim(min(lows) / 4, max(lows) * 4)
    ax.set_xlabel(
        f"one full replay at {costs.replay_us_per_event:g} µs per event (ms per load, log scale)"
    )
    ax.set_ylabel("history required?")
    ax.set_title(
        "History decides whether events are stored;\n"
        "replay cost decides whether snapshots join them",
        fontsize=11,
    )
    ax.legend(
        title="strategy chosen",
        loc="lower right",
        fontsize="x-small",
        title_fontsize="x-small",
        framealpha=0.95,
    )

"""Figure for notebook 05: a buggy release makes the snapshot path drift from the events.

The data is the balance the application showed after each request (through its hybrid
load) and the balance a full replay of the stored events gives with the fixed code. The
figure draws their difference per version: zero while the code is right, growing while the
bug is live, still there after the fix, and zero again once the snapshots are rebuilt.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
from matplotlib.axes import Axes


def plot_drift(
    shown: Mapping[int, int],
    replayed: Mapping[int, int],
    *,
    bug: tuple[int, int],
    reconciled_after: int,
    ax: Axes | None = None,
) -> None:
    """Plot ``shown - replayed`` (cents) per version, with the buggy release and the repair.

    ``shown`` and ``replayed`` map an account version to a balance in cents; ``bug`` is the
    first and last version saved while the bug was live; ``reconciled_after`` is the version
    after which the snapshots were rebuilt from the events.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
    versions = sorted(shown)
    drift = [shown[v] - replayed[v] for v in versions]
    first, last = bug
    ax.axvspan(first - 0.5, last + 0.5, color="tab:red", alpha=0.12, label="release 1.4 live")
    ax.axhline(
        0,
        color="0.4",
        linewidth=1,
        linestyle=":",
        label="full replay with the fixed evolve (the truth)",
    )
    ax.step(
        versions,
        drift,
        where="mid",
        color="tab:blue",
        linewidth=2,
        marker="o",
        markersize=3,
        label="what the application showed",
    )
    ax.axvline(reconciled_after + 0.5, color="black", linestyle="--", linewidth=1.2)
    top = max(drift) or 1
    ax.annotate("fix released", xy=(last + 0.5, top * 1.05), ha="left", fontsize="small")
    ax.annotate("reconcile", xy=(reconciled_after + 0.7, top * 1.05), ha="left", fontsize="small")
    ax.set_ylim(-0.1 * top, top * 1.25)
    ax.set_xlabel("account version (one request per version)")
    ax.set_ylabel("shown minus replayed balance (cents)")
    ax.set_title("The fix repaired the code, not the data: the drift stays until reconcile")
    ax.legend(loc="upper left", frameon=False, fontsize="small")

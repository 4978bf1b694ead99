"""Figures for notebook 03: the event stream on a time line, and the work a replay does.

The time line shows what an "as of" query does: it cuts the stream at a moment and replays
only what lies before the cut. The work figure shows how many events a load applies against
how many are stored: counted, never timed, so it is the same on every machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from helpers.domain import DomainEvent, evolve
from helpers.teaching.figures.event_markers import (
    EVENT_STYLES,
    axes_or_new,
    kinds_in,
    separate_thousands,
)


def plot_as_of(events: Iterable[DomainEvent], moment: datetime, *, ax: Axes | None = None) -> None:
    """The balance over time, one marker per event; the events after ``moment`` greyed out."""
    events = list(events)
    if not events:
        raise ValueError("there is nothing to draw: the history has no events")
    ax = axes_or_new(ax)
    times, balances, state = [], [], None
    for event in events:
        state = evolve(state, event)
        times.append(event.occurred_at)
        balances.append(state.balance)
    replayed = [event.occurred_at <= moment for event in events]
    ax.plot(times, balances, drawstyle="steps-post", color="0.75", linewidth=1)
    handles = []
    for kind in kinds_in(events):
        style = EVENT_STYLES[kind]
        for included in (True, False):
            picked = [
                (t, b)
                for t, b, e, r in zip(times, balances, events, replayed, strict=True)
                if type(e).__name__ == kind and r is included
            ]
            if picked:
                ax.scatter(
                    [t for t, _ in picked],
                    [b for _, b in picked],
                    marker=style.marker,
                    s=60 if included else 70,
                    facecolors=style.colour if included else "none",
                    edgecolors="black" if included else style.colour,
                    linewidths=0.5 if included else 1.5,
                    zorder=3,
                )
        handles.append(_legend_marker(style.marker, style.colour, style.label))
    after = [event for event, r in zip(events, replayed, strict=True) if not r]
    if after:  # a hollow example in the shape of the first event after the cut
        first = EVENT_STYLES[type(after[0]).__name__]
        label = f"hollow (e.g. {first.label}): after the cut, not replayed"
        handles.append(_legend_marker(first.marker, "none", label, edge=first.colour))
    count = sum(replayed)
    ax.axvline(moment, color="black", linestyle="--", linewidth=1)
    ax.annotate(
        f"as of {moment.astimezone(UTC):%H:%M:%S}",
        (moment, max(balances)),
        xytext=(4, 0),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize="small",
    )
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M", tz=UTC))
    ax.set_xlabel(f"time on {times[0]:%Y-%m-%d} (UTC)")
    ax.set_ylabel("balance after the event (cents)")
    separate_thousands(ax)
    ax.legend(
        handles=handles,
        fontsize="small",
        loc="center left",
        bbox_to_anchor=(1.01, 0.5),
        frameon=False,
    )
    ax.set_title(f"'As of' replays the {count} events before the cut, none after it")


def _legend_marker(marker: str, colour: str, label: str, edge: str = "black") -> Line2D:
    """A legend entry for a marker style (scatter points are drawn in several groups)."""
    return Line2D(
        [],
        [],
        marker=marker,
        linestyle="none",
        markerfacecolor=colour,
        markeredgecolor=edge,
        markeredgewidth=0.5 if colour != "none" else 1.5,
        markersize=7,
        label=label,
    )


def plot_replay_work(applied: Mapping[int, int], *, ax: Axes | None = None) -> None:
    """Events applied during one load against events stored, with the line "all of them"."""
    if not applied:
        raise ValueError("there is nothing to draw: no load was counted")
    ax = axes_or_new(ax)
    lengths = sorted(applied)
    top = max(lengths)
    ax.plot([0, top], [0, top], ":", color="0.5", label="one evolve call per stored event")
    ax.plot(
        lengths,
        [applied[n] for n in lengths],
        marker="o",
        linestyle="none",
        color="tab:blue",
        markersize=7,
        label="counted during a load",
    )
    for n in lengths:
        ax.annotate(
            f"{applied[n]:,}",
            (n, applied[n]),
            xytext=(8, -2),
            textcoords="offset points",
            va="top",
            fontsize="small",
        )
    ax.set_xlim(-0.03 * top, 1.15 * top)
    ax.set_xlabel("events in the stored history")
    ax.set_ylabel("evolve calls during one load")
    separate_thousands(ax, "x")
    separate_thousands(ax, "y")
    ax.legend(fontsize="small", loc="upper left", frameon=False)
    ax.set_title("Replay work grows in step with the history")

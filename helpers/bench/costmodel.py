"""How often to snapshot: a small cost model fed by measured unit costs.

A hybrid store that snapshots every ``N`` events pays twice:

* **on every load**, it replays the events since the newest snapshot. At a random moment that
  is on average ``(N - 1) / 2`` events (anywhere from 0 to ``N - 1``); if the history is
  shorter than ``N``, no snapshot exists yet and the load replays the whole history;
* **on every N-th event**, it writes one more snapshot: ``events_per_day / N`` writes a day.

So the daily cost for one aggregate is::

    cost(N) = loads_per_day * replay_per_event * (N - 1) / 2
            + events_per_day / N * snapshot_write

The first term grows with N, the second shrinks, and the total is smallest near
``N* = sqrt(2 * events_per_day * snapshot_write / (loads_per_day * replay_per_event))``.
:func:`suggest_interval` searches the whole integers instead of trusting the formula, compares
the best interval with not snapshotting at all, and can respect a latency budget for the
slowest load. The unit costs are *measured* on this machine by :func:`measure_unit_costs`,
which reuses the benchmark's own timing functions (``histories`` and ``measure``).

The model ignores what it cannot know in general: cache effects, the cost of reading the
snapshot row itself (one row, the same for every N), and disk space.
"""

from __future__ import annotations

import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.bench.histories import generate, open_repository, store
from helpers.bench.measure import Cell, time_in_rounds, warm_load
from helpers.samples import build_account
from helpers.storage import HybridRepository


@dataclass(frozen=True)
class UnitCosts:
    """What one event replay and one snapshot write cost, in microseconds, and where from."""

    replay_us_per_event: float
    snapshot_write_us: float
    source: str

    def __post_init__(self) -> None:
        if self.replay_us_per_event <= 0 or self.snapshot_write_us <= 0:
            raise ValueError(
                "unit costs must be positive: replay "
                f"{self.replay_us_per_event} µs/event, snapshot write {self.snapshot_write_us} µs"
            )


@dataclass(frozen=True)
class Workload:
    """One aggregate's traffic: events written per day, loads per day, events stored so far."""

    events_per_day: float
    loads_per_day: float
    history_length: int

    def __post_init__(self) -> None:
        if self.events_per_day < 0 or self.loads_per_day < 0 or self.history_length < 1:
            raise ValueError(
                "events and loads per day must be zero or more, and the history at least 1 event"
            )


def events_replayed_per_load(interval: int | None, history_length: int) -> float:
    """Average events a load replays: ``(N - 1) / 2``, or the whole history without snapshots."""
    if interval is None or interval > history_length:
        return float(history_length)
    if interval < 1:
        raise ValueError(f"a snapshot interval is 1 or more events, not {interval}")
    return (interval - 1) / 2


def slowest_load_ms(interval: int | None, workload: Workload, costs: UnitCosts) -> float:
    """The worst case: a load just before the next snapshot replays ``N - 1`` events."""
    if interval is None or interval > workload.history_length:
        events = workload.history_length
    else:
        events = interval - 1
    return events * costs.replay_us_per_event / 1_000


def daily_cost_ms(interval: int | None, workload: Workload, costs: UnitCosts) -> dict[str, float]:
    """Milliseconds per aggregate per day: replaying on load, writing snapshots, and the total."""
    replay = (
        workload.loads_per_day
        * events_replayed_per_load(interval, workload.history_length)
        * costs.replay_us_per_event
    )
    writes = (
        0.0 if interval is None else workload.events_per_day / interval * costs.snapshot_write_us
    )
    return {
        "replay": replay / 1_000,
        "snapshot writes": writes / 1_000,
        "total": (replay + writes) / 1_000,
    }


def formula_interval(workload: Workload, costs: UnitCosts) -> float:
    """The calculus answer, ``sqrt(2 E w / (L r))``; ``inf`` when nothing is ever loaded."""
    if workload.loads_per_day == 0:
        return math.inf
    return math.sqrt(
        2
        * workload.events_per_day
        * costs.snapshot_write_us
        / (workload.loads_per_day * costs.replay_us_per_event)
    )


@dataclass(frozen=True)
class Suggestion:
    """The cheapest interval (``None``: do not snapshot) and what it costs against no snapshots."""

    interval: int | None
    daily_ms: float
    no_snapshot_daily_ms: float
    slowest_load_ms: float
    formula: float
    reason: str

    def __str__(self) -> str:
        choice = "no snapshots" if self.interval is None else f"a snapshot {_every(self.interval)}"
        return (
            f"suggested: {choice} ({self.reason}); {self.daily_ms:,.2f} ms/day per aggregate "
            f"instead of {self.no_snapshot_daily_ms:,.2f} ms/day without snapshots; "
            f"slowest load {self.slowest_load_ms:,.2f} ms"
        )


SEARCH_LIMIT = 100_000
"""Intervals above this are not searched: the optimum of any realistic workload is far below."""


def suggest_interval(
    workload: Workload, costs: UnitCosts, *, latency_budget_ms: float | None = None
) -> Suggestion:
    """Search every whole interval from 1 to the history length, and compare with none.

    With ``latency_budget_ms``, intervals whose slowest load would exceed the budget are out,
    even when they are cheaper in total: a user waits for one load, not for a day's sum.
    On a tie, fewer snapshots win (``None`` first, then the longer interval is never preferred).
    """
    formula = formula_interval(workload, costs)
    # The cost is convex in N, so the best whole interval sits next to the formula's answer;
    # searching up to twice that (at least 1,000) is exhaustive where it matters.
    reach = SEARCH_LIMIT if math.isinf(formula) else max(1_000, 2 * math.ceil(formula) + 2)
    top = min(workload.history_length, reach, SEARCH_LIMIT)
    candidates: list[int | None] = [None, *range(1, top + 1)]
    total = {n: daily_cost_ms(n, workload, costs)["total"] for n in candidates}
    cheapest = min(candidates, key=total.__getitem__)
    allowed = [
        n
        for n in candidates
        if latency_budget_ms is None or slowest_load_ms(n, workload, costs) <= latency_budget_ms
    ]
    if not allowed:
        raise ValueError(
            f"no interval meets the latency budget of {latency_budget_ms} ms for the slowest "
            "load: even replaying one event takes longer"
        )
    best = min(allowed, key=total.__getitem__)
    if best != cheapest:
        reason = "the cheapest interval within the latency budget"
    elif best is None:
        reason = "replay is so cheap here that snapshots would cost more than they save"
    else:
        reason = "the cheapest in total"
    return Suggestion(
        best,
        total[best],
        total[None],
        slowest_load_ms(best, workload, costs),
        formula,
        reason,
    )


def cost_table(workload: Workload, costs: UnitCosts, intervals: list[int | None]) -> pd.DataFrame:
    """One row per interval (``None`` = no snapshots): the daily costs and the slowest load."""
    rows = []
    for interval in intervals:
        cost = daily_cost_ms(interval, workload, costs)
        rows.append(
            {
                "snapshot every": "never" if interval is None else interval,
                "replay (ms/day)": round(cost["replay"], 2),
                "snapshot writes (ms/day)": round(cost["snapshot writes"], 2),
                "total (ms/day)": round(cost["total"], 2),
                "slowest load (ms)": round(slowest_load_ms(interval, workload, costs), 3),
            }
        )
    return pd.DataFrame(rows)


def _every(interval: int) -> str:
    return "on every save" if interval == 1 else f"every {interval} events"


def plot_cost_curve(workload: Workload, costs: UnitCosts, *, title: str, ax=None):
    """Total, replay and snapshot-write cost against the interval, on log-log axes.

    Both axes are logarithmic because the interesting range spans orders of magnitude; the
    optimum is marked with a vertical line and the cost without snapshots with a grey one.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    top = workload.history_length
    intervals = sorted({max(1, round(top ** (i / 80))) for i in range(81)})
    costs_by_interval = [daily_cost_ms(n, workload, costs) for n in intervals]
    for part, style in (("total", "-"), ("replay", "--"), ("snapshot writes", ":")):
        points = [(n, c[part]) for n, c in zip(intervals, costs_by_interval, strict=True)]
        points = [(n, value) for n, value in points if value > 0]  # log axes cannot show 0
        ax.plot([n for n, _ in points], [v for _, v in points], style, label=part)
    suggestion = suggest_interval(workload, costs)
    ax.axhline(suggestion.no_snapshot_daily_ms, color="grey", lw=0.8, label="no snapshots")
    if suggestion.interval is not None:
        ax.axvline(
            suggestion.interval,
            color="black",
            lw=0.8,
            label=f"optimum: {_every(suggestion.interval)}",
        )
    ax.set_xscale("log")
    ax.set_xlim(left=0.5)  # an optimum of 1 stays clear of the y-axis
    ax.set_yscale("log")
    ax.set_xlabel("snapshot interval N (events, log scale)")
    ax.set_ylabel("cost per aggregate (ms per day, log scale)")
    ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


def measure_unit_costs(
    *, history_length: int = 2_000, snapshot_writes: int = 2_000, repeats: int = 3
) -> UnitCosts:
    """Measure both unit costs on this machine; the replay cost with the benchmark's own code.

    * replay: ``helpers.bench`` stores a seeded event-sourced history of ``history_length``
      events and times checked loads of it in five rounds (``measure.time_in_rounds``); the
      median divided by the events replayed is the cost per event;
    * snapshot write: in a hybrid, a snapshot is written *inside* the transaction of the
      event that triggers it, so its cost is encoding the state plus one INSERT, with no
      commit of its own. :func:`time_snapshot_write` times exactly that (the benchmark's
      write timings include a commit per save, and the difference of two of them is too
      noisy on a shared machine to be trusted for one INSERT).
    """
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-costmodel-") as folder:
        path = Path(folder) / "replay.db"
        history = generate(history_length, seed=42)
        store(history, path, "event-sourced", None)
        with open_repository(path, "event-sourced", None, "json") as repo:
            load = warm_load(repo, None, history.expected, "cost model replay")
            cell = Cell(("replay",), load, per=history_length)
            time_in_rounds([cell], rounds=5, seed=42)
        write = time_snapshot_write(Path(folder) / "snapshots.db", snapshot_writes, repeats)
    return UnitCosts(
        cell.summary()["median_us"] / history_length,
        write,
        "measured on this machine: replay with helpers.bench, snapshot writes in costmodel",
    )


def time_snapshot_write(path: Path, writes: int = 2_000, repeats: int = 3) -> float:
    """Microseconds per snapshot written by the hybrid store's own snapshot writer.

    ``write_snapshots`` puts them all in one open transaction, as a save does when it crosses
    a multiple of the interval, so one commit is shared by every write; the fastest of
    ``repeats`` runs is kept (the least disturbed by other work).
    """
    state = build_account("costmodel-1", 50, seed=1).state
    best = math.inf
    with HybridRepository(path) as repo:
        for run in range(repeats):
            base = run * writes
            states = (state._replace(version=v) for v in range(base + 1, base + writes + 1))
            start = time.perf_counter_ns()
            repo.write_snapshots(states)
            best = min(best, time.perf_counter_ns() - start)
    return best / 1_000 / writes

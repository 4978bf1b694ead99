"""Notebook 09's claims about its measurements, made from the measurements themselves.

A sentence such as "a long replay costs about the same on both engines" held on the machine the
notebook was written on and broke on a student's: the two engines' timings move by several
times from run to run on a shared machine. So the notebook states the *mechanism* in fixed
prose and takes every number, and every comparison that depends on one, from this run. Each
measured part is marked (``helpers.bench.marks.measured``); ``findings`` shows the lines as
HTML whose marked parts the test suite blanks before comparing, and ``measured_table`` does the
same for tables.
"""

from __future__ import annotations

import math
from itertools import pairwise

import pandas as pd

from helpers.bench.engines import ENGINE_NAMES, EngineComparison, replay_breakdown
from helpers.bench.marks import measured

EXTRA_ROUND_TRIPS_MS = {
    "this machine": 0.0,
    "same data centre": 0.5,
    "another region": 2.0,
}
"""Round trip added to this machine's by a farther server (typical values, not measured)."""

LATE_FACTOR = 1.25
"""A writers' round that lasted this many times the asked duration ran long: a writer started
after the round's end (it still makes one command) or a last command took that long."""


def _ms(us: float) -> str:
    return f"{us / 1_000:,.2f} ms" if us >= 1_000 else f"{us:,.1f} us"


def _times(value: float) -> str:
    """A ratio for a sentence: two significant figures below 1, one decimal below 10."""
    if value < 1:
        return measured(f"{value:.2g}")
    return measured(f"{value:,.1f}" if value < 10 else f"{value:,.0f}")


def _ratios(comparison: EngineComparison) -> dict[str, float]:
    table = comparison.ratios()
    return dict(zip(table["measure"], table["postgres / sqlite"], strict=True))


def _pick(ratios: dict[str, float], prefix: str) -> tuple[str, float]:
    return next((name, value) for name, value in ratios.items() if name.startswith(prefix))


def ratio_lines(comparison: EngineComparison) -> list[str]:
    """What each headline ratio was in this run, with the mechanism behind it."""
    if "postgres" not in set(comparison.replay["engine"]):
        return ["PostgreSQL was not measured in this run, so there are no ratios to explain."]
    ratios = _ratios(comparison)
    replay_name, replay = _pick(ratios, "replay of")
    memory_lengths = sorted(comparison.memory["events"].unique())
    lines = [
        f"a snapshot load cost {_times(ratios['snapshot load (us)'])} times as much on the "
        "server: it is a round trip to another process, where SQLite reads a page inside this "
        "process;",
        f"a write cost {_times(ratios['write per command (us)'])} times as much: PostgreSQL "
        "waits until each commit is safely on disk (an fsync), while the pack's SQLite "
        "settings (synchronous=NORMAL) do not wait for the disk on each commit;",
        f"the {replay_name.removesuffix(' (us)')} took {_times(replay)} times as long on the "
        "server: a long replay is mostly decoding and applying events, the same Python code on "
        "both engines, plus fetching each row, which differs between the engines;",
    ]
    if len(memory_lengths) > 1:
        low, high = memory_lengths[0], memory_lengths[-1]
        growth = comparison.memory.pivot_table(
            index="events", columns="engine", values="peak_bytes"
        )
        grew = ", ".join(
            f"{_times(growth.loc[high, engine] / growth.loc[low, engine])} times on "
            f"{ENGINE_NAMES[engine]}"
            for engine in growth.columns
        )
        lines.append(
            f"from {low:,} to {high:,} events the history grew {high / low:.0f} times and the "
            f"replay's peak memory grew {grew}: rows are streamed (one at a time from SQLite, in "
            "batches of 500 from the server's cursor), so a replay holds a batch of rows, not "
            "the history;"
        )
    most = comparison.concurrency["writers"].max()
    rounds = comparison.concurrency
    busiest = rounds[(rounds["writers"] == most) & (rounds["accounts"] == "distinct")]
    rates = busiest.set_index("engine")["commands_per_s"]
    if {"sqlite", "postgres"} <= set(rates.index):
        lines.append(
            f"{most} writers on accounts of their own saved "
            f"{_times(rates['postgres'] / rates['sqlite'])} times as many commands per second "
            "on the server: every save waits for its commit to reach the disk, and saves take "
            "turns."
        )
    return lines


def replay_shape_lines(comparison: EngineComparison) -> list[str]:
    """How much each engine's replay grew between the lengths measured, and the ratio at
    the shortest and the longest history."""
    lines = []
    replay = comparison.replay.pivot_table(index="events", columns="engine", values="median_us")
    lengths = list(replay.index)
    for engine in replay.columns:
        steps = ", ".join(
            f"from {a:,} to {b:,} events ({b / a:.0f} times the history) "
            f"{_times(replay.loc[b, engine] / replay.loc[a, engine])} times as long"
            for a, b in pairwise(lengths)
        )
        lines.append(f"{ENGINE_NAMES[engine]}: {steps};")
    if {"sqlite", "postgres"} <= set(replay.columns):
        ratio = replay["postgres"] / replay["sqlite"]
        lines.append(
            f"PostgreSQL / SQLite: {_times(ratio.iloc[0])} at {lengths[0]:,} events, "
            f"{_times(ratio.iloc[-1])} at {lengths[-1]:,} events."
        )
    return lines


def fixed_part_lines(comparison: EngineComparison) -> list[str]:
    """Per engine: the shortest replay against a snapshot load, and from how many skipped
    events a snapshot read first (a hybrid load) beats a full replay.

    Each number names the lengths it comes from: the snapshot load is measured at the longest
    history only, and the cost per event is a slope fitted over the lengths from 100 events
    up, so it is not the step between the two shortest lengths.
    """
    lines = []
    for row in replay_breakdown(comparison).itertuples(index=False):
        name = ENGINE_NAMES[row.engine]
        lengths = comparison.replay.loc[comparison.replay["engine"] == row.engine, "events"]
        fitted = sorted(length for length in lengths if length >= 100)
        snapshot = comparison.snapshot_load.set_index("engine")
        at = ""
        if "events" in snapshot:
            at = f" at {int(snapshot.loc[row.engine, 'events']):,} events"
        span = f" (fitted from {fitted[0]:,} to {fitted[-1]:,} events)" if len(fitted) > 1 else ""
        pays = hybrid_pays_from(row.snapshot_load_us, row.us_per_event)
        lines.append(
            f"{name}: a replay of {lengths.min():,} events took {measured(_ms(row.fixed_us))}, "
            f"{_times(row.fixed_us / row.snapshot_load_us)} times a snapshot load{at} "
            f"({measured(_ms(row.snapshot_load_us))}); each further event cost "
            f"{measured(_ms(row.us_per_event))}{span}, so reading a snapshot first beats a "
            f"full replay once it skips {measured(pays)} events."
        )
    return lines


def hybrid_pays_from(snapshot_load_us: float, us_per_event: float) -> str:
    """Events a hybrid load must skip to beat a full replay: its extra cost, one snapshot
    load, divided by the cost of one event (text; "-" when the slope is not positive)."""
    if not us_per_event or math.isnan(us_per_event) or us_per_event <= 0:
        return "-"
    return f"{math.ceil(snapshot_load_us / us_per_event):,}"


def round_trip_table(comparison: EngineComparison) -> pd.DataFrame:
    """The server's snapshot load and cost per event from this run, and what a farther
    server does to the length from which a snapshot pays off."""
    breakdown = replay_breakdown(comparison).set_index("engine")
    engine = "postgres" if "postgres" in breakdown.index else "sqlite"
    snapshot_us = float(breakdown.loc[engine, "snapshot_load_us"])
    per_event = float(breakdown.loc[engine, "us_per_event"])
    rows = []
    for place, extra_ms in EXTRA_ROUND_TRIPS_MS.items():
        load_us = snapshot_us + extra_ms * 1_000
        rows.append(
            {
                "server": place,
                "round trip added (ms)": extra_ms,
                "snapshot load (ms)": f"{load_us / 1_000:.2f}",
                "each replayed event (us)": f"{per_event:.1f}",
                "a snapshot pays off from (events skipped)": hybrid_pays_from(load_us, per_event),
            }
        )
    return pd.DataFrame(rows)


ROUND_TRIP_MEASURED = [
    "snapshot load (ms)",
    "each replayed event (us)",
    "a snapshot pays off from (events skipped)",
]
"""The columns of ``round_trip_table`` that come from this run."""


def writer_lines(comparison: EngineComparison, seconds: object) -> list[str]:
    """Commands saved per round, and which rounds ran longer than asked (they started late,
    so their commands per second come out too low)."""
    asked = float(str(seconds))
    rounds = comparison.concurrency
    lines = []
    for engine, rows in rounds.groupby("engine", sort=False):
        saved = ", ".join(
            f"{row.writers} {'writer' if row.writers == 1 else 'writers'} {row.accounts} "
            f"{measured(f'{row.saved:,}')}"
            for row in rows.itertuples()
        )
        lines.append(f"{ENGINE_NAMES[engine]}, commands saved per round: {saved};")
    late = rounds[rounds["seconds"] > LATE_FACTOR * asked]
    named = "; ".join(
        f"{ENGINE_NAMES[row.engine]}, {row.writers} writer{'s' * (row.writers > 1)}, "
        f"{row.accounts} accounts "
        f"({row.seconds:.2f} s)"
        for row in late.itertuples()
    )
    lines.append(
        f"rounds that lasted more than {LATE_FACTOR:g} times the {asked:g} s asked: "
        f"{measured(named or 'none')}."
    )
    return lines


def conflict_rate_lines(comparison: EngineComparison) -> list[str]:
    """Refused saves per 1,000 attempted commands (saved plus refused), per engine, when the
    most writers share one account."""
    rounds = comparison.concurrency
    shared = rounds[rounds["accounts"] == "shared"]
    busiest = shared[shared["writers"] == shared["writers"].max()]
    return [
        f"{row.writers} writers on one account, {ENGINE_NAMES[row.engine]}: "
        f"{measured(f'{row.conflicts_per_1000:,.0f}')} conflicts per 1,000 attempted commands "
        f"({measured(f'{row.conflicts:,}')} refused, {measured(f'{row.saved:,}')} saved)"
        for row in busiest.itertuples()
    ]

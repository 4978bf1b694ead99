"""Tables of a run's results for people to read: times formatted, counts grouped.

Notebook 06 shows these with its measured columns marked (see ``marks``); the command line
prints the same frames as text. Each takes the raw tables of ``runner.run``.
"""

from __future__ import annotations

import pandas as pd

from helpers.bench.marks import times, us
from helpers.bench.summary import warm_latest

STAGE_ORDER = ("fetch rows", "parse JSON", "build objects", "check, apply", "rest")


def writes_table(writes: pd.DataFrame) -> pd.DataFrame:
    """Per strategy and codec: microseconds per command at NORMAL and FULL, median and IQR."""
    rows = []
    saved = writes[writes["variant"] != "snapshot row only"]
    for (engine, variant, codec), cell in saved.groupby(["engine", "variant", "codec"], sort=False):
        row = {"engine": engine, "strategy": variant, "codec": codec}
        for level in ("NORMAL", "FULL"):
            mine = cell[cell["synchronous"] == level]
            if mine.empty:
                row[f"{level} (us/command)"] = "not timed"
                row[f"{level} middle half"] = "-"
            else:
                first = mine.iloc[0]
                row[f"{level} (us/command)"] = us(first["us_per_command"])
                row[f"{level} middle half"] = f"{us(first['q1_us'])}-{us(first['q3_us'])}"
        rows.append(row)
    return pd.DataFrame(rows)


def storage_table(storage: pd.DataFrame) -> pd.DataFrame:
    """Bytes on disk at the largest length: deterministic (counted, not timed).

    ``table bytes`` counts whole pages, which is what a file grows by; ``row bytes`` (where
    the engine reports it) counts the rows' own content, so that a hybrid's few snapshot rows
    show even when they fit in a page the event store already had.
    """
    largest = storage["events"].max()
    cell = storage[storage["events"] == largest]
    columns = {
        "engine": cell["engine"],
        "strategy": cell["variant"],
        "history (events)": [f"{n:,}" for n in cell["events"]],
        "snapshots": cell["snapshots"],
        "table bytes": [f"{n:,}" for n in cell["table_bytes"]],
    }
    if "row_bytes" in cell and cell["row_bytes"].notna().all():
        columns["row bytes"] = [f"{int(n):,}" for n in cell["row_bytes"]]
    columns["bytes per event"] = [f"{v:,.1f}" for v in cell["bytes_per_event"]]
    return pd.DataFrame(columns).reset_index(drop=True)


def memory_table(memory: pd.DataFrame) -> pd.DataFrame:
    if memory.empty:
        return memory
    return pd.DataFrame(
        {
            "engine": memory["engine"],
            "strategy": memory["variant"],
            "codec": memory["codec"],
            "history (events)": [f"{n:,}" for n in memory["events"]],
            "load": memory["how"],
            "peak above baseline (KB)": [f"{v:,.1f}" for v in memory["peak_kb"]],
        }
    )


def breakdown_table(breakdown: pd.DataFrame) -> pd.DataFrame:
    """Stages as rows, codecs as columns, microseconds per event."""
    if breakdown.empty:
        return pd.DataFrame()
    table = breakdown.pivot_table(index="stage", columns="codec", values="us_per_event")
    order = [s for s in (*STAGE_ORDER, "full replay") if s in table.index]
    table = table.reindex(order)
    shown = pd.DataFrame({"stage": table.index})
    for codec in table.columns:
        shown[f"{codec} (us per event)"] = [us(v) for v in table[codec]]
    return shown


def reference_table(mine: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Warm full replays and snapshot loads of this run beside the reference, where both ran."""
    keys = ["variant", "codec", "events"]
    pick = ["snapshot", "event-sourced"]
    left = warm_latest(mine)
    right = warm_latest(reference)
    both = left[left["variant"].isin(pick)][[*keys, "median_us"]].merge(
        right[right["variant"].isin(pick)][[*keys, "median_us"]],
        on=keys,
        suffixes=("_here", "_reference"),
    )
    return pd.DataFrame(
        {
            "strategy": both["variant"],
            "codec": both["codec"],
            "history (events)": [f"{n:,}" for n in both["events"]],
            "here (us)": [us(v) for v in both["median_us_here"]],
            "reference (us)": [us(v) for v in both["median_us_reference"]],
            "here / reference": [
                times(a / b)
                for a, b in zip(both["median_us_here"], both["median_us_reference"], strict=True)
            ],
        }
    )


def loads_table(loads: pd.DataFrame) -> pd.DataFrame:
    """Every timed load: median and middle half (quartiles) of its samples, and their count."""
    if loads.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "engine": loads["engine"],
            "strategy": loads["variant"],
            "codec": loads["codec"],
            "history (events)": [f"{n:,}" for n in loads["events"]],
            "load": loads["load"],
            "cache": loads["cache"],
            "events replayed": [f"{n:,}" for n in loads["events_replayed"]],
            "median (us)": [us(v) for v in loads["median_us"]],
            "middle half (us)": [
                f"{us(a)}-{us(b)}" for a, b in zip(loads["q1_us"], loads["q3_us"], strict=True)
            ],
            "samples": loads["samples"],
        }
    ).reset_index(drop=True)


def concurrency_table(concurrency: pd.DataFrame) -> pd.DataFrame:
    """Per engine, number of writers and sharing: commands attempted, saved, conflicts, rates."""
    if concurrency.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "engine": concurrency["engine"],
            "writers": concurrency["writers"],
            "accounts": concurrency["accounts"],
            "attempted": [f"{n:,}" for n in concurrency["attempted"]],
            "saved": [f"{n:,}" for n in concurrency["saved"]],
            "conflicts": [f"{n:,}" for n in concurrency["conflicts"]],
            "commands/s": [f"{v:,.0f}" for v in concurrency["commands_per_s"]],
            "conflicts per 1,000": [f"{v:,.1f}" for v in concurrency["conflicts_per_1000"]],
        }
    ).reset_index(drop=True)


def durability_table(writes: pd.DataFrame) -> pd.DataFrame:
    """Per engine: an event-sourced save per command when a commit does not wait for the disk
    and when it does, in the engine's own settings, and which one the pack runs with."""
    saved = writes[(writes["variant"] == "event-sourced")]
    rows = []
    for (engine, level), cell in saved.groupby(["engine", "synchronous"], sort=False):
        first = cell.iloc[0]
        rows.append(
            {
                "engine": engine,
                "commit waits for the disk": "yes" if level == "FULL" else "no",
                "setting": first["setting"],
                "pack's default": "yes" if first["default"] else "no",
                "codec": first["codec"],
                "us per command": us(first["us_per_command"]),
            }
        )
    return pd.DataFrame(rows)

"""The cost explorer's model: load, write and storage cost of one aggregate against N.

From a run's unit costs (a replayed event, a load's fixed cost, an appended event, a snapshot
row, the bytes of each), for one aggregate of ``E`` events that is loaded ``R`` times per
event written and snapshotted every ``N`` events:

* a load replays the events since the newest snapshot: ``(N - 1) / 2`` on average once a
  snapshot exists (``N <= E``), the whole history before that;
* a write appends one event, and one write in ``N`` also writes a snapshot row;
* the store holds ``E`` events and ``E // N`` snapshots.

The time spent per event written is ``write + R * load``; the interval that makes it
smallest is the optimum. Every input comes from a measured table (this run's, or the
reference run's), never from a constant in the code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

UNIT_COLUMNS = (
    "replay_us_per_event",
    "load_fixed_us",
    "write_us_per_event",
    "snapshot_write_us",
    "bytes_per_event",
    "bytes_per_snapshot",
)


@dataclass(frozen=True)
class ExplorerUnits:
    """Measured unit costs for one engine and codec (microseconds and bytes)."""

    engine: str
    codec: str
    replay_us_per_event: float
    load_fixed_us: float
    write_us_per_event: float
    snapshot_write_us: float
    bytes_per_event: float
    bytes_per_snapshot: float
    source: str = "this run"

    def __post_init__(self) -> None:
        missing = [name for name in UNIT_COLUMNS if not _positive(getattr(self, name))]
        if missing:
            raise ValueError(
                f"{self.engine}/{self.codec}: {', '.join(missing)} not measured; "
                "use a run that measured every strategy, or the reference run"
            )


def _positive(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


def units_from_tables(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per engine and codec with the unit costs; NaN where the run did not measure it.

    Replay per event and the fixed cost come from warm loads at the largest length measured
    (event-sourced and snapshot); writes from synchronous=NORMAL; storage from the largest
    length (a snapshot's bytes from the hybrid with the most snapshots, else the snapshot
    strategy's one row).
    """
    loads, writes, storage = tables["loads"], tables["writes"], tables["storage"]
    if loads.empty:
        return pd.DataFrame(columns=["engine", "codec", "events", *UNIT_COLUMNS])
    warm = loads[(loads["cache"] == "warm") & (loads["load"] == "latest")]
    rows = []
    for (engine, codec), cell in warm.groupby(["engine", "codec"], sort=False):
        largest = int(cell["events"].max())
        at_top = cell[cell["events"] == largest].set_index("variant")
        here = storage[(storage["engine"] == engine) & (storage["events"] == largest)]
        here = here.set_index("variant")
        written = writes[
            (writes["engine"] == engine)
            & (writes["codec"] == codec)
            & (writes["synchronous"] == "NORMAL")
        ].set_index("variant")
        rows.append(
            {
                "engine": engine,
                "codec": codec,
                "events": largest,
                "replay_us_per_event": _get(at_top, "event-sourced", "median_us") / largest,
                "load_fixed_us": _get(at_top, "snapshot", "median_us"),
                "write_us_per_event": _get(written, "event-sourced", "us_per_command"),
                "snapshot_write_us": _snapshot_write(writes, engine),
                "bytes_per_event": _get(here, "event-sourced", "table_bytes") / largest,
                "bytes_per_snapshot": _snapshot_bytes(here),
            }
        )
    return pd.DataFrame(rows)


def _get(frame: pd.DataFrame, row: str, column: str) -> float:
    if row not in frame.index or column not in frame:
        return math.nan
    value = frame.loc[row, column]
    return float(value.iloc[0] if isinstance(value, pd.Series) else value)


def _snapshot_write(writes: pd.DataFrame, engine: str) -> float:
    cell = writes[(writes["engine"] == engine) & (writes["variant"] == "snapshot row only")]
    return float(cell["us_per_command"].iloc[0]) if not cell.empty else math.nan


def _snapshot_bytes(storage: pd.DataFrame) -> float:
    """Bytes one snapshot adds: (hybrid - events) / snapshots, else the snapshot row's bytes."""
    if "event-sourced" in storage.index:
        hybrids = storage[(storage["strategy"] == "hybrid") & (storage["snapshots"] > 0)]
        if not hybrids.empty:
            most = hybrids.sort_values("snapshots").iloc[-1]
            extra = most["table_bytes"] - storage.loc["event-sourced", "table_bytes"]
            if extra > 0:
                return float(extra / most["snapshots"])
    if "snapshot" in storage.index:
        return float(storage.loc["snapshot", "row_bytes"])
    return math.nan


def explorer_units(units: pd.DataFrame, engine: str, codec: str, source: str) -> ExplorerUnits:
    """The unit costs of one engine and codec from a units table (ValueError if missing)."""
    cell = units[(units["engine"] == engine) & (units["codec"] == codec)]
    if cell.empty:
        measured = ", ".join(
            f"{e}/{c}" for e, c in zip(units["engine"], units["codec"], strict=True)
        )
        raise ValueError(f"no unit costs for {engine}/{codec}; measured: {measured or 'none'}")
    row = cell.iloc[0]
    return ExplorerUnits(engine, codec, *(float(row[name]) for name in UNIT_COLUMNS), source)


@dataclass(frozen=True)
class Costs:
    """What one aggregate costs at one interval (``None``: no snapshots)."""

    interval: int | None
    events_replayed: float
    load_us: float
    write_us: float
    total_us: float
    """Per event written: its write plus ``loads_per_write`` loads."""
    storage_bytes: float


def costs_at(
    units: ExplorerUnits, events: int, interval: int | None, loads_per_write: float
) -> Costs:
    """The expected costs of one aggregate of ``events`` events at one snapshot interval."""
    if events < 1 or loads_per_write < 0 or (interval is not None and interval < 1):
        raise ValueError("events and the interval are 1 or more, loads per write 0 or more")
    has_snapshot = interval is not None and interval <= events
    replayed = (interval - 1) / 2 if has_snapshot else float(events)
    load = units.load_fixed_us + replayed * units.replay_us_per_event
    snapshot_share = 0.0 if interval is None else units.snapshot_write_us / interval
    write = units.write_us_per_event + snapshot_share
    snapshots = 0 if interval is None else events // interval
    return Costs(
        interval,
        replayed,
        load,
        write,
        write + loads_per_write * load,
        events * units.bytes_per_event + snapshots * units.bytes_per_snapshot,
    )


def optimum_interval(units: ExplorerUnits, events: int, loads_per_write: float) -> Costs:
    """The interval (or none) with the least time per event written; ties go to fewer snapshots.

    The cost is convex in N once a snapshot exists, so the search looks near the calculus
    optimum ``sqrt(2 * snapshot_write / (loads_per_write * replay))`` and at the ends.
    """
    candidates: set[int] = {1, events}
    if loads_per_write > 0:
        guess = math.sqrt(
            2 * units.snapshot_write_us / (loads_per_write * units.replay_us_per_event)
        )
        middle = int(min(max(guess, 1), events))
        candidates.update(range(max(1, middle - 2), min(events, middle + 2) + 1))
    best = costs_at(units, events, None, loads_per_write)
    for interval in sorted(candidates, reverse=True):
        option = costs_at(units, events, interval, loads_per_write)
        if option.total_us < best.total_us:
            best = option
    return best


def cost_curves(units: ExplorerUnits, events: int, loads_per_write: float) -> pd.DataFrame:
    """Costs at about 60 intervals spread evenly on a log scale from 1 to ``events``."""
    top = max(events, 2)
    intervals = sorted({max(1, round(top ** (i / 60))) for i in range(61)})
    return pd.DataFrame([vars(costs_at(units, events, n, loads_per_write)) for n in intervals])


def explorer_choices(sources: dict[str, pd.DataFrame]) -> dict[str, ExplorerUnits]:
    """Every complete set of unit costs, labelled "engine, codec (source)".

    ``sources`` maps a name ("this run", "the reference run") to its units table; a row the
    run could not fill (a strategy left out) is skipped rather than guessed.
    """
    choices = {}
    for source, units in sources.items():
        for row in units.itertuples(index=False):
            try:
                unit = explorer_units(units, row.engine, row.codec, source)
            except ValueError:
                continue
            choices[f"{row.engine}, {row.codec} ({source})"] = unit
    return choices

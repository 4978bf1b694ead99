"""The issue's targets, judged as ratios and per-event costs from one run's own numbers.

Each target becomes one row: what was measured, the limit, PASS or MISS, and a detail that
says which cells it came from. A target whose inputs were not measured in this run (say the
100,000-event length was left out) is reported as "not measured", never guessed.
"""

from __future__ import annotations

import pandas as pd

REPLAY_TARGET_LENGTH = 100_000
FLAT_BASE_LENGTH = 1_000
LIMITS = {
    "json_us_per_event": 5.0,
    "msgspec_us_per_event": 1.5,
    "flat_ratio": 1.5,
    "memory_mb": 10.0,
}


def _row(target: str, measured: float | None, limit: float | None, unit: str, detail: str):
    if measured is None:
        status = "not measured"
    elif limit is None:
        status = "INFO"
    else:
        status = "PASS" if measured <= limit else "MISS"
    return {
        "target": target,
        "measured": measured,
        "limit": limit,
        "unit": unit,
        "status": status,
        "detail": detail,
    }


def _load_us(
    loads: pd.DataFrame, variant: str, codec: str, events: int, column: str = "median_us"
) -> float | None:
    cell = loads[
        (loads["variant"] == variant)
        & (loads["codec"] == codec)
        & (loads["events"] == events)
        & (loads["load"] == "latest")
    ]
    if cell.empty or column not in cell or pd.isna(cell[column].iloc[0]):
        return None
    return float(cell[column].iloc[0])


def replay_targets(loads: pd.DataFrame) -> list[dict]:
    rows = []
    for codec, key in (("json", "json_us_per_event"), ("msgspec", "msgspec_us_per_event")):
        total = _load_us(loads, "event-sourced", codec, REPLAY_TARGET_LENGTH)
        fastest = _load_us(loads, "event-sourced", codec, REPLAY_TARGET_LENGTH, "min_us")
        detail = "median load time / 100,000"
        if fastest is not None:
            detail += f"; fastest repeat {fastest / REPLAY_TARGET_LENGTH:.2f} us/event"
        rows.append(
            _row(
                f"event-sourced full replay at 100,000 events, {codec} codec",
                None if total is None else total / REPLAY_TARGET_LENGTH,
                LIMITS[key],
                "us/event",
                detail,
            )
        )
        cpu = _load_us(loads, "event-sourced", codec, REPLAY_TARGET_LENGTH, "cpu_median_us")
        rows.append(
            _row(
                f"the same, in CPU time of the loading thread ({codec} codec)",
                None if cpu is None else cpu / REPLAY_TARGET_LENGTH,
                LIMITS[key],
                "us/event",
                "median CPU time / 100,000: leaves out time other processes held the core",
            )
        )
    return rows


def flatness_targets(
    loads: pd.DataFrame, flatness: pd.DataFrame | None = None, codec: str = "json"
) -> list[dict]:
    """Load at the largest length / load at 1,000 events, for hybrid-100 and snapshot.

    Uses the paired (alternating) timings when the run made them, else the two medians from
    the loads table, and says which.
    """
    rows = []
    largest = int(loads["events"].max())
    for variant in ("hybrid-100", "snapshot"):
        ratio, detail = None, f"needs {variant} at {FLAT_BASE_LENGTH:,} and a larger length"
        paired = _paired(flatness, variant, codec)
        if paired is not None:
            ratio = float(paired["ratio"])
            detail = (
                f"median load at {int(paired['events']):,} events / at "
                f"{int(paired['base_events']):,}, timed in alternation ({codec} codec)"
            )
        else:
            base = _load_us(loads, variant, codec, FLAT_BASE_LENGTH)
            top = _load_us(loads, variant, codec, largest)
            if base is not None and top is not None and largest > FLAT_BASE_LENGTH:
                ratio = top / base
                detail = f"median load at {largest:,} events / at {FLAT_BASE_LENGTH:,} ({codec})"
        rows.append(
            _row(f"{variant} load flat in history length", ratio, LIMITS["flat_ratio"], "x", detail)
        )
    return rows


def _paired(flatness: pd.DataFrame | None, variant: str, codec: str):
    if flatness is None or flatness.empty:
        return None
    cell = flatness[(flatness["variant"] == variant) & (flatness["codec"] == codec)]
    return None if cell.empty else cell.iloc[0]


def memory_target(memory: pd.DataFrame) -> list[dict]:
    streamed = memory[(memory["variant"] == "event-sourced") & (memory["how"] == "streamed load")]
    if streamed.empty:
        return [_row("event-sourced load memory", None, LIMITS["memory_mb"], "MB", "not run")]
    events = int(streamed["events"].max())
    worst = streamed[streamed["events"] == events]["peak_mb"].max()
    detail = f"tracemalloc peak above baseline at {events:,} events (target is set at 1,000,000)"
    return [
        _row(
            f"event-sourced load memory at {events:,} events",
            float(worst),
            LIMITS["memory_mb"],
            "MB",
            detail,
        )
    ]


def library_targets(loads: pd.DataFrame, library: pd.DataFrame) -> list[dict]:
    if library.empty:
        return [_row("eventsourcing library / this pack", None, None, "x", "library not run")]
    events = int(library["events"].max())
    theirs = float(library[library["events"] == events]["median_us"].iloc[0])
    rows = []
    for codec in ("json", "msgspec"):
        ours = _load_us(loads, "event-sourced", codec, events)
        rows.append(
            _row(
                f"eventsourcing library load / event-sourced {codec} load, {events:,} events",
                None if ours is None else theirs / ours,
                None,
                "x",
                f"library {theirs / events:.2f} us/event"
                + ("" if ours is None else f", this pack {ours / events:.2f} us/event"),
            )
        )
    return rows


def judge(
    loads: pd.DataFrame,
    memory: pd.DataFrame,
    library: pd.DataFrame,
    flatness: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every target as one row of a table (see the module docstring)."""
    rows = [
        *replay_targets(loads),
        *flatness_targets(loads, flatness),
        *memory_target(memory),
        *library_targets(loads, library),
    ]
    return pd.DataFrame(rows)


def verdict_lines(targets: pd.DataFrame) -> list[str]:
    """One printable line per target: 'PASS  name: 3.21 us/event (limit 5)'."""
    lines = []
    for row in targets.itertuples(index=False):
        measured = "-" if pd.isna(row.measured) else f"{row.measured:.3g} {row.unit}"
        limit = "" if pd.isna(row.limit) else f" (limit {row.limit:g} {row.unit})"
        lines.append(f"{row.status:<12} {row.target}: {measured}{limit} [{row.detail}]")
    return lines

"""What a run's tables say: verdicts, comparison tables and sentences, made from the numbers.

Notebook 06 and the command line show these instead of prose written for one set of
parameters, so that whatever lengths, intervals, codecs or strategies were measured, every
sentence is true of the run it describes. Each function returns a table, or sentences, and
says in one sentence when the run measured nothing it could judge. Every part of a sentence
that depends on timing is marked as measured (see ``marks``); the plain tables for reading
are in ``tables``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from helpers.bench.marks import as_text, measured, times, us

FLAT_RATIO = 1.5
"""A load is judged flat when it takes at most this many times as long at the largest length."""
GROWS_SLOPE = 0.5
"""A full replay whose log-log slope is at least this grows with its history (1: in proportion)."""
FLAT_SLOPE = 0.3
"""A snapshot load whose log-log slope is within this of 0 does not grow with the history."""


# --- selections ---------------------------------------------------------------------------------


def warm_latest(loads: pd.DataFrame) -> pd.DataFrame:
    return loads[(loads["cache"] == "warm") & (loads["load"] == "latest")]


def _cell(
    loads: pd.DataFrame,
    variant: str,
    codec: str,
    events: int,
    cache: str = "warm",
    load: str = "latest",
) -> float:
    cell = loads[
        (loads["variant"] == variant)
        & (loads["codec"] == codec)
        & (loads["events"] == events)
        & (loads["cache"] == cache)
        & (loads["load"] == load)
    ]
    return float(cell["median_us"].iloc[0]) if not cell.empty else math.nan


# --- were the answers right? -----------------------------------------------------------------


def checked_lines(tables: dict[str, pd.DataFrame]) -> list[str]:
    """How many timed loads were checked (a count fixed by the parameters, not by timing).

    One line per engine when the run measured more than one, so that a two-engine run says
    that the second engine's loads were checked too, not only the first's.
    """
    loads = tables["loads"]
    engines = list(loads["engine"].unique()) if "engine" in loads.columns else []
    if len(engines) < 2:
        return [_checked_line("every load was checked", loads)]
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    return [
        _checked_line(f"every load on {names.get(e, e)} was checked", loads[loads["engine"] == e])
        for e in engines
    ]


def _checked_line(opening: str, loads: pd.DataFrame) -> str:
    warm = int((loads["cache"] == "warm").sum())
    cold = int((loads["cache"] == "cold").sum())
    return (
        f"{opening}: {len(loads)} kinds of timed load ({warm} warm, {cold} cold), "
        "every sample matched the generator's balance, version and status "
        "(a wrong load raises WrongLoad and is never reported)"
    )


# --- growth ----------------------------------------------------------------------------------


def growth_table(loads: pd.DataFrame, min_events: int = 100) -> pd.DataFrame:
    """Per strategy and codec: how warm load time grows with the history, and a verdict.

    The log-log slope (1: in proportion to the history, 0: not at all) is fitted to the
    median CPU time of the loading thread, which leaves out the moments other programs held
    the core (the plots show the wall clock), over the lengths from ``min_events`` up when
    there are two or more, else over all. A hybrid is judged only at lengths from its
    interval up, where it has a snapshot; below, its load *is* a full replay. A hybrid's
    latest load also replays the tail since its last snapshot (``length mod interval``
    events), so its flatness is judged on equal tails in :func:`flatness_table` instead.
    """
    rows = []
    for (engine, variant, codec), cell in warm_latest(loads).groupby(
        ["engine", "variant", "codec"], sort=False
    ):
        interval = cell["interval"].iloc[0]
        if pd.notna(interval):
            cell = cell[cell["events"] >= interval]
        long = cell[cell["events"] >= min_events]
        cell = (long if len(long) >= 2 else cell).sort_values("events")
        row = {"engine": engine, "strategy": variant, "codec": codec}
        if len(cell) < 2:
            where = " from its interval up" if pd.notna(interval) else ""
            verdict = f"not judged: fewer than two measured lengths{where}"
            rows.append({**row, "lengths": "-", "log-log slope": math.nan, "verdict": verdict})
            continue
        x, y = cell["events"].to_numpy(float), cell["cpu_median_us"].to_numpy(float)
        slope = float(np.polyfit(np.log10(x), np.log10(y), 1)[0])
        lengths = f"{int(x.min()):,}-{int(x.max()):,}"
        verdict = _growth_verdict(variant, slope)
        rows.append({**row, "lengths": lengths, "log-log slope": slope, "verdict": verdict})
    return pd.DataFrame(rows)


def _growth_verdict(variant: str, slope: float) -> str:
    if variant == "event-sourced":
        return "grows with its history" if slope >= GROWS_SLOPE else "grows less than expected"
    if variant.startswith("hybrid"):
        return "replays a tail: see flat loads"
    return "flat" if abs(slope) < FLAT_SLOPE else "changes with length"


# --- flatness --------------------------------------------------------------------------------


def flatness_table(
    flatness: pd.DataFrame,
    bases: dict[str, int],
    variants: list[str],
    largest: int,
    flat_base: int | None = None,
) -> pd.DataFrame:
    """Flat strategies: the load at the largest length over the load at the base, timed in
    the same rounds (median CPU time of the loading thread); a row saying why for each flat
    strategy that could not be judged (naming the length it needs when ``flat_base``, the
    configuration's flatness base, is given)."""
    rows = []
    for variant in variants:
        if variant == "event-sourced":
            continue
        found = flatness[flatness["variant"] == variant] if not flatness.empty else flatness
        if found.empty:
            rows.append(
                {
                    "strategy": variant,
                    "codec": "-",
                    "load": "-",
                    "from (events)": "-",
                    "to (events)": f"{largest:,}",
                    "ratio": "-",
                    "verdict": _no_base_reason(variant, largest, flat_base),
                }
            )
            continue
        for row in found.itertuples(index=False):
            rows.append(
                {
                    "strategy": variant,
                    "codec": row.codec,
                    "load": row.load,
                    "from (events)": f"{row.base_events:,}",
                    "to (events)": f"{row.events:,}",
                    "ratio": times(row.ratio),
                    "verdict": "flat" if row.ratio <= FLAT_RATIO else "grows",
                }
            )
    return pd.DataFrame(rows)


def _no_base_reason(variant: str, largest: int, flat_base: int | None = None) -> str:
    """Why a flat strategy was not judged, in words a reader can act on: which length the run
    would have needed to measure besides its longest."""
    interval = int(variant.split("-")[1]) if variant.startswith("hybrid-") else None
    worst_tail = None if interval is None else 2 * interval - 1
    if flat_base is not None:
        need = max(flat_base, worst_tail or 0)
        why = f"the flatness base, {flat_base:,}" + (
            f", and 2 × interval − 1 = {worst_tail:,}" if worst_tail is not None else ""
        )
        return (
            f"not judged: needs a measured length of at least {need:,} events ({why}) "
            f"below {largest:,}"
        )
    if worst_tail is not None:
        return (
            f"not judged: needs a measured length below {largest:,} events that is at least "
            f"{worst_tail:,} (2 × interval − 1) and at least the flatness base"
        )
    return (
        f"not judged: needs a measured length below {largest:,} events that is at least the "
        "flatness base"
    )


# --- warm and cold ---------------------------------------------------------------------------


def cold_warm_table(loads: pd.DataFrame) -> pd.DataFrame:
    """Per length and codec: snapshot and full-replay loads, warm and cold, and their ratios."""
    if not {"snapshot", "event-sourced"} <= set(loads["variant"]):
        return pd.DataFrame()  # a table of dashes would hide why: cold_warm_lines says it
    rows = []
    for (engine, codec, events), _ in loads.groupby(["engine", "codec", "events"], sort=True):
        row = {"engine": engine, "codec": codec, "history (events)": f"{events:,}"}
        for cache in ("warm", "cold"):
            snap = _cell(loads, "snapshot", codec, events, cache)
            replay = _cell(loads, "event-sourced", codec, events, cache)
            row[f"snapshot {cache} (us)"] = us(snap)
            row[f"replay {cache} (us)"] = us(replay)
            row[f"replay / snapshot, {cache}"] = times(replay / snap)
        rows.append(row)
    return pd.DataFrame(rows)


def cold_warm_lines(loads: pd.DataFrame) -> list[str]:
    """One sentence per codec at the largest length: how much of a gap a cold start closes."""
    if not {"snapshot", "event-sourced"} <= set(loads["variant"]):
        return [
            "no warm-cold comparison: it needs both the snapshot and the event-sourced "
            "strategy in the run"
        ]
    lines = []
    largest = int(loads["events"].max())
    for codec in loads["codec"].unique():
        warm = _cell(loads, "event-sourced", codec, largest) / _cell(
            loads, "snapshot", codec, largest
        )
        cold = _cell(loads, "event-sourced", codec, largest, "cold") / _cell(
            loads, "snapshot", codec, largest, "cold"
        )
        lines.append(
            f"at {largest:,} events ({codec}), a full replay took {measured(times(warm))} as "
            f"long as a snapshot load when both were warm, and {measured(times(cold))} when "
            "both started cold"
        )
    return lines


# --- floors ----------------------------------------------------------------------------------


def floors_table(loads: pd.DataFrame, floors: pd.DataFrame) -> pd.DataFrame:
    """Per length: the full replay per event for each codec beside the floors, per event."""
    rows = []
    replay = warm_latest(loads)
    replay = replay[replay["variant"] == "event-sourced"]
    for (engine, events), cell in floors.groupby(["engine", "events"], sort=True):
        row: dict[str, object] = {"engine": engine, "history (events)": f"{events:,}"}
        floor = cell.set_index("floor")["us_per_event"]
        fetch = float(floor.get("raw row fetch", math.nan))
        for codec in sorted(replay["codec"].unique()):
            mine = replay[(replay["codec"] == codec) & (replay["events"] == events)]
            value = float(mine["us_per_event"].iloc[0]) if not mine.empty else math.nan
            row[f"{codec} replay"] = us(value)
            row[f"{codec} minus fetch"] = us(value - fetch)
        row["raw row fetch"] = us(fetch)
        row["json.loads alone"] = us(float(floor.get("json.loads alone", math.nan)))
        library = float(floor.get("eventsourcing library", math.nan))
        row["eventsourcing library"] = (
            "SQLite only" if engine == "postgres" and math.isnan(library) else us(library)
        )
        rows.append(row)
    return pd.DataFrame(rows)


def floor_lines(loads: pd.DataFrame, floors: pd.DataFrame) -> list[str]:
    """At the largest length with the library measured: this pack's replay beside the floors."""
    if floors.empty:
        return ["no floors were measured in this run"]
    replay = warm_latest(loads)
    replay = replay[replay["variant"] == "event-sourced"]
    if replay.empty:
        return ["no full replay to compare with the floors: the run left out event-sourced"]
    lines = []
    largest = int(floors["events"].max())
    top = floors[floors["events"] == largest].set_index("floor")["us_per_event"]
    for codec in sorted(replay["codec"].unique()):
        mine = replay[(replay["codec"] == codec) & (replay["events"] == largest)]
        if mine.empty:
            continue
        value = float(mine["us_per_event"].iloc[0])
        lines.append(
            f"{codec} at {largest:,} events: {measured(us(value))} us per event, "
            f"{measured(us(value - top['raw row fetch']))} us above the raw row fetch "
            f"({measured(us(top['raw row fetch']))} us)"
        )
    library = floors[floors["floor"] == "eventsourcing library"]
    if library.empty:
        if set(floors["engine"]) == {"postgres"}:
            lines.append("the eventsourcing library is timed on SQLite only, not on PostgreSQL")
        else:
            lines.append(
                "the eventsourcing library was not timed in this run (see library_max_length)"
            )
        return lines
    at = int(library["events"].max())
    theirs = float(library[library["events"] == at]["us_per_event"].iloc[0])
    for codec in sorted(replay["codec"].unique()):
        mine = replay[(replay["codec"] == codec) & (replay["events"] == at)]
        if not mine.empty:
            ratio = theirs / float(mine["us_per_event"].iloc[0])
            lines.append(
                f"at {at:,} events the eventsourcing library took {measured(times(ratio))} as "
                f"long per event as this pack's {codec} replay"
            )
    return lines


# --- codecs ----------------------------------------------------------------------------------


def codec_lines(loads: pd.DataFrame) -> list[str]:
    """Which codec replayed faster, at which lengths: counted from this run."""
    codecs = sorted(loads["codec"].unique())
    if len(codecs) < 2:
        return [f"only the {codecs[0]} codec was measured, so there is nothing to compare"]
    replay = warm_latest(loads)
    replay = replay[replay["variant"] == "event-sourced"]
    if replay.empty:
        return ["the codecs differ only in replay, and the run left out event-sourced"]
    table = replay.pivot_table(index="events", columns="codec", values="median_us")
    faster = table["msgspec"] < table["json"]
    lengths = [f"{n:,}" for n in table.index]
    won = [f"{n:,}" for n in table.index[faster]]
    if len(won) == len(lengths):
        where = "at every measured length"
    elif not won:
        where = "at none of the measured lengths"
    else:
        where = f"at {', '.join(won)} of {', '.join(lengths)} events"
    top = table.index.max()
    ratio = table.loc[top, "json"] / table.loc[top, "msgspec"]
    return [
        f"msgspec replayed faster than json {measured(where)}",
        f"at {top:,} events the json replay took {measured(times(ratio))} as long as msgspec",
    ]


# --- where snapshots pay off -------------------------------------------------------------


def payoff_table(loads: pd.DataFrame, codec: str) -> pd.DataFrame:
    """Per hybrid: full replay against the hybrid's worst case at each length that has one."""
    rows = []
    es = warm_latest(loads)
    es = es[(es["variant"] == "event-sourced") & (es["codec"] == codec)].set_index("events")
    worst = loads[(loads["load"] == "worst tail") & (loads["cache"] == "warm")]
    worst = worst[worst["codec"] == codec]
    for variant, cell in worst.groupby("variant", sort=False):
        for row in cell.sort_values("events").itertuples(index=False):
            full = float(es.loc[row.events, "median_us"]) if row.events in es.index else math.nan
            rows.append(
                {
                    "hybrid": variant,
                    "history (events)": f"{row.events:,}",
                    "worst case replays": f"{row.events_replayed:,}",
                    "worst case (us)": us(row.median_us),
                    "full replay (us)": us(full),
                    "faster": "-"
                    if math.isnan(full)
                    else ("hybrid" if row.median_us < full else "full replay"),
                }
            )
    return pd.DataFrame(rows)


def payoff_lines(loads: pd.DataFrame, intervals: tuple[int, ...], codec: str) -> list[str]:
    """Per interval: from which measured length the worst case beat a full replay."""
    if not intervals or "hybrid" not in set(loads["strategy"]):
        return ["no hybrid was measured, so there is no interval to pay off"]
    if "event-sourced" not in set(loads["variant"]):
        return ["the run left out event-sourced, so there is no full replay to compare with"]
    table = payoff_table(loads, codec)
    lines = []
    for interval in intervals:
        variant = f"hybrid-{interval}"
        mine = table[table["hybrid"] == variant] if not table.empty else table
        if mine.empty:
            lines.append(
                f"{variant}: no measured length reaches {2 * interval - 1:,} events, where a "
                "worst case (interval - 1 events past a snapshot) first exists"
            )
            continue
        wins = mine[mine["faster"] == "hybrid"]
        if wins.empty:
            when = "was never faster than a full replay at the measured lengths"
        else:
            when = f"beat a full replay from {wins['history (events)'].iloc[0]} events on"
        lines.append(f"{variant}: its worst case ({codec}) {measured(when)}")
    return lines


# --- writes and storage ------------------------------------------------------------------------


def write_lines(writes: pd.DataFrame) -> list[str]:
    normal = writes[
        (writes["synchronous"] == "NORMAL") & (writes["variant"] != "snapshot row only")
    ]
    full = writes[writes["synchronous"] == "FULL"]
    lines = []
    if not normal.empty and not full.empty:
        ratio = full["us_per_command"].median() / normal["us_per_command"].median()
        slow, fast = (
            (full["setting"].iloc[0], normal["setting"].iloc[0])
            if "setting" in writes
            else ("synchronous=FULL", "synchronous=NORMAL")
        )
        lines.append(
            f"waiting for the disk on every commit ({slow}) made a write "
            f"{measured(times(ratio))} as slow as {fast} (medians over the strategies)"
        )
    snap = writes[writes["variant"] == "snapshot row only"]
    if not snap.empty and not normal.empty:
        lines.append(
            f"one more snapshot row inside a save's transaction cost "
            f"{measured(us(float(snap['us_per_command'].iloc[0])))} us, against "
            f"{measured(us(normal['us_per_command'].median()))} us for a whole save"
        )
    return lines or ["no writes were timed"]


# --- the command line's summary ------------------------------------------------------------


def summary_text(results) -> list[str]:
    """Every section the notebook shows, per engine, then the engines side by side and the
    concurrent writers, as text lines (used by the command line)."""
    lines = []
    several = len(results.engines) > 1
    for engine in results.engines:
        if several:
            lines.append(f"\n=== {engine} ===")
        lines.extend(_engine_summary(results.only(engine)))
    for title, body in engine_sections(results):
        lines.append(f"\n{title}:")
        lines.extend(f"  {as_text(line)}" for line in body)
    return lines


HEADLINE_REPLAY = 100_000
"""The replay length the engine ratios quote when it was measured (else the longest)."""


def engine_sections(results) -> list[tuple[str, list[str]]]:
    """The engines side by side (when two ran), their durability settings and the writers."""
    from helpers.bench.engines import comparison_from_run, conflict_lines, summary_lines
    from helpers.bench.tables import concurrency_table, durability_table

    tables = results.tables
    if len(results.engines) > 1:
        comparison = comparison_from_run(tables, results.config.codecs[0])
        side = summary_lines(comparison, HEADLINE_REPLAY)
    else:
        side = [
            f"only {results.engines[0]} was measured: add postgres (--engines sqlite,postgres) "
            "to put the engines side by side"
        ]
    concurrency = tables["concurrency"]
    writers = _frame_lines(concurrency_table(concurrency))
    if not concurrency.empty:
        writers += [line.replace("≈ ", "") for line in _conflicts(concurrency, conflict_lines)]
    return [
        ("engines side by side (PostgreSQL / SQLite)", side),
        (
            "durability: does a commit wait for the disk?",
            _frame_lines(durability_table(tables["writes"])),
        ),
        ("concurrent writers", writers),
    ]


def _conflicts(concurrency: pd.DataFrame, conflict_lines) -> list[str]:
    from helpers.bench.engines import EngineComparison

    empty = pd.DataFrame()
    return conflict_lines(EngineComparison(empty, empty, empty, empty, concurrency, 0))


def _engine_summary(results) -> list[str]:
    """The sections of one engine's tables."""
    from helpers.bench.plan import flat_bases

    tables, config = results.tables, results.config
    variants = list(tables["loads"]["variant"].unique())
    bases = flat_bases(config)
    flat = flatness_table(tables["flatness"], bases, variants, config.largest, config.flat_base)
    intervals = config.intervals if "hybrid" in config.strategies else ()
    sections = [
        ("checks", checked_lines(tables)),
        ("growth with history (warm loads)", _frame_lines(growth_table(tables["loads"]))),
        ("flat loads", _frame_lines(flat)),
        ("warm and cold", cold_warm_lines(tables["loads"])),
        ("floors", floor_lines(tables["loads"], tables["floors"])),
        ("codecs", codec_lines(tables["loads"])),
        ("where snapshots pay off", payoff_lines(tables["loads"], intervals, config.codecs[0])),
        ("writes", write_lines(tables["writes"])),
    ]
    lines = []
    for title, body in sections:
        lines.append(f"\n{title}:")
        lines.extend(f"  {as_text(line)}" for line in body)
    return lines


def _frame_lines(frame: pd.DataFrame) -> list[str]:
    if frame.empty:
        return ["nothing measured"]
    return frame.round(2).to_string(index=False).splitlines()


# --- the run itself, memory, breakdown, the reference ------------------------------------------


def run_lines(results) -> list[str]:
    """How long the run took and in what conditions (all of it varies from run to run)."""
    env = results.environment
    return [
        f"the run took {measured(f'{results.seconds:.0f} s')}; the load average when it "
        f"started was {measured(env.get('load_average_at_start', 'unavailable'))} on "
        f"{measured(env.get('cores', '?'))} cores",
        f"cold loads: {measured(env.get('cold_loads', 'unknown'))}",
    ]

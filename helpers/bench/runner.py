"""Run a configured benchmark: set up each history, measure it, and collect tables.

``run(config)`` returns a :class:`Results` of pandas DataFrames (one per measurement) plus
the targets table; ``helpers.bench.report`` writes them as CSV and PNG. Work files live in a
temporary folder that is removed at the end, whatever happens.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from helpers.bench import breakdown, library, measure, targets
from helpers.bench.config import BenchConfig, variant_label
from helpers.bench.environment import describe
from helpers.bench.histories import (
    History,
    add_snapshots,
    disk_bytes,
    generate,
    remove_database,
    store,
    table_bytes,
)
from helpers.domain.state import fold
from helpers.samples.workload import Expected, expected_after

TABLES = (
    "loads",
    "flatness",
    "writes",
    "storage",
    "memory",
    "breakdown",
    "library",
    "targets",
)
FLAT_BASE_LENGTH = 1_000
"""Flat strategies are compared, in alternation, between this length and the largest."""


@dataclass
class Results:
    """One run's tables, the conditions it ran in, and how long it took."""

    config: BenchConfig
    environment: dict[str, str]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    seconds: float = 0.0

    def __getitem__(self, name: str) -> pd.DataFrame:
        """``results["loads"]``: one table by name (see ``TABLES``)."""
        return self.tables[name]


class _Collector:
    """Accumulates rows per table while the run goes."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {name: [] for name in TABLES}

    def add(self, table: str, **row: object) -> None:
        self.rows[table].append(row)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {name: pd.DataFrame(rows) for name, rows in self.rows.items()}


def _expected_state(history: History, version: int) -> Expected:
    """The state the generated account had at ``version`` (for temporal loads)."""
    state = fold(history.events[:version])
    assert state is not None
    return Expected(state.balance, state.version, str(state.status))


def _steps(config: BenchConfig) -> int:
    """Progress bar length: every (length, variant), library length and write series."""
    library_lengths = sum(1 for n in config.lengths if n <= config.library_max_length)
    return (len(config.lengths) + 1) * len(config.variants) + library_lengths


def run(config: BenchConfig, *, progress: bool = True, command: str = "") -> Results:
    """Measure everything ``config`` asks for; raises ``WrongLoad`` on any incorrect load."""
    started = time.perf_counter()
    results = Results(config, describe(config.preset, command))
    rows = _Collector()
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-bench-") as work:
        workdir = Path(work)
        bar = tqdm(total=_steps(config), disable=not progress, unit="step", desc="bench")
        for length in sorted(config.lengths):
            history = generate(length, config.seed)
            before_last = _expected_state(history, length - 1) if length > 1 else None
            for strategy, interval in config.variants:
                bar.set_description(f"{variant_label(strategy, interval)} @ {length:,}")
                _measure_variant(config, rows, workdir, history, strategy, interval, before_last)
                bar.update()
            remove_database(workdir / f"events-{length}.db")
            if 0 < length <= config.library_max_length:
                bar.set_description(f"eventsourcing library @ {length:,}")
                _measure_library(config, rows, workdir, history)
                bar.update()
        for strategy, interval in config.variants:
            bar.set_description(f"writes {variant_label(strategy, interval)}")
            _measure_writes(config, rows, workdir, strategy, interval)
            bar.update()
        bar.close()
    results.tables = rows.frames()
    tables = results.tables
    tables["targets"] = targets.judge(
        tables["loads"], tables["memory"], tables["library"], tables["flatness"]
    )
    results.seconds = time.perf_counter() - started
    return results


def _events_file(workdir: Path, history: History) -> Path:
    """The event-sourced file of this history, written once per length and then reused."""
    path = workdir / f"events-{history.length}.db"
    if not path.exists():
        store(history, path, "event-sourced", None)
    return path


def _measure_variant(config, rows, workdir, history, strategy, interval, before_last) -> None:
    """Store one history with one strategy, then time, size and (maybe) profile its loads."""
    label = variant_label(strategy, interval)
    length = history.length
    path = workdir / f"{label}-{length}.db"
    if strategy == "event-sourced":
        shutil.copyfile(_events_file(workdir, history), path)
    elif strategy == "hybrid":
        add_snapshots(history, _events_file(workdir, history), path, interval)
    else:
        store(history, path, strategy, interval)
    size = disk_bytes(path)
    pages, payload = table_bytes(path)
    rows.add(
        "storage",
        variant=label,
        strategy=strategy,
        interval=interval,
        events=length,
        file_bytes=size,
        table_bytes=pages,
        row_bytes=payload,
        bytes_per_event=pages / length,
        bytes_per_account=pages,
    )
    for codec in config.codecs:
        timing = measure.time_load(
            path, strategy, interval, codec, history.expected, config.repeats
        )
        _add_load(rows, label, strategy, interval, codec, length, "latest", timing)
        if strategy == "hybrid" and interval is not None and length > interval:
            # load(version=length - 1): the newest snapshot at or before it is interval - 1
            # events behind when the length is a multiple of the interval: the worst case.
            timing = measure.time_load(
                path, strategy, interval, codec, before_last, config.repeats, version=length - 1
            )
            _add_load(rows, label, strategy, interval, codec, length, "worst tail", timing)
    if length == config.largest:
        _measure_memory(config, rows, path, history, strategy, interval)
        _measure_flatness(config, rows, workdir, path, history, strategy, interval)
    if strategy == "event-sourced" and length == _breakdown_length(config):
        for codec in config.codecs:
            stages = breakdown.replay_breakdown(path, codec, history.expected, config.repeats)
            for stage, us in stages.items():
                rows.add("breakdown", codec=codec, events=length, stage=stage, us_per_event=us)
        peak = measure.peak_list_memory(path, "json", length)
        rows.add(
            "memory",
            variant=label,
            codec="json",
            events=length,
            how="materialised list",
            peak_mb=peak / 1e6,
        )
    if strategy != "event-sourced" and length == FLAT_BASE_LENGTH < config.largest:
        path.rename(_flat_base(workdir, label))  # kept for the paired flatness timing
        return
    remove_database(path)


def _flat_base(workdir: Path, label: str) -> Path:
    return workdir / f"flat-base-{label}.db"


def _measure_flatness(config, rows, workdir, path, history, strategy, interval) -> None:
    """Load at FLAT_BASE_LENGTH vs at the largest length, timed in alternation."""
    label = variant_label(strategy, interval)
    base = _flat_base(workdir, label)
    if strategy == "event-sourced" or not base.exists():
        return
    base_expected = expected_after(FLAT_BASE_LENGTH, seed=config.seed)
    for codec in config.codecs:
        paired = measure.time_paired_loads(
            (base, base_expected), (path, history.expected), strategy, interval, codec
        )
        rows.add(
            "flatness",
            variant=label,
            codec=codec,
            base_events=FLAT_BASE_LENGTH,
            events=history.length,
            base_median_us=paired.base_median_us,
            median_us=paired.median_us,
            ratio=paired.ratio,
            samples=paired.samples,
        )
    remove_database(base)


def _breakdown_length(config: BenchConfig) -> int:
    return config.breakdown_length if config.breakdown_length in config.lengths else config.largest


def _add_load(rows, label, strategy, interval, codec, length, kind, timing) -> None:
    rows.add(
        "loads",
        variant=label,
        strategy=strategy,
        interval=interval,
        codec=codec,
        events=length,
        load=kind,
        median_us=timing.median_us,
        min_us=timing.min_us,
        max_us=timing.max_us,
        us_per_event=timing.median_us / length,
        cpu_median_us=timing.cpu_median_us,
        events_replayed=timing.events_replayed,
        repeats=timing.repeats,
    )


def _measure_memory(config, rows, path, history, strategy, interval) -> None:
    codecs = config.codecs if strategy == "event-sourced" else config.codecs[:1]
    for codec in codecs:
        peak = measure.peak_load_memory(path, strategy, interval, codec, history.expected)
        rows.add(
            "memory",
            variant=variant_label(strategy, interval),
            codec=codec,
            events=history.length,
            how="streamed load",
            peak_mb=peak / 1e6,
        )


def _measure_library(config, rows, workdir, history) -> None:
    path = workdir / f"library-{history.length}.db"
    account_id = library.store_library_history(path, history.length, config.seed)
    samples, cpu = library.time_library_load(path, account_id, history.expected, config.repeats)
    median, low, high = library.summarise(samples)
    rows.add(
        "library",
        variant="eventsourcing library",
        events=history.length,
        median_us=median,
        min_us=low,
        max_us=high,
        us_per_event=median / history.length,
        cpu_median_us=library.summarise(cpu)[0],
        file_bytes=disk_bytes(path),
        repeats=config.repeats,
    )
    remove_database(path)


def _measure_writes(config, rows, workdir, strategy, interval) -> None:
    label = variant_label(strategy, interval)
    for codec in config.codecs:
        path = workdir / f"writes-{label}-{codec}.db"
        us = measure.time_writes(path, strategy, interval, codec, config.write_commands)
        rows.add(
            "writes",
            variant=label,
            strategy=strategy,
            interval=interval,
            codec=codec,
            commands=config.write_commands,
            us_per_command=us,
        )
        remove_database(path)

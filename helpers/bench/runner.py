"""Run a configured benchmark: set up each history, time it in rounds, and collect tables.

``run(config)`` returns a :class:`Results` of pandas DataFrames, one per measurement (see
``TABLES``); ``helpers.bench.report`` writes them as CSV and PNG and ``helpers.bench.summary``
reads them. For each engine and each history length, every store is set up first; then all
its loads (warm and cold, for every strategy and codec), the floors and the library are timed
together in rounds (``measure.time_in_rounds``). Then come the writes and the concurrent
writers (``writers``: 1, 2, 4 ... processes on distinct accounts and on one shared account).
Work files live in a temporary folder that is removed at the end, whatever happens; a
PostgreSQL server is started once for the run's PostgreSQL part (unless
``REBUILD_LAB_POSTGRES_URL`` names one) and stopped, its data folder deleted, when it ends.
Every row of every table carries the ``engine`` it was measured on.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from helpers.bench import breakdown, library, measure, writers, writes
from helpers.bench.config import BenchConfig, variant_label
from helpers.bench.environment import describe, load_average
from helpers.bench.floors import FloorReader
from helpers.bench.histories import (
    History,
    generate,
    open_repository,
    open_stores,
    store,
    write_snapshots,
)
from helpers.bench.measure import Cell
from helpers.bench.plan import events_replayed, flat_bases, split_label, worst_tail_version

TABLES = (
    "loads",
    "floors",
    "flatness",
    "writes",
    "storage",
    "memory",
    "breakdown",
    "concurrency",
    "units",
)


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

    @property
    def engines(self) -> list[str]:
        """The engines measured, in the order they ran."""
        return list(self.config.engines)

    def only(self, engine: str) -> Results:
        """The same run with every table cut to one engine's rows (for per-engine reading)."""
        config = self.config.with_overrides(engines=(engine,))
        return Results(config, self.environment, only_engine(self.tables, engine), self.seconds)


def only_engine(tables: dict[str, pd.DataFrame], engine: str) -> dict[str, pd.DataFrame]:
    """Every table cut to the rows of one engine (a table without the column is kept whole)."""
    return {
        name: frame[frame["engine"] == engine].reset_index(drop=True)
        if "engine" in frame
        else frame
        for name, frame in tables.items()
    }


def _steps(config: BenchConfig) -> int:
    per_engine = len(config.lengths) * (config.repeats + 2) + config.repeats + 1
    return per_engine * len(config.engines)


def run(config: BenchConfig, *, progress: bool = True, command: str = "") -> Results:
    """Measure everything ``config`` asks for; raises ``WrongLoad`` on any incorrect load."""
    started = time.perf_counter()
    results = Results(config, describe(config.preset, command))
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    bar = tqdm(total=_steps(config), disable=not progress, unit="step", desc="bench")
    notes: dict[str, list[str]] = {"cold_loads": [], "storage": [], "durability": []}
    try:
        with tempfile.TemporaryDirectory(prefix="rebuild-lab-bench-") as work:
            for engine in config.engines:
                bar.set_description(f"{engine}: starting")
                with open_stores(engine, Path(work)) as stores:
                    EngineRun(config, stores, rows, bar).measure()
                    _note_engine(stores, notes, results.environment)
    finally:
        bar.close()
    results.tables = {name: pd.DataFrame(table_rows) for name, table_rows in rows.items()}
    results.tables["units"] = unit_costs(results.tables)
    for key, lines in notes.items():
        results.environment[key] = "; ".join(lines)
    results.environment["load_average_at_end"] = load_average() + " (1, 5, 15 min)"
    results.seconds = time.perf_counter() - started
    return results


def _note_engine(stores, notes: dict[str, list[str]], environment: dict[str, str]) -> None:
    """What "cold", "storage" and "durability" mean on this engine, for the CSV headers."""
    engine = stores.engine
    notes["cold_loads"].append(f"{engine}: {stores.cold_loads()}")
    notes["storage"].append(f"{engine}: {stores.storage_note}")
    levels = ", ".join(f"{level} = {stores.settings[level]}" for level in stores.durability_levels)
    notes["durability"].append(f"{engine}: {levels} (default {stores.default_level})")
    if engine == "postgres":
        environment["postgres"] = _server_version(stores)


def _server_version(stores) -> str:
    import psycopg

    from helpers.storage.postgres_server import configured_url

    with psycopg.connect(stores.server_url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    where = "REBUILD_LAB_POSTGRES_URL" if configured_url() else "the embedded server"
    return f"{version} ({where})"


class EngineRun:
    """Everything measured on one engine: loads per length, then writes."""

    def __init__(self, config: BenchConfig, stores, rows: dict[str, list[dict]], bar) -> None:
        self.config = config
        self.stores = stores
        self.engine = stores.engine
        self.rows = rows
        self.bar = bar
        self.bases = flat_bases(config)
        self.kept: dict[str, tuple[object, History]] = {}  # flat base stores, by variant
        self.library_files: list[Path] = []

    def add(self, table: str, **row: object) -> None:
        self.rows[table].append({"engine": self.engine, **row})

    def measure(self) -> None:
        for length in sorted(self.config.lengths):
            self.measure_length(generate(length, self.config.seed))
        self.measure_writes()
        self.measure_concurrency()

    # --- one history length ----------------------------------------------------------------

    def measure_length(self, history: History) -> None:
        config, length = self.config, history.length
        self.bar.set_description(f"{self.engine}: storing {length:,} events")
        events = self.stores.target(f"events-{length}")
        store(history, events, "event-sourced", None)
        targets = self.set_up_variants(history, events)
        self.bar.update()
        cells, closers = self.load_cells(history, targets)
        floor = FloorReader(events, length)
        closers.append(floor.close)
        cells += [
            Cell(("floor", "raw row fetch", length), floor.fetch(), per=length),
            Cell(("floor", "json.loads alone", length), floor.parse(), per=length),
        ]
        if self.stores.measures_library and length <= config.library_max_length:
            loader = self.library_loader(history)
            cells.append(Cell(("floor", "eventsourcing library", length), loader, per=length))
            closers.append(loader.close)
        if length == config.largest:
            flat_cells, flat_closers = self.flat_cells(history, targets)
            cells += flat_cells
            closers += flat_closers
        try:
            self.bar.set_description(f"{self.engine}: timing loads at {length:,} events")
            measure.time_in_rounds(cells, config.repeats, config.seed + length, self.bar.update)
        finally:
            for close in closers:
                close()
        self.record(cells, history)
        self.bar.set_description(f"{self.engine}: memory and breakdown at {length:,}")
        if length == config.largest:
            self.measure_memory(history, targets, events)
        elif "event-sourced" in config.strategies:
            self.measure_replay_memory(history, events)
        if length == self.breakdown_length() and "event-sourced" in config.strategies:
            self.measure_breakdown(history, events)
        self.bar.update()
        self.clean_up(history, targets, events)

    def set_up_variants(self, history: History, events) -> dict[str, object]:
        """One store per variant; event-sourced loads read the shared event store."""
        targets = {}
        for strategy, interval in self.config.variants:
            label = variant_label(strategy, interval)
            if strategy == "event-sourced":
                target = events
            else:
                target = self.stores.target(f"{label}-{history.length}")
                if strategy == "hybrid":
                    self.stores.copy(events, target)
                    write_snapshots(history, target, interval)
                else:
                    store(history, target, strategy, interval)
            targets[label] = target
            self.add_storage(label, strategy, interval, history, target)
        return targets

    def add_storage(self, label, strategy, interval, history, target) -> None:
        size = self.stores.settle(target)
        pages, payload = self.stores.table_bytes(target)
        snapshots = 0 if interval is None else history.length // interval
        self.add(
            "storage",
            variant=label,
            strategy=strategy,
            interval=interval,
            events=history.length,
            snapshots=snapshots if strategy == "hybrid" else int(strategy == "snapshot"),
            file_bytes=size,
            table_bytes=pages,
            row_bytes=payload,
            bytes_per_event=pages / history.length,
        )

    def load_cells(self, history: History, targets: dict[str, object]):
        """Warm and cold cells for every variant, codec and kind of load."""
        cells: list[Cell] = []
        closers = []
        for strategy, interval in self.config.variants:
            label = variant_label(strategy, interval)
            target = targets[label]
            kinds = [("latest", None)]
            if interval is not None:
                tail = worst_tail_version(history.length, interval)
                if tail is not None:
                    kinds.append(("worst tail", tail))
            for codec in self.config.codecs:
                repo = open_repository(target, strategy, interval, codec)
                closers.append(repo.close)
                for kind, version in kinds:
                    expected = history.expected_at(version or history.length)
                    what = f"{label}/{codec} {kind} at {history.length:,} events"
                    key = (label, codec, kind, version or history.length)
                    cells.append(
                        Cell(
                            ("load", *key, "warm"),
                            measure.warm_load(repo, version, expected, what),
                            per=history.length,
                        )
                    )
                    cells.append(
                        Cell(
                            ("load", *key, "cold"),
                            measure.cold_load(
                                target, strategy, interval, codec, version, expected, what
                            ),
                            per=history.length,
                            prepare=lambda t=target: self.stores.drop_cache(t),
                        )
                    )
        return cells, closers

    def library_loader(self, history: History) -> library.LibraryLoader:
        path = self.stores.workdir / f"library-{history.length}.sqlite"
        account_id = library.store_library_history(path, history.length, self.config.seed)
        self.library_files.append(path)
        return library.LibraryLoader(path, account_id, history.expected)

    def flat_cells(self, history: History, targets: dict[str, object]):
        """Warm loads of each flat variant's base store, timed in the largest length's rounds."""
        cells, closers = [], []
        for strategy, interval in self.config.variants:
            label = variant_label(strategy, interval)
            if label not in self.kept:
                continue
            base_target, base_history = self.kept[label]
            version = (
                None if interval is None else worst_tail_version(base_history.length, interval)
            )
            expected = base_history.expected_at(version or base_history.length)
            for codec in self.config.codecs:
                repo = open_repository(base_target, strategy, interval, codec)
                closers.append(repo.close)
                what = f"{label}/{codec} at the flatness base {base_history.length:,}"
                cells.append(
                    Cell(
                        ("flat base", label, codec, base_history.length, version),
                        measure.warm_load(repo, version, expected, what),
                    )
                )
        return cells, closers

    def record(self, cells: list[Cell], history: History) -> None:
        """Turn the timed cells into rows of the loads, floors and flatness tables."""
        loads = {}
        for cell in cells:
            stats = cell.summary()
            if cell.key[0] == "load":
                _, label, codec, kind, version, cache = cell.key
                row = self.load_row(label, codec, kind, version, cache, history, stats)
                loads[label, codec, kind, cache] = stats
                self.add("loads", **row)
            elif cell.key[0] == "floor":
                _, floor, length = cell.key
                self.add(
                    "floors",
                    floor=floor,
                    events=length,
                    **stats,
                    us_per_event=stats["median_us"] / length,
                )
        for cell in cells:
            if cell.key[0] != "flat base":
                continue
            _, label, codec, base_length, version = cell.key
            kind = "latest" if version is None else "worst tail"
            top = loads[label, codec, kind, "warm"]
            base = cell.summary()
            self.add(
                "flatness",
                variant=label,
                codec=codec,
                load=kind,
                base_events=base_length,
                events=history.length,
                base_median_us=base["median_us"],
                median_us=top["median_us"],
                base_cpu_median_us=base["cpu_median_us"],
                cpu_median_us=top["cpu_median_us"],
                ratio=top["cpu_median_us"] / base["cpu_median_us"],
                samples=min(base["samples"], top["samples"]),
            )

    def load_row(self, label, codec, kind, version, cache, history, stats) -> dict:
        strategy, interval = split_label(label)
        return {
            "variant": label,
            "strategy": strategy,
            "interval": interval,
            "codec": codec,
            "events": history.length,
            "load": kind,
            "cache": cache,
            "version": version,
            "events_replayed": events_replayed(strategy, interval, version, history.length),
            **stats,
            "us_per_event": stats["median_us"] / history.length,
        }

    def measure_memory(self, history: History, targets, events) -> None:
        for strategy, interval in self.config.variants:
            label = variant_label(strategy, interval)
            codecs = self.config.codecs if strategy == "event-sourced" else self.config.codecs[:1]
            for codec in codecs:
                peak = measure.peak_load_memory(
                    targets[label], strategy, interval, codec, history.expected
                )
                self.add(
                    "memory",
                    variant=label,
                    codec=codec,
                    events=history.length,
                    how="streamed load",
                    peak_kb=peak / 1_000,
                )

    def measure_replay_memory(self, history: History, events) -> None:
        """A streamed full replay below the largest length: memory should not grow with it."""
        codec = self.config.codecs[0]
        peak = measure.peak_load_memory(events, "event-sourced", None, codec, history.expected)
        self.add(
            "memory",
            variant="event-sourced",
            codec=codec,
            events=history.length,
            how="streamed load",
            peak_kb=peak / 1_000,
        )

    def breakdown_length(self) -> int:
        wanted = self.config.breakdown_length
        return wanted if wanted in self.config.lengths else self.config.largest

    def measure_breakdown(self, history: History, events) -> None:
        for codec in self.config.codecs:
            stages = breakdown.replay_breakdown(
                events, codec, history.expected, self.config.repeats
            )
            for stage, us in stages.items():
                self.add(
                    "breakdown", codec=codec, events=history.length, stage=stage, us_per_event=us
                )
        peak = measure.peak_list_memory(events, self.config.codecs[0], history.length)
        self.add(
            "memory",
            variant="event-sourced",
            codec=self.config.codecs[0],
            events=history.length,
            how="materialised list",
            peak_kb=peak / 1_000,
        )

    def clean_up(self, history: History, targets: dict[str, object], events) -> None:
        """Remove this length's stores, except those kept as flatness bases."""
        length = history.length
        keep = {label for label, base in self.bases.items() if base == length}
        for label, target in targets.items():
            if label in keep:
                self.kept[label] = (target, history)
            elif target != events:
                self.stores.remove(target)
        if "event-sourced" not in keep:
            self.stores.remove(events)
        for path in self.library_files:
            path.unlink(missing_ok=True)
        self.library_files.clear()
        if length == self.config.largest:
            for target, _ in self.kept.values():
                self.stores.remove(target)
            self.kept.clear()

    # --- writes ------------------------------------------------------------------------------

    def measure_writes(self) -> None:
        self.bar.set_description(f"{self.engine}: timing writes")
        for row in writes.measure_writes(self.config, self.stores, self.bar.update):
            self.add("writes", **row)

    def measure_concurrency(self) -> None:
        """Writer processes at once, on accounts of their own and on one shared account."""
        self.bar.set_description(f"{self.engine}: concurrent writers")
        config = self.config
        target = self.stores.target("writers")
        try:
            with writers.WriterProcesses(max(config.writers)) as processes:
                rows = writers.concurrency_rows(
                    self.engine, target, config.writers, config.writer_seconds, processes
                )
            writers.check_saved_commands(target, rows, max(config.writers))
        finally:
            self.stores.remove(target)
        for row in rows:
            self.add("concurrency", **{k: v for k, v in row.items() if k != "engine"})
        self.bar.update()


def unit_costs(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per engine and codec: the unit costs the cost explorer needs, from this run's tables."""
    from helpers.bench.explorer import units_from_tables

    return units_from_tables(tables)

"""Write cost: every strategy and codec saving commands one per transaction, timed in rounds.

Each series saves commands to a new account in its own store, each command in its own
transaction, as an application would. Series run at the level ``NORMAL`` (a commit does not
wait for the disk: SQLite ``synchronous=NORMAL``, the pack's setting there, where a commit
waits for the write-ahead log to reach the operating system; PostgreSQL
``synchronous_commit=off``) for every codec, and at ``FULL`` (every commit waits for the
disk, milliseconds on many machines: SQLite ``synchronous=FULL``, PostgreSQL
``synchronous_commit=on``, the server's default) for the first codec, with fewer commands.
The ``synchronous`` column holds the level, ``setting`` the engine's own spelling of it and
``default`` whether it is what the pack runs with on that engine. One more cell prices a
snapshot row written inside an open transaction, which is what a hybrid save adds when it
crosses a multiple of its interval.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from helpers.bench import measure
from helpers.bench.config import BenchConfig, variant_label
from helpers.bench.histories import open_repository
from helpers.bench.measure import Cell, WriteSeries
from helpers.bench.plan import split_label
from helpers.samples.workload import build_account

SNAPSHOT_ROWS = 100
"""Snapshot rows written per sample of the snapshot-row cell, in one transaction."""


def measure_writes(config: BenchConfig, stores, tick: Callable[[], None]) -> Iterator[dict]:
    """Time every write series in ``config.repeats`` rounds; yield one row per series."""
    levels = stores.durability_levels
    cells, series = [], []
    for strategy, interval in config.variants:
        label = variant_label(strategy, interval)
        for level in levels:
            normal = level == levels[0]
            commands = config.write_commands if normal else config.full_sync_commands
            for codec in config.codecs if normal else config.codecs[:1]:
                target = stores.target(f"writes-{label}-{codec}-{level}")
                writer = WriteSeries(
                    _opener(stores, target, strategy, interval, codec, level), commands
                )
                series.append((writer, target))
                cells.append(Cell(("write", label, codec, level, commands), writer, per=commands))
    rows_target = stores.target("writes-snapshot-rows")
    snapshot_rows = SnapshotRows(rows_target, config.codecs[0])
    cells.append(Cell(("snapshot row only",), snapshot_rows, per=SNAPSHOT_ROWS))
    series.append((snapshot_rows, rows_target))
    try:
        measure.time_in_rounds(cells, config.repeats, config.seed, tick)
    finally:
        for writer, target in series:
            writer.close()
            stores.remove(target)
    for cell in cells:
        row = _row(cell, config, levels[0])
        row["setting"] = stores.settings[row["synchronous"]]
        row["default"] = row["synchronous"] == stores.default_level
        yield row


def _row(cell: Cell, config: BenchConfig, normal: str) -> dict:
    stats, per = cell.summary(), cell.per
    if cell.key[0] == "write":
        _, label, codec, level, commands = cell.key
    else:
        label, codec, level, commands = "snapshot row only", config.codecs[0], normal, per
    strategy, interval = ("hybrid", None) if cell.key[0] != "write" else split_label(label)
    return {
        "variant": label,
        "strategy": strategy,
        "interval": interval,
        "codec": codec,
        "synchronous": level,
        "commands": commands,
        "us_per_command": stats["median_us"] / per,
        "q1_us": stats["q1_us"] / per,
        "q3_us": stats["q3_us"] / per,
        "min_us": stats["min_us"] / per,
        "max_us": stats["max_us"] / per,
        "samples": stats["samples"],
    }


def _opener(stores, target, strategy, interval, codec, level) -> Callable[[], object]:
    def open_store():
        repo = open_repository(target, strategy, interval, codec)
        stores.set_durability(repo, level)
        return repo

    return open_store


class SnapshotRows:
    """Snapshot rows written inside one open transaction per sample, to a store of its own."""

    def __init__(self, target, codec: str) -> None:
        self.target = target
        self.codec = codec
        self.state = build_account("bench-snapshots", 50, seed=1).state
        self.repo = None
        self.written = 0

    def __call__(self) -> None:
        if self.repo is None:
            self.repo = open_repository(self.target, "hybrid", SNAPSHOT_ROWS, self.codec)
        first = self.written + 1
        self.written += SNAPSHOT_ROWS
        versions = range(first, first + SNAPSHOT_ROWS)
        self.repo.write_snapshots(self.state._replace(version=v) for v in versions)

    def close(self) -> None:
        if self.repo is not None:
            self.repo.close()
            self.repo = None

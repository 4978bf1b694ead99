"""Setting up what is measured: one generated history, stored by each strategy, per engine.

A history is generated once per length (the seeded workload generator) and then written into
a separate store per strategy. Event-sourced and hybrid stores are written the way an
application would write them (the hybrid one in saves of ``interval`` events, so that its own
snapshot policy takes a snapshot at every multiple of the interval). Both codecs write the
same bytes, so one store serves both codecs' loads.

Where a store lives is the engine's business: :class:`SQLiteStores` hands out files in the
run's work folder. A second engine plugs in by adding a class with the same methods to
``ENGINE_STORES``; the runner only ever asks for ``target(name)`` and passes it on to
:func:`open_repository`, which accepts a file path or a database URL alike.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from helpers.domain.account import Account
from helpers.domain.events import DomainEvent
from helpers.domain.state import AccountState, fold
from helpers.samples.workload import Expected, build_account, expected_after
from helpers.storage.codec import Codec, JsonCodec
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.repository import Repository
from helpers.storage.snapshot_store import SnapshotRepository

ACCOUNT_ID = "bench-1"
SAVE_CHUNK = 10_000
"""Events per save when writing a long event-sourced history (keeps transactions moderate)."""


@dataclass(frozen=True)
class History:
    """One generated history: its events, final state, and the generator's own answer."""

    length: int
    events: tuple[DomainEvent, ...]
    state: AccountState
    expected: Expected

    def expected_at(self, version: int) -> Expected:
        """The state at ``version``, for temporal loads (folded from the generated events)."""
        if version == self.length:
            return self.expected
        state = fold(self.events[:version])
        if state is None:
            raise ValueError(f"no state at version {version} of a {self.length}-event history")
        return Expected(state.balance, state.version, str(state.status))


def generate(length: int, seed: int) -> History:
    """Run the seeded generator; ``expected`` is computed independently, by arithmetic."""
    account = build_account(ACCOUNT_ID, length, seed=seed)
    return History(length, account.pending_events, account.state, expected_after(length, seed=seed))


def make_codec(name: str) -> Codec:
    """The codec called ``name``; msgspec is imported only when it is asked for."""
    if name == "msgspec":
        from helpers.storage import MsgspecCodec

        return MsgspecCodec()
    return JsonCodec()


def open_repository(
    target: str | Path, strategy: str, interval: int | None, codec: str = "json"
) -> Repository:
    """A new repository of the given strategy on ``target`` (a SQLite file or a database URL)."""
    if strategy == "snapshot":
        return SnapshotRepository(target, codec=make_codec(codec))
    if strategy == "event-sourced":
        return EventSourcedRepository(target, codec=make_codec(codec))
    if strategy == "hybrid":
        return HybridRepository(target, snapshot_every=interval, codec=make_codec(codec))
    raise ValueError(f"unknown strategy {strategy!r}")


def _chunks(events: tuple[DomainEvent, ...], size: int) -> Iterator[tuple[DomainEvent, ...]]:
    for start in range(0, len(events), size):
        yield events[start : start + size]


def store(history: History, target: str | Path, strategy: str, interval: int | None) -> None:
    """Write ``history`` into a new store with the strategy's own ``save``.

    Event-sourced: saves of ``SAVE_CHUNK`` events. Hybrid: saves of ``interval`` events, so
    the repository's own policy takes a snapshot at every multiple of the interval (the runner
    uses the faster ``add_snapshots`` on a copy of the event store instead; same rows).
    """
    with open_repository(target, strategy, interval) as repo:
        if strategy == "snapshot":
            repo.save(Account(history.state, pending=history.events))
            return
        size = interval if strategy == "hybrid" else SAVE_CHUNK
        state: AccountState | None = None
        for chunk in _chunks(history.events, size or SAVE_CHUNK):
            state = fold(chunk, state)
            if state is None:
                raise ValueError("a history starts with its opening")
            repo.save(Account(state, pending=chunk))


def write_snapshots(history: History, target: str | Path, interval: int) -> None:
    """Add to a copy of the event store the snapshots a hybrid with ``interval`` takes.

    One at every multiple of the interval, written by the repository's own snapshot writer
    (``write_snapshots``) in one transaction: the rows ``store`` would write, but the events
    are encoded once per length instead of once per interval. Write cost is measured on its
    own, one command per transaction (``measure.time_writes``).
    """
    with HybridRepository(target, snapshot_every=interval) as repo:
        repo.write_snapshots(_states_at_multiples(history.events, interval))


def _states_at_multiples(events: tuple[DomainEvent, ...], interval: int) -> Iterator[AccountState]:
    """The state after every ``interval``-th event: where the hybrid's save takes a snapshot."""
    state: AccountState | None = None
    for chunk in _chunks(events, interval):
        state = fold(chunk, state)
        if state is not None and state.version % interval == 0:
            yield state


# --- where stores live: one class per engine -------------------------------------------------


class SQLiteStores:
    """Stores as SQLite files in the run's work folder (the pack's default engine)."""

    engine = "sqlite"
    durability_levels = ("NORMAL", "FULL")
    """``PRAGMA synchronous`` values the write timings compare (NORMAL is the pack's setting)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir

    def target(self, name: str) -> Path:
        return self.workdir / f"{name}.db"

    def exists(self, target: Path) -> bool:
        return Path(target).exists()

    def copy(self, source: Path, target: Path) -> None:
        """A copy of a closed store (checkpointed first, so the copy needs no -wal file)."""
        self.settle(source)
        shutil.copyfile(source, target)

    def remove(self, target: Path) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)

    def settle(self, target: Path) -> int:
        """Checkpoint the -wal file into the database; return the bytes on disk.

        A TRUNCATE checkpoint leaves the -wal file empty, so the size is the database itself,
        not how much of it happens to sit in the write-ahead log at that moment.
        """
        conn = sqlite3.connect(target)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        descriptor = os.open(target, os.O_RDONLY)
        try:
            os.fsync(descriptor)  # written back now, so drop_cache can drop every page later
        finally:
            os.close(descriptor)
        return sum(p.stat().st_size for p in (target, Path(f"{target}-wal")) if p.exists())

    def table_bytes(self, target: Path) -> tuple[int, int]:
        """(pages, row bytes) of the three account tables, from SQLite's ``dbstat`` view.

        Pages are what the tables occupy in the file (an empty table still holds its root
        page); row bytes are the stored rows' own content, without the free space in pages.
        """
        conn = sqlite3.connect(target)
        try:
            marks = ",".join("?" * len(ACCOUNT_TABLES))
            pages, payload = conn.execute(
                f"SELECT SUM(pgsize), SUM(payload) FROM dbstat WHERE name IN ({marks})",
                ACCOUNT_TABLES,
            ).fetchone()
        finally:
            conn.close()
        return int(pages or 0), int(payload or 0)

    def drop_cache(self, target: Path) -> bool:
        """Ask the operating system to forget the file's cached pages; True if it could.

        ``posix_fadvise(DONTNEED)`` drops the clean cached pages of this one file, without
        special rights and without touching other programs' files (Linux and most Unixes;
        not macOS or Windows, where a "cold" load then finds the file still cached).
        """
        advise = getattr(os, "posix_fadvise", None)
        if advise is None:
            return False
        for path in (Path(target), Path(f"{target}-wal")):
            if not path.exists():
                continue
            descriptor = os.open(path, os.O_RDONLY)
            try:  # only clean pages are dropped: settle() wrote the file back after setup
                advise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(descriptor)
        return True

    def set_durability(self, repo: Repository, level: str) -> None:
        """Switch the repository's connection to ``PRAGMA synchronous=<level>``."""
        if level not in self.durability_levels:
            raise ValueError(f"synchronous must be one of {self.durability_levels}")
        repo.db.execute(f"PRAGMA synchronous={level}")


ACCOUNT_TABLES = ("accounts", "events", "snapshots")

ENGINE_STORES: dict[str, Callable[[Path], SQLiteStores]] = {"sqlite": SQLiteStores}
"""Engine name -> the class that places its stores (given the run's work folder)."""


def stores_for(engine: str, workdir: Path) -> SQLiteStores:
    try:
        return ENGINE_STORES[engine](workdir)
    except KeyError:
        raise ValueError(f"no store setup for engine {engine!r}") from None

"""Setting up what is measured: one generated history, stored by each strategy.

A history is generated once per length (the seeded workload generator) and then written into
a separate SQLite file per strategy. Event-sourced and hybrid files are written the way an
application would write them - the hybrid one in saves of ``interval`` events, so its own
snapshot policy takes a snapshot at every multiple of the interval. Both codecs write the same
bytes, so one file serves both codecs' loads.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
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
    path: Path, strategy: str, interval: int | None, codec: str = "json"
) -> Repository:
    """A new repository object of the given strategy on the file at ``path``."""
    if strategy == "snapshot":
        return SnapshotRepository(path, codec=make_codec(codec))
    if strategy == "event-sourced":
        return EventSourcedRepository(path, codec=make_codec(codec))
    if strategy == "hybrid":
        return HybridRepository(path, snapshot_every=interval, codec=make_codec(codec))
    raise ValueError(f"unknown strategy {strategy!r}")


def _chunks(events: tuple[DomainEvent, ...], size: int) -> Iterator[tuple[DomainEvent, ...]]:
    for start in range(0, len(events), size):
        yield events[start : start + size]


def store(history: History, path: Path, strategy: str, interval: int | None) -> None:
    """Write ``history`` into a new file with the strategy's own ``save``.

    Event-sourced: saves of ``SAVE_CHUNK`` events. Hybrid: saves of ``interval`` events, so
    the repository's own policy takes a snapshot at every multiple of the interval (the runner
    uses the faster ``add_snapshots`` on a copy of the event file instead; same rows).
    """
    with open_repository(path, strategy, interval) as repo:
        if strategy == "snapshot":
            repo.save(Account(history.state, pending=history.events))
            return
        size = interval if strategy == "hybrid" else SAVE_CHUNK
        state: AccountState | None = None
        for chunk in _chunks(history.events, size or SAVE_CHUNK):
            state = fold(chunk, state)
            assert state is not None
            repo.save(Account(state, pending=chunk))


def add_snapshots(history: History, events_file: Path, path: Path, interval: int) -> None:
    """A hybrid file made from a copy of an event-sourced file of the same history.

    Adds the snapshots that ``HybridRepository(snapshot_every=interval)`` takes while saving
    (one at every multiple of the interval), through the repository's own snapshot writer
    (``write_snapshots``), in one transaction. The rows are the ones ``store`` would write;
    only the setup is faster, because the events are encoded once per length instead of once
    per interval. Write cost
    is measured separately, one command per transaction (``measure.time_writes``).
    """
    disk_bytes(events_file)  # checkpoint: the copy must not need the -wal file
    shutil.copyfile(events_file, path)
    with HybridRepository(path, snapshot_every=interval) as repo:
        repo.write_snapshots(_states_at_multiples(history.events, interval))


def _states_at_multiples(events: tuple[DomainEvent, ...], interval: int) -> Iterator[AccountState]:
    """The state after every ``interval``-th event: where the hybrid's save takes a snapshot."""
    state: AccountState | None = None
    for chunk in _chunks(events, interval):
        state = fold(chunk, state)
        if state is not None and state.version % interval == 0:
            yield state


def disk_bytes(path: Path) -> int:
    """Bytes on disk after a TRUNCATE checkpoint: the -wal file is then empty (0 bytes).

    Checkpointing first means the number is the database itself, not how much of it happens
    to sit in the write-ahead log at that moment.
    """
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


ACCOUNT_TABLES = ("accounts", "events", "snapshots")


def table_bytes(path: Path) -> tuple[int, int]:
    """(pages, row bytes) of the three account tables, from SQLite's ``dbstat`` view.

    Pages are what the tables occupy in the file (an empty table still holds its root page);
    row bytes are the stored rows' own content, without the free space inside pages.
    """
    conn = sqlite3.connect(path)
    try:
        marks = ",".join("?" * len(ACCOUNT_TABLES))
        pages, payload = conn.execute(
            f"SELECT SUM(pgsize), SUM(payload) FROM dbstat WHERE name IN ({marks})",
            ACCOUNT_TABLES,
        ).fetchone()
    finally:
        conn.close()
    return int(pages or 0), int(payload or 0)


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

"""Setting up what is measured: one generated history, stored by each strategy, per engine.

A history is generated once per length (the seeded workload generator) and then written into
a separate store per strategy. Event-sourced and hybrid stores are written the way an
application would write them (the hybrid one in saves of ``interval`` events, so that its own
snapshot policy takes a snapshot at every multiple of the interval). Both codecs write the
same bytes, so one store serves both codecs' loads.

Where a store lives is the engine's business: :class:`SQLiteStores` hands out files in the
run's work folder, :class:`PostgresStores` one schema per store on a PostgreSQL server. The
runner opens an engine's stores with ``ENGINE_STORES[engine](workdir)`` (a context manager),
asks for ``target(name)`` and passes it on to :func:`open_repository`, which accepts a file
path or a database URL alike.

What differs between the engines, and what each measures instead:

* **Storage.** SQLite: the bytes of the file after a checkpoint, and the pages of the three
  account tables (``dbstat``). PostgreSQL: ``pg_total_relation_size`` of the pack's tables in
  the store's schema (heap, indexes and TOAST), and of the three account tables.
* **Cold loads.** SQLite: a new connection to a file dropped from the operating system's cache.
  PostgreSQL: a new connection, which is a new server process with empty per-connection caches;
  the server's shared buffers and the operating system's cache keep the table pages, and only a
  server restart would drop them, so a PostgreSQL cold load is "new connection, warm server".
* **Durability.** The write timings compare a commit that does not wait for the disk with one
  that does. SQLite: ``synchronous=NORMAL`` (the pack's setting; in WAL mode a commit waits
  for the operating system, not the disk) and ``FULL``. PostgreSQL: ``synchronous_commit=off``
  and ``on`` (the server's default and the pack's). Both "off"-side settings can lose the last
  few commits in a power cut (PostgreSQL also in a crash of the server), never corrupt the
  store, so ``off`` is the honest analogue of ``NORMAL``, and ``on`` of ``FULL``. The ``level``
  column of the writes table says ``NORMAL`` / ``FULL`` for both engines, and ``setting``
  gives each engine's own name for it.
* **The eventsourcing library** is timed on SQLite only: the floors table says so for
  PostgreSQL instead of leaving a blank.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from helpers.bench.config import BenchParameterError
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


DURABILITY_LEVELS = ("NORMAL", "FULL")
"""A commit that does not wait for the disk, and one that does (the first is timed with every
codec and more commands, the second with the first codec)."""


class SQLiteStores:
    """Stores as SQLite files in the run's work folder (the pack's default engine)."""

    engine = "sqlite"
    durability_levels = DURABILITY_LEVELS
    settings: ClassVar[dict[str, str]] = {
        "NORMAL": "synchronous=NORMAL",
        "FULL": "synchronous=FULL",
    }
    """Each durability level as this engine spells it (NORMAL is the pack's setting)."""
    default_level = "NORMAL"
    measures_library = True
    """The eventsourcing library's reference replay runs on SQLite files."""
    storage_note = "file bytes after a TRUNCATE checkpoint; table pages from dbstat"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir

    @classmethod
    @contextmanager
    def open(cls, workdir: Path) -> Iterator[SQLiteStores]:
        """The stores of one run: files in ``workdir``, removed with it by the runner."""
        yield cls(workdir)

    def cold_loads(self) -> str:
        if hasattr(os, "posix_fadvise"):
            return "a new connection to a file dropped from the OS cache (posix_fadvise)"
        return "a new connection; this system cannot drop a file from its cache"

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


class PostgresStores:
    """Stores as schemas on one PostgreSQL server, each opened through a URL of its own.

    ``open`` starts the embedded server the tests use (on a real disk, since commits are
    timed), or uses ``REBUILD_LAB_POSTGRES_URL`` if it is set, and drops every schema it
    made when the block ends; an embedded server is stopped and its data folder deleted.
    """

    engine = "postgres"
    durability_levels = DURABILITY_LEVELS
    settings: ClassVar[dict[str, str]] = {
        "NORMAL": "synchronous_commit=off",
        "FULL": "synchronous_commit=on",
    }
    default_level = "FULL"
    measures_library = False
    storage_note = "pg_total_relation_size of the tables (heap, indexes and TOAST)"
    PREFIX = "rebuild_lab_bench_"
    """Then the process id: two runs sharing one server never touch each other's schemas."""

    def __init__(self, workdir: Path, server_url: str) -> None:
        self.workdir = workdir
        self.server_url = server_url
        self.schemas: dict[str, str] = {}  # target URL -> schema

    @classmethod
    @contextmanager
    def open(cls, workdir: Path) -> Iterator[PostgresStores]:
        from helpers.storage.postgres_server import postgres_server

        with ExitStack() as stack:
            try:
                url = stack.enter_context(postgres_server())
            except Exception as error:  # a server that cannot start: say why, briefly
                raise BenchParameterError(
                    "engines",
                    f"'postgres' was asked for, but its server could not start ({error})",
                ) from None
            stores = cls(workdir, url)
            stack.callback(stores.remove_all)  # runs before the server stops
            yield stores

    def cold_loads(self) -> str:
        return (
            "a new connection (a new server process); the server's shared buffers and the OS "
            "cache stay warm"
        )

    def _admin(self):
        import psycopg

        return psycopg.connect(self.server_url, autocommit=True)

    def target(self, name: str) -> str:
        """A URL for a new, empty schema called after ``name`` (the same URL if asked again)."""
        from helpers.storage.postgres_server import with_search_path

        plain = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        schema = f"{self.PREFIX}{os.getpid()}_{plain}"
        url = with_search_path(self.server_url, schema)
        if url not in self.schemas:
            with self._admin() as admin:
                admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                admin.execute(f"CREATE SCHEMA {schema}")
            self.schemas[url] = schema
        return url

    def exists(self, target: str) -> bool:
        return target in self.schemas

    def copy(self, source: str, target: str) -> None:
        """Every row of the source store's tables, copied on the server into ``target``."""
        from helpers.storage.postgres import TABLES

        with EventSourcedRepository(target):
            pass  # creates the tables (and the meta rows) in the target schema
        old, new = self.schemas[source], self.schemas[target]
        with self._admin() as admin:
            for table in TABLES:
                admin.execute(f"DELETE FROM {new}.{table}")
                admin.execute(f"INSERT INTO {new}.{table} SELECT * FROM {old}.{table}")

    def remove(self, target: str) -> None:
        schema = self.schemas.pop(target, None)
        if schema is not None:
            with self._admin() as admin:
                admin.execute("SET lock_timeout = '10s'")  # an unclosed repository: fail
                admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    def remove_all(self) -> None:
        for target in list(self.schemas):
            self.remove(target)

    def _sizes(self, target: str, tables: tuple[str, ...]) -> int:
        with self._admin() as admin:
            row = admin.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind = 'r' AND c.relname = ANY(%s)",
                (self.schemas[target], list(tables)),
            ).fetchone()
        return int(row[0])

    def settle(self, target: str) -> int:
        """``pg_total_relation_size`` of every table of the pack in the store's schema."""
        from helpers.storage.postgres import TABLES

        with self._admin() as admin:  # statistics and the visibility map, as a server would
            admin.execute(
                f"VACUUM ANALYZE {', '.join(f'{self.schemas[target]}.{t}' for t in TABLES)}"
            )
        return self._sizes(target, TABLES)

    def table_bytes(self, target: str) -> tuple[int, int]:
        """(``pg_total_relation_size``, row bytes) of the three account tables.

        The first counts the tables' pages with their indexes and TOAST; the second the rows'
        own content (``pg_column_size`` of each row), without the free space in pages.
        """
        schema = self.schemas[target]
        payload = 0
        with self._admin() as admin:
            for table in ACCOUNT_TABLES:
                row = admin.execute(
                    f"SELECT COALESCE(SUM(pg_column_size(t.*)), 0) FROM {schema}.{table} t"
                ).fetchone()
                payload += int(row[0])
        return self._sizes(target, ACCOUNT_TABLES), payload

    def drop_cache(self, target: str) -> bool:
        """Nothing to do: a server keeps its pages; a cold load is a new connection (False)."""
        return False

    def set_durability(self, repo: Repository, level: str) -> None:
        """Switch the repository's connection to ``synchronous_commit`` off (NORMAL) or on."""
        if level not in self.durability_levels:
            raise ValueError(f"durability must be one of {self.durability_levels}")
        value = "off" if level == "NORMAL" else "on"
        repo.db.execute(f"SET synchronous_commit = {value}")


Stores = SQLiteStores | PostgresStores

ENGINE_STORES: dict[str, Callable[[Path], AbstractContextManager[Stores]]] = {
    "sqlite": SQLiteStores.open,
    "postgres": PostgresStores.open,
}
"""Engine name -> a context manager that yields its stores (given the run's work folder)."""


def open_stores(engine: str, workdir: Path) -> AbstractContextManager[Stores]:
    """The stores of ``engine`` for one run; a server behind them runs until the block ends."""
    try:
        return ENGINE_STORES[engine](workdir)
    except KeyError:
        raise ValueError(f"no store setup for engine {engine!r}") from None

"""The SQLite engine: files opened the same deliberate way everywhere, one transaction per write.

The settings, and why:

``journal_mode=WAL``
    Write-ahead logging. Readers keep reading while one writer commits, and a commit appends
    to the log instead of rewriting pages, so a transaction costs tens of microseconds instead
    of milliseconds. The file gains two companions (``-wal`` and ``-shm``) that belong to it.
``synchronous=NORMAL`` (the default) or ``FULL``
    What a commit survives. A crash of the *program* - an exception, ``kill -9``, a segfault -
    loses nothing committed under either setting: the commit is in the ``-wal`` file, which
    the operating system holds, and the next connection reads it. A *power failure* or an
    operating-system crash is different. With ``NORMAL`` the log is flushed to the disk only
    when it is checkpointed (about every 1,000 pages), so the commits since the last flush
    may be gone after the reboot; the database is still consistent - it simply ends at an
    earlier commit - never corrupt. With ``FULL`` every commit waits for an fsync of the log,
    so a commit that returned survives the power cut, at the price of one disk flush per
    write transaction (from well under a millisecond on an SSD with a power-safe cache to
    tens of milliseconds on a laptop disk). The pack defaults to ``NORMAL`` because its
    lessons and benchmark replay, they do not keep money; a ledger would choose ``FULL``:
    ``SQLiteDatabase(path, synchronous="FULL")``, passed to any repository.
``busy_timeout`` (5 s unless told otherwise)
    A second writer waits that long for the write lock instead of failing at once. After
    that it raises :class:`~helpers.errors.StoreBusy`, naming the file. Optimistic concurrency,
    not the lock, decides who wins a race; the lock only takes turns.
``isolation_level=None``
    Python's sqlite3 module otherwise opens transactions behind your back. Here every write
    says ``BEGIN IMMEDIATE`` itself (see :func:`transaction`), which takes the write lock at
    the start, so two writers can never both read a version and then both try to write.

Threads. One :class:`SQLiteDatabase` (and so one repository) may be shared by threads; each
thread gets a connection of its own, opened on first use and closed when the thread ends or
the database is closed. The alternative - one shared connection behind a lock - would have
to hold that lock for the whole of every transaction *and* around every read, because a read
on a connection that another thread is using inside a transaction sees that thread's
uncommitted rows (and would block or corrupt a streamed replay). Separate connections let
SQLite do what it already does between processes: readers see only committed data and never
wait (WAL), and writers take turns at the write lock. The cost is one small connection per
thread. For the same reason a ``:memory:`` database is refused: each connection would get an
empty database of its own.

Errors. Driver failures become pack errors here, at the boundary, with the driver's error
kept as the cause: a lock held too long is ``StoreBusy``, a full disk ``StoreFull``, I/O,
permission, damaged-file and commit-time constraint failures ``StoreFailure``, and a stored
value the driver cannot read ``UnreadableRow``. An error in the SQL itself is a bug and stays
a ``sqlite3`` error.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, suppress
from os import PathLike
from pathlib import Path
from typing import NoReturn

from helpers.errors import (
    PersistenceError,
    SchemaVersionError,
    StoreBusy,
    StoreFailure,
    StoreFull,
    UnreadableRow,
)
from helpers.storage.database import LAYOUT_VERSION, Database, Params

__all__ = [
    "LAYOUT_VERSION",
    "SQLiteDatabase",
    "connect",
    "prepare",
    "read_meta",
    "table_rows",
    "transaction",
    "write_meta",
]

BUSY_TIMEOUT = 5.0
"""Seconds a writer waits for another writer's lock before raising ``StoreBusy``."""

SYNCHRONOUS = ("NORMAL", "FULL")
"""The durability settings offered (see the module docstring for what each survives)."""

EVENTS_TABLE = """
CREATE TABLE {name} (
    account_id     TEXT NOT NULL,
    version        INTEGER NOT NULL,
    event_type     TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    occurred_at    TEXT NOT NULL,
    payload        TEXT NOT NULL,
    position       INTEGER NOT NULL UNIQUE,
    PRIMARY KEY (account_id, version)
) WITHOUT ROWID
"""
"""Append-only history. The key makes a clashing write impossible; ``position`` is the
event's place in the feed of all accounts (see ``Database.next_event_position``)."""

CORRECTIONS_TABLE = """
CREATE TABLE {name} (
    account_id       TEXT NOT NULL,
    snapshot_version INTEGER NOT NULL,
    field            TEXT NOT NULL,
    before           TEXT NOT NULL,
    after            TEXT NOT NULL,
    reason           TEXT NOT NULL,
    approved_by      TEXT NOT NULL,
    corrected_at     TEXT NOT NULL,
    PRIMARY KEY (account_id, snapshot_version, field, corrected_at)
) WITHOUT ROWID
"""
"""Manual corrections of an authoritative snapshot (``helpers.storage.reconcile``): one row
per corrected field. The key says a field of one snapshot is corrected once per moment."""

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # Snapshot strategy: one row per account, overwritten on every save.
    """CREATE TABLE IF NOT EXISTS accounts (
        account_id     TEXT PRIMARY KEY,
        version        INTEGER NOT NULL,
        schema_version INTEGER NOT NULL,
        state          TEXT NOT NULL,
        saved_at       TEXT NOT NULL
    )""",
    EVENTS_TABLE.format(name="IF NOT EXISTS events"),
    # Temporal queries (load_as_of) seek by time within one account instead of scanning it.
    "CREATE INDEX IF NOT EXISTS events_by_time ON events (account_id, occurred_at)",
    # Hybrid strategy: snapshots of the state at some versions, beside the events.
    """CREATE TABLE IF NOT EXISTS snapshots (
        account_id     TEXT NOT NULL,
        version        INTEGER NOT NULL,
        schema_version INTEGER NOT NULL,
        state          TEXT NOT NULL,
        PRIMARY KEY (account_id, version)
    ) WITHOUT ROWID""",
    CORRECTIONS_TABLE.format(name="IF NOT EXISTS corrections"),
)
"""The layout (version ``LAYOUT_VERSION``), one statement per entry."""

UPGRADE_FROM_LAYOUT_1 = (
    EVENTS_TABLE.format(name="events_layout_2"),
    # Positions follow the order the events occurred in - except that an event never goes
    # before an earlier version of its own account (a clock that stepped back would otherwise
    # reorder one account's history in the feed). The rows have no other order to offer:
    # the table is WITHOUT ROWID, so there is no insertion order to recover.
    """INSERT INTO events_layout_2 (account_id, version, event_type, schema_version,
                                    occurred_at, payload, position)
       SELECT account_id, version, event_type, schema_version, occurred_at, payload,
              ROW_NUMBER() OVER (ORDER BY reached_at, account_id, version)
       FROM (SELECT *, MAX(occurred_at) OVER (PARTITION BY account_id ORDER BY version)
                       AS reached_at
             FROM events)""",
    "DROP TABLE events",
    "ALTER TABLE events_layout_2 RENAME TO events",
)
"""Layout 1 -> 2 for the events table, run inside the upgrade's one transaction."""

_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_FAILURE_CODES = {
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_NOTADB,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_NOMEM,
    sqlite3.SQLITE_PROTOCOL,
    sqlite3.SQLITE_CONSTRAINT,
}


# --- connections ----------------------------------------------------------------------------


def open_connection(
    path: str | PathLike[str],
    *,
    busy_timeout: float = BUSY_TIMEOUT,
    synchronous: str = "NORMAL",
) -> sqlite3.Connection:
    """A connection with the settings above, without touching the tables."""
    if synchronous not in SYNCHRONOUS:
        raise ValueError(f"synchronous must be one of {SYNCHRONOUS}, not {synchronous!r}")
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise StoreFailure(str(path), str(error)) from error
    try:
        # The timeout first, so that switching to WAL waits for a writer like anything else.
        conn.execute(f"PRAGMA busy_timeout={round(busy_timeout * 1000)}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={synchronous}")
    except sqlite3.Error as error:
        conn.close()
        _reraise(error, str(path), busy_timeout)
    return conn


def connect(
    path: str | PathLike[str],
    *,
    busy_timeout: float = BUSY_TIMEOUT,
    synchronous: str = "NORMAL",
) -> sqlite3.Connection:
    """Open (or create) the database file with the settings above and the tables in place."""
    conn = open_connection(path, busy_timeout=busy_timeout, synchronous=synchronous)
    try:
        prepare(conn, location=str(path), busy_timeout=busy_timeout)
    except BaseException:
        conn.close()  # a refused database (newer layout, locked) must not leak an open handle
        raise
    return conn


class _Handle:
    """Holds one thread's connection; weakly referenced so a finished thread's can go."""

    __slots__ = ("__weakref__", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


class SQLiteDatabase(Database):
    """A SQLite file opened with the settings above: the pack's embedded default engine.

    Safe to share between threads (one connection per thread, see the module docstring).
    ``busy_timeout`` is in seconds; ``synchronous`` is ``"NORMAL"`` or ``"FULL"``.
    """

    engine = "sqlite"

    def __init__(
        self,
        path: str | PathLike[str],
        *,
        busy_timeout: float = BUSY_TIMEOUT,
        synchronous: str = "NORMAL",
    ) -> None:
        if str(path) == ":memory:" or str(path).startswith("file::memory:"):
            raise ValueError(
                "an in-memory SQLite database belongs to one connection, and each thread "
                "opens its own: give a file path instead (a temporary folder is fine)"
            )
        self.path = Path(path)
        self.location = str(path)
        self.busy_timeout = busy_timeout
        self.synchronous = synchronous
        self._local = threading.local()
        self._handles: weakref.WeakSet[_Handle] = weakref.WeakSet()
        self._handles_lock = threading.Lock()
        self._closed = False
        self.conn  # noqa: B018 - open this thread's connection now, so a bad path fails here

    @property
    def conn(self) -> sqlite3.Connection:
        handle = getattr(self._local, "handle", None)
        if handle is None:
            handle = self._open_for_this_thread()
        return handle.conn

    def _open_for_this_thread(self) -> _Handle:
        with self._handles_lock:
            if self._closed:
                raise sqlite3.ProgrammingError(f"{self.location} was closed")
            conn = open_connection(
                self.path, busy_timeout=self.busy_timeout, synchronous=self.synchronous
            )
            handle = self._local.handle = _Handle(conn)
            self._handles.add(handle)
        return handle

    def prepare(self, meta: Mapping[str, str] | None = None) -> dict[str, str]:
        return prepare(self.conn, meta, location=self.location, busy_timeout=self.busy_timeout)

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.conn, location=self.location, busy_timeout=self.busy_timeout)

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.Error as error:
            _reraise(error, self.location, self.busy_timeout)

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.Error as error:
            _reraise(error, self.location, self.busy_timeout)

    def fetch_one(self, sql: str, params: Params = ()) -> tuple | None:
        try:
            return self.conn.execute(sql, params).fetchone()
        except sqlite3.Error as error:
            _reraise(error, self.location, self.busy_timeout)

    def stream(self, sql: str, params: Params = ()) -> Iterator[tuple]:
        # A sqlite3 cursor already steps through the result one row at a time; the generator
        # only translates a failure part-way through (an unreadable value, an I/O error).
        return self._rows(self.execute(sql, params))

    def _rows(self, cursor: sqlite3.Cursor) -> Iterator[tuple]:
        try:
            # Not ``yield from``: closing the generator would then close the cursor inside
            # it, and raise if the database had been closed first.
            for row in cursor:  # noqa: UP028
                yield row
        except sqlite3.Error as error:
            _reraise(error, self.location, self.busy_timeout)
        finally:
            # A stream abandoned part-way releases its statement (and its read snapshot)
            # now, not whenever the garbage collector gets to it.
            with suppress(sqlite3.Error):
                cursor.close()

    def close(self) -> None:
        with self._handles_lock:
            self._closed = True
            handles = list(self._handles)
        for handle in handles:
            handle.conn.close()


# --- the layout -----------------------------------------------------------------------------


def prepare(
    conn: sqlite3.Connection,
    meta: Mapping[str, str] | None = None,
    *,
    location: str | None = None,
    busy_timeout: float = BUSY_TIMEOUT,
) -> dict[str, str]:
    """Tables at the current layout and each ``meta`` key recorded (see ``Database.prepare``).

    An existing, current store is only read: no write lock. Otherwise one transaction
    creates the tables, upgrades layout 1 (see ``UPGRADE_FROM_LAYOUT_1``) and records the
    missing ``meta`` keys; the layout is read again under the lock, because another process
    may have created the tables in the meantime.
    """
    wanted = dict(meta or {})
    stored = _stored_meta(conn)
    if stored is not None:
        layout = _layout_of(stored, location)
        if layout == LAYOUT_VERSION and wanted.keys() <= stored.keys():
            return stored
    with transaction(conn, location=location, busy_timeout=busy_timeout):
        stored = _stored_meta(conn)
        layout = None if stored is None else _layout_of(stored, location)
        if layout is None and _has_table(conn, "events"):
            layout = 1  # a layout-1 store whose meta lost its layout_version
        if layout == 1:
            _upgrade_from_layout_1(conn)
        for statement in SCHEMA:
            conn.execute(statement)
        if layout != LAYOUT_VERSION:
            write_meta(conn, "layout_version", str(LAYOUT_VERSION))
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            wanted.items(),
        )
        return _stored_meta(conn) or {}


def _stored_meta(conn: sqlite3.Connection) -> dict[str, str] | None:
    """Every ``meta`` value, or None when the store has no tables yet."""
    if not _has_table(conn, "meta"):
        return None
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None


def _layout_of(stored: dict[str, str], location: str | None) -> int | None:
    """The stored layout version; refuses one from newer code (before any lock is taken)."""
    text = stored.get("layout_version")
    if text is None:
        return None
    try:
        layout = int(text)
    except ValueError:
        raise PersistenceError(
            f"{location}: meta.layout_version is {text!r}, not a whole number; this file was "
            "not written by this pack, or the value was edited by hand"
        ) from None
    if layout > LAYOUT_VERSION:
        raise SchemaVersionError("database layout", layout, LAYOUT_VERSION)
    return layout


def _upgrade_from_layout_1(conn: sqlite3.Connection) -> None:
    """Inside the prepare transaction: give events their positions, key the corrections."""
    for statement in UPGRADE_FROM_LAYOUT_1:
        conn.execute(statement)
    if _has_table(conn, "corrections"):  # layout 1 created it on first use, without a key
        conn.execute("ALTER TABLE corrections RENAME TO corrections_layout_1")
        conn.execute(CORRECTIONS_TABLE.format(name="corrections"))
        conn.execute("INSERT INTO corrections SELECT DISTINCT * FROM corrections_layout_1")
        conn.execute("DROP TABLE corrections_layout_1")


# --- transactions and errors ----------------------------------------------------------------


@contextmanager
def transaction(
    conn: sqlite3.Connection,
    *,
    location: str | None = None,
    busy_timeout: float | None = None,
) -> Iterator[sqlite3.Connection]:
    """One unit of work: commit if the block finishes, roll back if anything raises.

    ``BEGIN IMMEDIATE`` takes the write lock at the start. If the COMMIT itself fails (a full
    disk, an I/O error, a constraint checked at commit), the transaction is rolled back too,
    so the connection is never left inside a half-finished transaction.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        _reraise(error, location or _file_of(conn), busy_timeout, conn)
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as error:
        _roll_back(conn, error)
        if isinstance(error, sqlite3.Error):
            _reraise(error, location or _file_of(conn), busy_timeout, conn)
        raise


def _roll_back(conn: sqlite3.Connection, error: BaseException) -> None:
    """Roll back what is still open; SQLite has already done it after some failures."""
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error as rollback_error:
        error.add_note(f"the rollback failed too: {rollback_error}")


def _reraise(
    error: sqlite3.Error,
    location: str,
    busy_timeout: float | None,
    conn: sqlite3.Connection | None = None,
) -> NoReturn:
    """Raise the pack's error for ``error`` (keeping it as the cause), or ``error`` itself."""
    pack = _pack_error(error, location, busy_timeout, conn)
    if pack is None:
        raise error
    raise pack from error


def _pack_error(
    error: sqlite3.Error,
    location: str,
    busy_timeout: float | None,
    conn: sqlite3.Connection | None = None,
) -> PersistenceError | None:
    """The pack's error for a driver failure, or None for a mistake in the SQL itself."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if primary in _BUSY_CODES:
        if busy_timeout is None:
            busy_timeout = _busy_timeout_of(conn)
        return StoreBusy(location, busy_timeout)
    if primary == sqlite3.SQLITE_FULL:
        return StoreFull(location, str(error))
    if primary in _FAILURE_CODES:
        return StoreFailure(location, str(error))
    if code is None and "decode" in str(error):  # raised by Python's module, not by SQLite
        return UnreadableRow(location, str(error))
    return None


def _file_of(conn: sqlite3.Connection) -> str:
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return "(unknown file)"
    return row[2] or "(in memory)"


def _busy_timeout_of(conn: sqlite3.Connection | None) -> float:
    try:
        return conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
    except (AttributeError, sqlite3.Error):
        return BUSY_TIMEOUT


# --- small helpers for lessons and tests ----------------------------------------------------


def read_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def write_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def table_rows(conn: sqlite3.Connection, table: str) -> int:
    """How many rows a table holds (table names come from code, never from users)."""
    if table not in {"meta", "accounts", "events", "snapshots", "corrections"}:
        raise ValueError(f"unknown table {table!r}")
    return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]

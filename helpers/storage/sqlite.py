"""Opening SQLite files the same deliberate way everywhere, and one transaction per write.

The settings, and why:

``journal_mode=WAL``
    Write-ahead logging. Readers keep reading while one writer commits, and a commit appends
    to the log instead of rewriting pages, so a transaction costs tens of microseconds instead
    of milliseconds. The file gains two companions (``-wal`` and ``-shm``) that belong to it.
``synchronous=NORMAL``
    In WAL mode this never corrupts the database; after a power cut (not a crash of the
    program) the last few commits may be lost. A teaching pack and its benchmark accept that;
    a bank would choose ``FULL`` and pay an fsync per commit - the benchmark shows the cost.
``busy_timeout=5000``
    A second writer waits up to five seconds for the lock instead of failing at once with
    "database is locked". Optimistic concurrency, not the lock, decides who wins.
``isolation_level=None``
    Python's sqlite3 module otherwise opens transactions behind your back. Here every write
    says ``BEGIN IMMEDIATE`` itself (see :func:`transaction`), which takes the write lock at
    the start, so two writers can never both read a version and then both try to write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from os import PathLike
from pathlib import Path

from helpers.errors import SchemaVersionError
from helpers.storage.database import Database, Params

LAYOUT_VERSION = 1
"""The version of the table layout below. A database from a newer layout is refused."""

PRAGMAS = {
    "journal_mode": "WAL",
    "synchronous": "NORMAL",
    "busy_timeout": "5000",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- Snapshot strategy: one row per account, overwritten on every save.
CREATE TABLE IF NOT EXISTS accounts (
    account_id     TEXT PRIMARY KEY,
    version        INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    state          TEXT NOT NULL,
    saved_at       TEXT NOT NULL
);
-- Event strategy: append-only history: the key makes a clashing write impossible.
CREATE TABLE IF NOT EXISTS events (
    account_id     TEXT NOT NULL,
    version        INTEGER NOT NULL,
    event_type     TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    occurred_at    TEXT NOT NULL,
    payload        TEXT NOT NULL,
    PRIMARY KEY (account_id, version)
) WITHOUT ROWID;
-- Hybrid strategy: snapshots of the state at some versions, beside the events.
CREATE TABLE IF NOT EXISTS snapshots (
    account_id     TEXT NOT NULL,
    version        INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    state          TEXT NOT NULL,
    PRIMARY KEY (account_id, version)
) WITHOUT ROWID;
"""


def connect(path: str | PathLike[str]) -> sqlite3.Connection:
    """Open (or create) the database file with the settings above and the tables in place."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        for name, value in PRAGMAS.items():
            conn.execute(f"PRAGMA {name}={value}")
        create_tables(conn)
    except BaseException:
        conn.close()  # a refused database (newer layout, locked) must not leak an open handle
        raise
    return conn


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the tables if missing and refuse a layout written by newer code."""
    with transaction(conn):
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        found = read_meta(conn, "layout_version")
        if found is None:
            write_meta(conn, "layout_version", str(LAYOUT_VERSION))
        elif int(found) > LAYOUT_VERSION:
            raise SchemaVersionError("database layout", int(found), LAYOUT_VERSION)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One unit of work: commit if the block finishes, roll back if anything raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class SQLiteDatabase(Database):
    """A SQLite file opened with the settings above: the pack's embedded default engine."""

    engine = "sqlite"

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)
        self.location = str(path)
        self.conn: sqlite3.Connection = connect(self.path)

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.conn)

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        self.conn.executemany(sql, rows)

    def stream(self, sql: str, params: Params = ()) -> Iterator[tuple]:
        # A sqlite3 cursor already steps through the result one row at a time.
        return iter(self.conn.execute(sql, params))

    def close(self) -> None:
        self.conn.close()


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
    if table not in {"meta", "accounts", "events", "snapshots"}:
        raise ValueError(f"unknown table {table!r}")
    return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]

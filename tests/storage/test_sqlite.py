"""The SQLite settings and the one-transaction-per-write rule, tested on a real file.

SQLite only: WAL mode, ``synchronous``, the busy timeout of the file's lock and the module's
own helpers belong to this engine. What both engines promise is tested on both in the
contract and engine-fault tests; the PostgreSQL engine's own rules are in test_postgres.py.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest

from helpers.errors import SchemaVersionError
from helpers.storage import sqlite as sqlite_module
from helpers.storage.sqlite import (
    LAYOUT_VERSION,
    SQLiteDatabase,
    connect,
    read_meta,
    table_rows,
    transaction,
    write_meta,
)
from tests.storage.contract import query, run_sql


@pytest.fixture
def db_path(tmp_path):
    """A path where no file exists yet: these tests are about creating the database."""
    return tmp_path / "new.db"


@pytest.fixture
def conn(db_path):
    assert not db_path.exists()
    conn = connect(db_path)
    yield conn
    conn.close()


def test_a_connection_uses_wal_normal_sync_and_a_busy_timeout(conn):
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA synchronous").fetchone() == (1,)  # 1 = NORMAL
    assert conn.execute("PRAGMA busy_timeout").fetchone() == (5000,)


def test_a_new_database_gets_every_table_and_records_its_layout_version(conn, db_path):
    names = {name for (name,) in query(db_path, "SELECT name FROM sqlite_master")}
    assert {"meta", "accounts", "events", "snapshots"} <= names
    assert read_meta(conn, "layout_version") == str(LAYOUT_VERSION)


def test_connecting_twice_keeps_what_is_stored(db_path, conn):
    with transaction(conn):
        write_meta(conn, "note", "kept")
    connect(db_path).close()
    assert read_meta(conn, "note") == "kept"


def test_a_transaction_commits_when_its_block_finishes(conn, db_path):
    with transaction(conn):
        write_meta(conn, "colour", "green")
    assert query(db_path, "SELECT value FROM meta WHERE key = 'colour'") == [("green",)]


def test_a_transaction_rolls_back_everything_when_its_block_raises(conn, db_path):
    with pytest.raises(RuntimeError, match="halfway"), transaction(conn):
        write_meta(conn, "colour", "green")
        write_meta(conn, "shape", "round")
        raise RuntimeError("halfway")
    assert query(db_path, "SELECT key FROM meta WHERE key IN ('colour', 'shape')") == []
    assert not conn.in_transaction


def test_a_transaction_holds_the_write_lock_from_its_start(conn, db_path):
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        with transaction(conn), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_transaction_inside_a_transaction_is_refused_rather_than_silently_merged(conn):
    with pytest.raises(sqlite3.OperationalError), transaction(conn), transaction(conn):
        pass
    assert not conn.in_transaction


def test_a_layout_from_newer_code_is_refused_and_the_connection_is_closed(
    db_path, conn, monkeypatch
):
    run_sql(db_path, "UPDATE meta SET value = ? WHERE key = 'layout_version'", (99,))
    opened = []
    real_connect = sqlite3.connect

    def recording_connect(*args, **kwargs):
        opened.append(real_connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(sqlite_module.sqlite3, "connect", recording_connect)
    with pytest.raises(SchemaVersionError) as raised:
        connect(db_path)
    assert (raised.value.found, raised.value.newest_known) == (99, LAYOUT_VERSION)
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        opened[0].execute("SELECT 1")


def test_table_rows_counts_only_the_known_tables(conn):
    assert table_rows(conn, "events") == 0
    with pytest.raises(ValueError, match="unknown table"):
        table_rows(conn, "sqlite_master; DROP TABLE events")


def test_full_synchronous_mode_can_be_chosen_for_stores_that_keep_money(tmp_path):
    database = SQLiteDatabase(tmp_path / "durable.db", synchronous="FULL")
    try:
        assert database.conn.execute("PRAGMA synchronous").fetchone() == (2,)  # 2 = FULL
    finally:
        database.close()


def test_an_unknown_synchronous_mode_is_refused(tmp_path):
    with pytest.raises(ValueError, match="NORMAL"):
        SQLiteDatabase(tmp_path / "x.db", synchronous="OFF")


def test_each_thread_gets_its_own_connection_and_closing_closes_them_all(tmp_path):
    database = SQLiteDatabase(tmp_path / "threads.db")
    seen = []
    worker = threading.Thread(target=lambda: seen.append(database.conn))
    worker.start()
    worker.join()
    assert seen[0] is not database.conn
    database.close()
    with pytest.raises(sqlite3.ProgrammingError):
        database.conn.execute("SELECT 1")

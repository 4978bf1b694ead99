"""The SQLite engine under the failures a real service meets: a commit that fails, a write
lock held by someone else, and opening a store without fighting over that lock.

Each failure is produced for real: a deferred foreign key that only fails at COMMIT, a second
connection that keeps ``BEGIN IMMEDIATE`` open, a trace of the statements SQLite runs.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing

import pytest

from helpers.errors import PersistenceError, StoreBusy, StoreFailure
from helpers.storage import sqlite as sqlite_module
from helpers.storage.sqlite import SQLiteDatabase
from tests.storage.contract import (
    STRATEGIES,
    opened_with_deposits,
    run_sql,
    stored_rows,
)

# A trigger that makes every later COMMIT fail: each new event or account row inserts a row
# that breaks a deferred foreign key, which SQLite checks only when the transaction commits.
COMMIT_BREAKER = (
    "PRAGMA foreign_keys = ON",
    "CREATE TABLE parent (id TEXT PRIMARY KEY)",
    "CREATE TABLE orphan (ref TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
    "CREATE TRIGGER break_events AFTER INSERT ON events "
    "BEGIN INSERT INTO orphan VALUES ('nobody'); END",
    "CREATE TRIGGER break_accounts AFTER INSERT ON accounts "
    "BEGIN INSERT INTO orphan VALUES ('nobody'); END",
)


def install_commit_breaker(conn: sqlite3.Connection) -> None:
    for statement in COMMIT_BREAKER:
        conn.execute(statement)


def remove_commit_breaker(db_path) -> None:
    run_sql(db_path, "DROP TRIGGER break_events")
    run_sql(db_path, "DROP TRIGGER break_accounts")


def test_a_failed_commit_is_rolled_back_and_the_next_save_succeeds(open_repo, db_path):
    repo = open_repo()
    install_commit_breaker(repo.conn)  # the pragma is per connection: the repository's own
    account = opened_with_deposits("acc-1", 100, 200)
    before = stored_rows(db_path)
    with pytest.raises(StoreFailure, match="FOREIGN KEY constraint failed") as raised:
        repo.save(account)
    assert str(db_path) in str(raised.value)
    assert not repo.conn.in_transaction
    assert stored_rows(db_path) == before
    assert account.pending_events  # nothing was acknowledged
    remove_commit_breaker(db_path)
    repo.save(account)  # the same connection, usable again
    assert repo.load("acc-1").state == account.state


def test_a_failed_commit_inside_a_plain_transaction_leaves_no_transaction_open(db_path):
    with closing(sqlite_module.connect(db_path)) as conn:
        install_commit_breaker(conn)
        with pytest.raises(StoreFailure), sqlite_module.transaction(conn):
            conn.execute("INSERT INTO orphan VALUES ('nobody')")
        assert not conn.in_transaction
        with sqlite_module.transaction(conn):
            conn.execute("INSERT INTO parent VALUES ('somebody')")
    assert stored_rows(db_path)["events"] == []


def test_a_write_lock_held_past_the_busy_timeout_raises_store_busy_naming_the_file(
    strategy, db_path
):
    with STRATEGIES[strategy](db_path) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
    before = stored_rows(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        repo = STRATEGIES[strategy](SQLiteDatabase(db_path, busy_timeout=0.2))
        account = repo.load("acc-1")
        account.deposit(50, "waits")
        started = time.perf_counter()
        with pytest.raises(StoreBusy) as raised:
            repo.save(account)
        waited = time.perf_counter() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    message = str(raised.value)
    assert str(db_path) in message and "busy timeout (0.2 s)" in message
    assert "try again" in message  # says what to do
    assert isinstance(raised.value, PersistenceError)
    assert waited >= 0.2  # it did wait for the lock before giving up
    assert stored_rows(db_path) == before
    repo.save(account)  # once the lock is released, the same save goes through
    assert repo.load("acc-1").balance == 150
    repo.close()


def test_opening_an_existing_store_needs_no_write_lock(strategy, db_path):
    with STRATEGIES[strategy](db_path) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with STRATEGIES[strategy](SQLiteDatabase(db_path, busy_timeout=0.2)) as repo:
            assert repo.load("acc-1").balance == 100
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_creating_a_store_takes_the_write_lock_exactly_once(strategy, tmp_path, monkeypatch):
    statements: list[str] = []
    real_connect = sqlite3.connect

    def traced_connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(sqlite_module.sqlite3, "connect", traced_connect)
    STRATEGIES[strategy](tmp_path / "new.db").close()
    assert sum(s.startswith("BEGIN") for s in statements) == 1
    statements.clear()
    STRATEGIES[strategy](tmp_path / "new.db").close()
    assert sum(s.startswith("BEGIN") for s in statements) == 0


def test_an_event_store_records_its_authority_in_a_store_the_snapshot_strategy_created(
    db_path,
):
    with STRATEGIES["snapshot"](db_path) as repo:
        assert repo.db.read_meta("authority") is None
    with STRATEGIES["event-sourced"](db_path) as repo:
        assert repo.db.read_meta("authority") == "events"


def test_an_in_memory_database_is_refused_with_the_reason(strategy):
    with pytest.raises(ValueError, match="each thread"):
        STRATEGIES[strategy](":memory:")


def test_a_file_that_cannot_be_opened_is_a_store_failure_naming_it(strategy, tmp_path):
    missing = tmp_path / "no-such-folder" / "ledger.db"
    with pytest.raises(StoreFailure, match="no-such-folder"):
        STRATEGIES[strategy](missing)

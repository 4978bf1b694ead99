"""Each engine under the failures a real service meets: a commit that fails, a write lock held
by someone else, a store that cannot be reached, a connection that is lost - and opening a
store without fighting over the write lock.

Every failure is produced for real, on both engines where it exists on both: a deferred
foreign key that only fails at COMMIT, another session that keeps the write lock, a trace of
the statements SQLite runs, a server backend terminated the way an administrator (or a
failover) ends it. Each must reach the caller as the pack's error naming the store - the file,
or the server and database, never a password - with nothing half-written and the same
repository usable for the next save.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from urllib.parse import urlsplit, urlunsplit

import pytest

from helpers.errors import PersistenceError, StoreBusy, StoreFailure, StoreFull
from helpers.storage import sqlite as sqlite_module
from tests.storage.contract import (
    STRATEGIES,
    TIMEOUT_SETTING,
    connection_is_idle,
    engine_of,
    impatient_engine,
    is_server,
    names_the_store,
    opened_with_deposits,
    query,
    run_sql,
    stored_rows,
    write_lock_held,
)

# --- a COMMIT that fails ------------------------------------------------------------------
# Every new event or account row inserts a row that breaks a deferred foreign key, which the
# engine checks only when the transaction commits: every later COMMIT fails.

SQLITE_COMMIT_BREAKER = (
    "PRAGMA foreign_keys = ON",  # per connection: it must be the repository's own
    "CREATE TABLE parent (id TEXT PRIMARY KEY)",
    "CREATE TABLE orphan (ref TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
    "CREATE TRIGGER break_events AFTER INSERT ON events "
    "BEGIN INSERT INTO orphan VALUES ('nobody'); END",
    "CREATE TRIGGER break_accounts AFTER INSERT ON accounts "
    "BEGIN INSERT INTO orphan VALUES ('nobody'); END",
)

POSTGRES_COMMIT_BREAKER = (
    "CREATE TABLE parent (id TEXT PRIMARY KEY)",
    "CREATE TABLE orphan (ref TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
    "CREATE FUNCTION add_orphan() RETURNS trigger LANGUAGE plpgsql "
    "AS $$ BEGIN INSERT INTO orphan VALUES ('nobody'); RETURN NULL; END $$",
    "CREATE TRIGGER break_events AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION add_orphan()",
    "CREATE TRIGGER break_accounts AFTER INSERT ON accounts "
    "FOR EACH ROW EXECUTE FUNCTION add_orphan()",
)


def install_commit_breaker(repo, store) -> None:
    if is_server(store):
        for statement in POSTGRES_COMMIT_BREAKER:
            run_sql(store, statement)
    else:
        for statement in SQLITE_COMMIT_BREAKER:
            repo.conn.execute(statement)


def remove_commit_breaker(store) -> None:
    run_sql(store, "DROP TRIGGER break_events" + (" ON events" if is_server(store) else ""))
    run_sql(store, "DROP TRIGGER break_accounts" + (" ON accounts" if is_server(store) else ""))


def test_a_failed_commit_is_rolled_back_and_the_next_save_succeeds(open_repo, store):
    repo = open_repo()
    install_commit_breaker(repo, store)
    account = opened_with_deposits("acc-1", 100, 200)
    before = stored_rows(store)
    with pytest.raises(StoreFailure, match=r"(?i)foreign key constraint") as raised:
        repo.save(account)
    assert names_the_store(str(raised.value), store)
    assert "nothing was written" in str(raised.value)
    assert connection_is_idle(repo)
    assert stored_rows(store) == before
    assert account.pending_events  # nothing was acknowledged
    remove_commit_breaker(store)
    repo.save(account)  # the same connection, usable again
    assert repo.load("acc-1").state == account.state


def test_a_failed_commit_inside_a_plain_sqlite_transaction_leaves_no_transaction_open(db_path):
    # SQLite only: the module-level helpers are SQLite's own API, used on a bare connection.
    with closing(sqlite_module.connect(db_path)) as conn:
        for statement in SQLITE_COMMIT_BREAKER:
            conn.execute(statement)
        with pytest.raises(StoreFailure), sqlite_module.transaction(conn):
            conn.execute("INSERT INTO orphan VALUES ('nobody')")
        assert not conn.in_transaction
        with sqlite_module.transaction(conn):
            conn.execute("INSERT INTO parent VALUES ('somebody')")
    assert stored_rows(db_path)["events"] == []


# --- the write lock held by another session -------------------------------------------------


def test_a_write_lock_held_past_the_timeout_raises_store_busy_naming_the_store(strategy, store):
    with STRATEGIES[strategy](store) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
    before = stored_rows(store)
    with write_lock_held(store):
        repo = STRATEGIES[strategy](impatient_engine(store, 0.2))
        account = repo.load("acc-1")
        account.deposit(50, "waits")
        started = time.perf_counter()
        with pytest.raises(StoreBusy) as raised:
            repo.save(account)
        waited = time.perf_counter() - started
    message = str(raised.value)
    assert names_the_store(message, store)
    assert f"{TIMEOUT_SETTING[engine_of(store)]} (0.2 s)" in message
    assert "try again" in message  # says what to do
    assert isinstance(raised.value, PersistenceError)
    assert waited >= 0.2  # it did wait for the lock before giving up
    assert connection_is_idle(repo)
    assert stored_rows(store) == before
    repo.save(account)  # once the lock is released, the same save goes through
    assert repo.load("acc-1").balance == 150
    repo.close()


def test_opening_an_existing_store_needs_no_write_lock(strategy, store):
    with STRATEGIES[strategy](store) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
    with (
        write_lock_held(store),
        STRATEGIES[strategy](impatient_engine(store, 0.2)) as repo,
    ):
        assert repo.load("acc-1").balance == 100


def test_creating_a_sqlite_store_takes_the_write_lock_exactly_once(strategy, tmp_path, monkeypatch):
    # SQLite only: it counts the BEGINs in SQLite's own statement trace. On PostgreSQL,
    # creating the tables is one transaction under an advisory lock (test_postgres.py).
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


def test_an_event_store_records_its_authority_in_a_store_the_snapshot_strategy_created(store):
    with STRATEGIES["snapshot"](store) as repo:
        assert repo.db.read_meta("authority") is None
    with STRATEGIES["event-sourced"](store) as repo:
        assert repo.db.read_meta("authority") == "events"


# --- a store that cannot be reached -----------------------------------------------------------


def test_an_in_memory_sqlite_database_is_refused_with_the_reason(strategy):
    # SQLite only: each thread's connection would get an empty in-memory database of its own.
    with pytest.raises(ValueError, match="each thread"):
        STRATEGIES[strategy](":memory:")


def test_a_file_that_cannot_be_opened_is_a_store_failure_naming_it(strategy, tmp_path):
    missing = tmp_path / "no-such-folder" / "ledger.db"
    with pytest.raises(StoreFailure, match="no-such-folder"):
        STRATEGIES[strategy](missing)


def test_a_server_database_that_does_not_exist_is_a_store_failure_naming_it_without_password(
    server_stores,
):
    server = urlsplit(server_stores.server_url)
    host = server.netloc.rpartition("@")[2]
    url = urlunsplit(server._replace(netloc=f"ada:s3cret@{host}", path="/no_such_ledger"))
    with pytest.raises(StoreFailure) as raised:
        STRATEGIES["event-sourced"](url)
    message = str(raised.value)
    assert "postgresql://ada@" in message and "/no_such_ledger" in message
    assert "s3cret" not in message
    assert "server is running" in message


# --- PostgreSQL only: a connection the server ends ------------------------------------------
# SQLite has no connection to lose: the file is opened in this process.


@pytest.fixture
def pg_store(server_stores):
    url = server_stores.create()
    yield url
    server_stores.drop(url)


def end_backend_of(repo, store) -> None:
    """End the repository's server process for this thread, as an administrator or a
    failover would (``pg_terminate_backend``), and wait until it is gone."""
    pid = repo.conn.info.backend_pid
    run_sql(store, "SELECT pg_terminate_backend(?)", (pid,))
    for _ in range(200):
        if not query(store, "SELECT 1 FROM pg_stat_activity WHERE pid = ?", (pid,)):
            return
        time.sleep(0.01)
    raise AssertionError(f"backend {pid} did not end")


@pytest.mark.parametrize("strategy", ["snapshot", "event-sourced", "hybrid-events-every-3"])
def test_a_lost_connection_is_a_store_failure_and_the_next_save_reconnects(strategy, pg_store):
    with STRATEGIES[strategy](pg_store) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
        account = repo.load("acc-1")
        account.deposit(50, "after the failover")
        end_backend_of(repo, pg_store)
        with pytest.raises(StoreFailure) as raised:
            repo.save(account)
        assert names_the_store(str(raised.value), pg_store)
        assert "nothing was written" in str(raised.value)
        assert account.pending_events  # not acknowledged
        repo.save(account)  # a new connection, opened on the next use
        assert repo.load("acc-1").balance == 150


def test_a_connection_lost_inside_a_transaction_writes_nothing_and_the_next_one_works(pg_store):
    with STRATEGIES["event-sourced"](pg_store) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
        with pytest.raises(StoreFailure), repo.db.transaction():
            repo.db.write_meta("half", "written")
            end_backend_of(repo, pg_store)
            repo.db.write_meta("other", "half")
        assert query(pg_store, "SELECT key FROM meta WHERE key IN ('half', 'other')") == []
        with repo.db.transaction():
            repo.db.write_meta("whole", "written")
    assert query(pg_store, "SELECT value FROM meta WHERE key = 'whole'") == [("written",)]


def test_a_connection_lost_during_commit_says_the_outcome_is_unknown(pg_store):
    """The server's process ends while it commits - here a deferred trigger ends it, the
    way a crash or a failover could at that moment. Nobody can tell the client whether the
    commit happened, so the error must not claim that nothing was written."""
    with STRATEGIES["event-sourced"](pg_store) as repo:
        for statement in (
            "CREATE FUNCTION end_my_backend() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$",
            "CREATE CONSTRAINT TRIGGER end_at_commit AFTER INSERT ON events "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION end_my_backend()",
        ):
            run_sql(pg_store, statement)
        account = opened_with_deposits("acc-1", 100)
        with pytest.raises(StoreFailure) as raised:
            repo.save(account)
        message = str(raised.value)
        assert "may or may not have been stored" in message and "load the account" in message
        assert "nothing was written" not in message
        run_sql(pg_store, "DROP TRIGGER end_at_commit ON events")
        assert query(pg_store, "SELECT COUNT(*) FROM events") == [(0,)]  # here it did not
        repo.save(account)  # so the save, tried again, goes through on a new connection
        assert repo.load("acc-1").balance == 100


def test_a_full_disk_on_the_server_is_store_full_and_writes_nothing(pg_store):
    """A server reports a full disk with SQLSTATE 53100 (``disk_full``). Filling this
    machine's disk is no way to test it; a trigger raises the same error from the server,
    so what is tested is the path of that error to the caller."""
    with STRATEGIES["event-sourced"](pg_store) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
        for statement in (
            "CREATE FUNCTION no_space() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file: No space left on device' "
            "USING ERRCODE = 'disk_full'; END $$",
            "CREATE TRIGGER full_disk BEFORE INSERT ON events "
            "FOR EACH ROW EXECUTE FUNCTION no_space()",
        ):
            run_sql(pg_store, statement)
        before = stored_rows(pg_store)
        account = repo.load("acc-1")
        account.deposit(7, "no room")
        with pytest.raises(StoreFull) as raised:
            repo.save(account)
        assert names_the_store(str(raised.value), pg_store)
        assert "No space left on device" in str(raised.value)
        assert stored_rows(pg_store) == before and connection_is_idle(repo)
        run_sql(pg_store, "DROP TRIGGER full_disk ON events")
        repo.save(account)
        assert repo.load("acc-1").balance == 107

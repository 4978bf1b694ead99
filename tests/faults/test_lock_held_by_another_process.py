"""Another process holds the write lock: readers carry on, a writer waits up to its timeout
(SQLite's busy timeout, PostgreSQL's ``lock_timeout``) and then raises ``StoreBusy`` naming
the store, and nothing is half-written. On both engines.

The other process is a plain driver session - the way a person with a SQL shell, or a long
migration, would hold the lock - started with ``subprocess`` and told through its stdin when
to let go. On SQLite it holds ``BEGIN IMMEDIATE``; on PostgreSQL ``LOCK TABLE events IN
EXCLUSIVE MODE`` inside a transaction.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

import pytest

from helpers.errors import StoreBusy
from tests.storage.contract import (
    STORES_EVENTS,
    STRATEGIES,
    impatient_engine,
    is_server,
    names_the_store,
    opened_with_deposits,
    stored_rows,
)

HOLDERS = {
    "sqlite": textwrap.dedent(
        """
        import sqlite3, sys
        conn = sqlite3.connect(sys.argv[1], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO meta (key, value) VALUES ('held-by', 'another process')")
        print("locked", flush=True)
        conn.execute(sys.stdin.readline().strip())  # COMMIT or ROLLBACK, when told
        print("released", flush=True)
        """
    ),
    "postgres": textwrap.dedent(
        """
        import psycopg, sys
        conn = psycopg.connect(sys.argv[1], autocommit=True)
        conn.execute("BEGIN")
        conn.execute("LOCK TABLE events IN EXCLUSIVE MODE")
        conn.execute("INSERT INTO meta (key, value) VALUES ('held-by', 'another process')")
        print("locked", flush=True)
        conn.execute(sys.stdin.readline().strip())  # COMMIT or ROLLBACK, when told
        print("released", flush=True)
        """
    ),
}


class LockHolder:
    def __init__(self, store) -> None:
        holder = HOLDERS["postgres" if is_server(store) else "sqlite"]
        self.process = subprocess.Popen(
            [sys.executable, "-c", holder, str(store)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "locked"

    def release(self, how: str = "ROLLBACK") -> None:
        self.process.stdin.write(how + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "released"
        assert self.process.wait(10) == 0


@pytest.fixture
def saved(strategy, store):
    with STRATEGIES[strategy](store) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
    return store


def test_a_lock_held_by_another_process_makes_a_save_raise_store_busy_and_change_nothing(
    strategy, saved
):
    holder = LockHolder(saved)
    try:
        with STRATEGIES[strategy](impatient_engine(saved, 0.3)) as repo:
            account = repo.load("acc-1")  # reading needs no lock (WAL; MVCC on a server)
            account.deposit(50, "blocked")
            before = stored_rows(saved)
            with pytest.raises(StoreBusy) as raised:
                repo.save(account)
            assert names_the_store(str(raised.value), saved)
            assert stored_rows(saved) == before
            assert account.pending_events  # not acknowledged
            holder.release()
            repo.save(account)  # the same repository, once the lock is free
            assert repo.load("acc-1").balance == 150
    finally:
        if holder.process.poll() is None:
            holder.process.kill()
            holder.process.wait()


def test_a_lock_released_within_the_busy_timeout_only_delays_the_save(strategy, saved):
    holder = LockHolder(saved)
    with STRATEGIES[strategy](impatient_engine(saved, 10)) as repo:
        account = repo.load("acc-1")
        account.deposit(50, "waits")
        letting_go = threading.Timer(0.3, holder.release, args=("COMMIT",))
        letting_go.start()  # the holder commits while the save below is waiting for the lock
        started = time.perf_counter()
        repo.save(account)
        waited = time.perf_counter() - started
        letting_go.join()
        assert waited >= 0.25  # it did wait for the other process, and then went through
        assert repo.load("acc-1").balance == 150
        assert repo.db.read_meta("held-by") == "another process"


@pytest.mark.parametrize("events_strategy", sorted(STORES_EVENTS))
def test_a_reader_of_the_feed_is_not_blocked_by_a_writer_in_another_process(events_strategy, store):
    with STRATEGIES[events_strategy](store) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
    holder = LockHolder(store)
    try:
        with STRATEGIES[events_strategy](impatient_engine(store, 0.1)) as repo:
            assert [entry.position for entry in repo.read_all()] == [1, 2]
    finally:
        holder.release()

"""What the persistence tests share: the strategies and engines under test, and raw rows.

This is not a test module. The contract tests are written once, against the ``open_repo``
fixture in ``conftest.py``, and pytest runs each of them once per entry in ``STRATEGIES`` and
once per engine in ``ENGINES``. Tests look at the stored rows with a plain connection of their
own - ``sqlite3`` for a file, ``psycopg`` for a server URL - so that a check does not depend on
the code it checks. The same SQL goes to both, written with ``?`` placeholders.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from functools import partial
from pathlib import Path

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.repository import Repository
from helpers.storage.snapshot_store import SnapshotRepository

STRATEGIES: dict[str, Callable[..., Repository]] = {
    "snapshot": SnapshotRepository,
    "event-sourced": EventSourcedRepository,
    "hybrid-events-every-1": partial(HybridRepository, snapshot_every=1),
    "hybrid-events-every-3": partial(HybridRepository, snapshot_every=3),
    "hybrid-snapshot-authority": partial(HybridRepository, authority="snapshot"),
}
"""Name -> factory taking a path (and optional keyword options such as ``codec``)."""

STORES_EVENTS = {name for name in STRATEGIES if name != "snapshot"}

TABLES = ("accounts", "events", "snapshots")


ENGINES = ("sqlite", "postgres")

Store = Path | str
"""Where a store is: the path of a SQLite file, or a ``postgresql://`` URL."""


def is_server(store: Store) -> bool:
    return isinstance(store, str) and store.startswith(("postgresql://", "postgres://"))


@contextmanager
def raw_connection(store: Store) -> Iterator:
    """A driver connection of the test's own that commits when the block ends."""
    if is_server(store):
        import psycopg

        with psycopg.connect(store) as conn:  # commits on leaving the block
            yield conn
    else:
        with closing(sqlite3.connect(store)) as conn, conn:
            yield conn


def _execute(conn, store: Store, sql: str, params: tuple):
    # Test SQL holds no literal '?' or '%': a plain replacement is all psycopg needs.
    return conn.execute(sql.replace("?", "%s") if is_server(store) else sql, params)


def stored_rows(store: Store) -> dict[str, list[tuple]]:
    """Every row of the three data tables, in key order, read without the helpers package."""
    with raw_connection(store) as conn:
        return {
            table: _execute(conn, store, f'SELECT * FROM "{table}" ORDER BY 1, 2', ()).fetchall()
            for table in TABLES
        }


def run_sql(store: Store, sql: str, params: tuple = ()) -> int:
    """A hand edit, as a person with a SQL shell would make it; returns the rows changed."""
    with raw_connection(store) as conn:
        return _execute(conn, store, sql, params).rowcount


def query(store: Store, sql: str, params: tuple = ()) -> list[tuple]:
    with raw_connection(store) as conn:
        return _execute(conn, store, sql, params).fetchall()


def insert_event_row(store: Store, row: tuple) -> None:
    """Insert one ``events`` row by hand, with the next global position, as an append would.

    ``row`` holds the six columns before ``position``.
    """
    run_sql(
        store,
        "INSERT INTO events (account_id, version, event_type, schema_version, occurred_at, "
        "payload, position) VALUES (?, ?, ?, ?, ?, ?, "
        "(SELECT COALESCE(MAX(position), 0) + 1 FROM events))",
        row,
    )


def engine_of(store: Store) -> str:
    return "postgres" if is_server(store) else "sqlite"


def impatient_engine(store: Store, seconds: float):
    """The store's engine object, waiting at most ``seconds`` for another writer's lock
    (SQLite's busy timeout, PostgreSQL's ``lock_timeout``); hand it to a repository."""
    if is_server(store):
        from helpers.storage.postgres import PostgresDatabase

        return PostgresDatabase(store, lock_timeout=seconds)
    from helpers.storage.sqlite import SQLiteDatabase

    return SQLiteDatabase(store, busy_timeout=seconds)


TIMEOUT_SETTING = {"sqlite": "busy timeout", "postgres": "lock_timeout"}
"""What each engine calls the wait for another writer's lock (named in ``StoreBusy``)."""


@contextmanager
def write_lock_held(store: Store) -> Iterator:
    """Another session holds the write lock until the block ends, then rolls back.

    SQLite: ``BEGIN IMMEDIATE`` on a connection of its own. PostgreSQL: ``LOCK TABLE events
    IN EXCLUSIVE MODE`` inside a transaction, as a migration or a SQL shell would hold it
    (the pack's writers lock every table of theirs at their start, so one is enough).
    """
    if is_server(store):
        import psycopg

        with psycopg.connect(store, autocommit=True) as conn:
            conn.execute("BEGIN")
            conn.execute("LOCK TABLE events IN EXCLUSIVE MODE")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")
    else:
        with closing(sqlite3.connect(store, isolation_level=None)) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")


def names_the_store(message: str, store: Store) -> bool:
    """True when an error message names the store: the file, or the server and database -
    and, for a server, never the password of its URL."""
    if not is_server(store):
        return str(store) in message
    from psycopg.conninfo import conninfo_to_dict

    from helpers.storage.postgres import describe_url

    password = conninfo_to_dict(store).get("password")
    return describe_url(store) in message and not (password and password in message)


def connection_is_idle(repo: Repository) -> bool:
    """True when the repository's connection holds no open transaction (and so no lock)."""
    conn = repo.db.conn
    if repo.db.engine == "sqlite":
        return not conn.in_transaction
    from psycopg import pq

    return conn.info.transaction_status == pq.TransactionStatus.IDLE


def fresh_clock() -> TickingClock:
    return TickingClock()


def opened_with_deposits(account_id: str = "acc-1", *amounts: int, clock=None) -> Account:
    """An account opened by Grace Hopper, then one deposit per amount (all still pending)."""
    account = Account.open(account_id, "Grace Hopper", clock=clock or fresh_clock())
    for number, amount in enumerate(amounts, start=1):
        account.deposit(amount, f"dep-{number}")
    return account

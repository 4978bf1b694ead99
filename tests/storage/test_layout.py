"""Layout 2 of the tables: the feed position, the index for temporal queries, the corrections
table in the schema with a key - and the upgrade of a file written in layout 1.

SQLite only: only files were ever written in layout 1 (the PostgreSQL engine started at layout
2, see test_postgres.py), and the index is checked in SQLite's own query plan. The feed
itself is tested on both engines in test_feed.py.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.errors import StoreFailure
from helpers.storage import sqlite as sqlite_module
from helpers.storage.codec import JsonCodec, format_timestamp
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.reconcile import correct_snapshot_by_hand
from helpers.storage.sqlite import LAYOUT_VERSION
from tests.storage.contract import opened_with_deposits, query, run_sql

LAYOUT_1 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE accounts (account_id TEXT PRIMARY KEY, version INTEGER NOT NULL, "
    "schema_version INTEGER NOT NULL, state TEXT NOT NULL, saved_at TEXT NOT NULL)",
    "CREATE TABLE events (account_id TEXT NOT NULL, version INTEGER NOT NULL, "
    "event_type TEXT NOT NULL, schema_version INTEGER NOT NULL, occurred_at TEXT NOT NULL, "
    "payload TEXT NOT NULL, PRIMARY KEY (account_id, version)) WITHOUT ROWID",
    "CREATE TABLE snapshots (account_id TEXT NOT NULL, version INTEGER NOT NULL, "
    "schema_version INTEGER NOT NULL, state TEXT NOT NULL, "
    "PRIMARY KEY (account_id, version)) WITHOUT ROWID",
    "CREATE TABLE corrections (account_id TEXT NOT NULL, snapshot_version INTEGER NOT NULL, "
    "field TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, reason TEXT NOT NULL, "
    "approved_by TEXT NOT NULL, corrected_at TEXT NOT NULL)",
    "INSERT INTO meta VALUES ('layout_version', '1'), ('authority', 'events')",
)
"""The tables as the first layout created them (corrections was created on first use)."""

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def write_layout_1(path, accounts: list[Account], corrections: list[tuple] = ()) -> None:
    codec = JsonCodec()
    with closing(sqlite3.connect(path)) as conn, conn:
        for statement in LAYOUT_1:
            conn.execute(statement)
        for account in accounts:
            for event in account.pending_events:
                type_name, schema, payload = codec.encode_event(event)
                conn.execute(
                    "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        event.account_id,
                        event.version,
                        type_name,
                        schema,
                        format_timestamp(event.occurred_at),
                        payload,
                    ),
                )
        conn.executemany("INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?)", corrections)


def interleaved_accounts() -> list[Account]:
    """Two accounts whose events interleave in time; Bea's clock steps back once."""
    ada = Account.open("acc-ada", "Ada", clock=TickingClock(START, timedelta(minutes=2)))
    for amount in (10, 20, 30):
        ada.deposit(amount, "ada")
    bea_times = iter(
        [START + timedelta(minutes=m) for m in (1, 3, 2, 7)]  # version 3 is stamped early
    )
    bea = Account.open("acc-bea", "Bea", clock=lambda: next(bea_times))
    for amount in (5, 6, 7):
        bea.deposit(amount, "bea")
    return [ada, bea]


# --- a new store ---------------------------------------------------------------------------------


def test_a_new_store_is_at_layout_2_with_the_feed_position_and_the_time_index(tmp_path):
    path = tmp_path / "new.db"
    EventSourcedRepository(path).close()
    assert query(path, "SELECT value FROM meta WHERE key = 'layout_version'") == [("2",)]
    assert LAYOUT_VERSION == 2
    columns = {row[1]: row for row in query(path, "PRAGMA table_info(events)")}
    assert columns["position"][3] == 1  # NOT NULL
    unique = [row for row in query(path, "PRAGMA index_list(events)") if row[2] == 1]
    assert any(query(path, f"PRAGMA index_info({row[1]!r})")[0][2] == "position" for row in unique)
    [(index_sql,)] = query(path, "SELECT sql FROM sqlite_master WHERE name = 'events_by_time'")
    assert "(account_id, occurred_at)" in index_sql


def test_load_as_of_finds_its_cut_off_through_the_time_index(db_path):
    with EventSourcedRepository(db_path) as repo:
        repo.save(opened_with_deposits("acc-1", *range(1, 50)))
        statements: list[str] = []
        repo.conn.set_trace_callback(statements.append)
        repo.load_as_of("acc-1", datetime(2026, 1, 1, 9, 30, tzinfo=UTC))
        repo.conn.set_trace_callback(None)
        [cut_off] = [s for s in statements if "occurred_at >" in s]
        plan = repo.conn.execute(f"EXPLAIN QUERY PLAN {cut_off}").fetchall()
    assert any("USING COVERING INDEX events_by_time" in row[-1] for row in plan), plan


def test_the_corrections_table_is_part_of_the_schema_with_a_key(db_path, clock):
    with HybridRepository(db_path, authority="snapshot") as repo:
        assert query(db_path, "SELECT name FROM sqlite_master WHERE name = 'corrections'")
        repo.save(opened_with_deposits("acc-1", 100))
        statements: list[str] = []
        repo.conn.set_trace_callback(statements.append)
        correct_snapshot_by_hand(
            repo,
            "acc-1",
            {"balance": 90, "owner": "G. Hopper"},
            reason="r",
            approved_by="a",
            clock=clock,
        )
        repo.conn.set_trace_callback(None)
    assert not [s for s in statements if s.lstrip().upper().startswith("CREATE")]
    key = [row[1] for row in query(db_path, "PRAGMA table_info(corrections)") if row[5]]
    assert key == ["account_id", "snapshot_version", "field", "corrected_at"]
    moments = {row[0] for row in query(db_path, "SELECT corrected_at FROM corrections")}
    assert len(moments) == 1  # one correction, one moment, however many fields it changed
    with pytest.raises(sqlite3.IntegrityError):
        run_sql(db_path, "INSERT INTO corrections SELECT * FROM corrections")


# --- upgrading a layout-1 file -------------------------------------------------------------------


def test_a_layout_1_file_is_upgraded_when_opened_and_loads_as_before(tmp_path):
    path = tmp_path / "old.db"
    accounts = interleaved_accounts()
    write_layout_1(path, accounts)
    with EventSourcedRepository(path) as repo:
        for account in accounts:
            assert repo.load(account.account_id).state == account.state
        assert repo.last_position() == 8
    assert query(path, "SELECT value FROM meta WHERE key = 'layout_version'") == [("2",)]


def test_the_upgrade_numbers_events_in_time_order_but_never_before_their_own_history(tmp_path):
    path = tmp_path / "old.db"
    write_layout_1(path, interleaved_accounts())
    EventSourcedRepository(path).close()
    feed = query(path, "SELECT account_id, version FROM events ORDER BY position")
    assert feed == [
        ("acc-ada", 1),  # 09:00
        ("acc-bea", 1),  # 09:01
        ("acc-ada", 2),  # 09:02
        ("acc-bea", 2),  # 09:03
        ("acc-bea", 3),  # stamped 09:02 by a clock that stepped back: stays after version 2
        ("acc-ada", 3),  # 09:04
        ("acc-ada", 4),  # 09:06
        ("acc-bea", 4),  # 09:07
    ]


def test_the_upgrade_keys_the_corrections_and_keeps_every_one(tmp_path):
    path = tmp_path / "old.db"
    row = ("acc-ada", 4, "balance", "60", "50", "refund", "Grace", "2026-03-02T10:00:00.000000Z")
    write_layout_1(path, interleaved_accounts(), [row, row, (*row[:2], "owner", *row[3:])])
    EventSourcedRepository(path).close()
    assert len(query(path, "SELECT * FROM corrections")) == 2  # the exact duplicate is one row
    assert [r[1] for r in query(path, "PRAGMA table_info(corrections)") if r[5]] == [
        "account_id",
        "snapshot_version",
        "field",
        "corrected_at",
    ]


def test_an_upgrade_that_fails_leaves_the_layout_1_file_exactly_as_it_was(tmp_path):
    path = tmp_path / "old.db"
    row = ("acc-ada", 4, "balance", "60", "50", "refund", "Grace", "2026-03-02T10:00:00.000000Z")
    clash = (*row[:4], "55", *row[5:])  # the same key with another value: cannot be keyed
    write_layout_1(path, interleaved_accounts(), [row, clash])
    with closing(sqlite3.connect(path)) as conn:
        before = conn.iterdump()
        before = list(before)
    with pytest.raises(StoreFailure, match="UNIQUE constraint failed"):
        EventSourcedRepository(path)
    with closing(sqlite3.connect(path)) as conn:
        assert list(conn.iterdump()) == before


def test_the_upgrade_runs_once(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    write_layout_1(path, interleaved_accounts())
    EventSourcedRepository(path).close()
    calls = []
    monkeypatch.setattr(sqlite_module, "_upgrade_from_layout_1", calls.append)
    EventSourcedRepository(path).close()
    assert calls == []

"""Every error about a stored row names the table, the account and the version, and a row
filed under keys that are not its own is refused instead of being folded into the wrong account.

The rows are damaged by hand with a plain driver connection (``sqlite3`` or ``psycopg``), as a
person with a SQL shell or a buggy migration would damage them. Everything runs on both
engines, except a payload that is not UTF-8 (PostgreSQL refuses to store one) and the
migration tools (they take a SQLite connection).
"""

from __future__ import annotations

import json
import logging

import pytest

from helpers.errors import (
    CorruptRecord,
    SchemaVersionError,
    StaleSnapshot,
    StoredRowError,
    UnknownEventType,
)
from helpers.storage.codec import JsonCodec
from helpers.storage.codec_msgspec import MsgspecCodec
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.schema_migration import migrate_snapshot_rows
from helpers.storage.snapshot_store import SnapshotRepository
from helpers.storage.upcasters import state_v1_to_v2
from tests.storage.contract import STRATEGIES, opened_with_deposits, query, run_sql

CODECS = {"json": JsonCodec, "msgspec": MsgspecCodec}
REPLAYS = ["event-sourced", "hybrid-events-every-3"]


@pytest.fixture(params=list(CODECS))
def codec(request):
    return CODECS[request.param]()


def assert_names(error: StoredRowError, table: str, account_id: str, version: object) -> None:
    assert (error.table, error.account_id, error.version) == (table, account_id, version)
    assert f"in table {table!r} for account {account_id!r} at version {version}" in str(error)


def saved_for_replay(repo):
    """acc-1, whose load replays events 4 and 5; acc-2 is stored beside it."""
    account = opened_with_deposits("acc-1", 1_000, 2_000)
    repo.save(account)
    account.deposit(3_000, "fourth")
    account.withdraw(500, "fifth")
    repo.save(account)
    repo.save(opened_with_deposits("acc-2", 7_000))
    return repo


@pytest.fixture(params=REPLAYS)
def replaying(request, store, codec):
    """A store (on each engine) whose load replays events 4 and 5 of acc-1."""
    with STRATEGIES[request.param](store, codec=codec) as repo:
        yield saved_for_replay(repo)


@pytest.fixture(params=REPLAYS)
def replaying_file(request, db_path, codec):
    """The same, on a SQLite file only."""
    with STRATEGIES[request.param](db_path, codec=codec) as repo:
        yield saved_for_replay(repo)


# --- errors met during a replay ----------------------------------------------------------------


def test_a_newer_schema_met_during_a_replay_names_table_account_and_version(replaying, store):
    run_sql(
        store, "UPDATE events SET schema_version = 3 WHERE account_id = 'acc-1' AND version = 5"
    )
    with pytest.raises(SchemaVersionError) as raised:
        replaying.load("acc-1")
    assert_names(raised.value, "events", "acc-1", 5)
    assert (raised.value.found, raised.value.newest_known) == (3, 2)


def test_an_unknown_event_type_met_during_a_replay_names_table_account_and_version(
    replaying, store
):
    run_sql(store, "UPDATE events SET event_type = 'MoneyTeleported' WHERE version = 4")
    with pytest.raises(UnknownEventType) as raised:
        replaying.load("acc-1")
    assert_names(raised.value, "events", "acc-1", 4)
    assert raised.value.type_name == "MoneyTeleported"


def test_the_audit_history_names_an_unknown_type_too(store, codec):
    with EventSourcedRepository(store, codec=codec) as repo:
        repo.save(opened_with_deposits("acc-1", 100, 200))
        run_sql(store, "UPDATE events SET event_type = 'Nope' WHERE version = 3")
        with pytest.raises(UnknownEventType) as raised:
            list(repo.history("acc-1"))
    assert_names(raised.value, "events", "acc-1", 3)


def test_a_newer_state_schema_in_the_accounts_table_names_the_row(store, codec):
    with SnapshotRepository(store, codec=codec) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
        run_sql(store, "UPDATE accounts SET schema_version = 3")
        with pytest.raises(SchemaVersionError) as raised:
            repo.load("acc-1")
    assert_names(raised.value, "accounts", "acc-1", 2)


def test_a_stale_state_in_the_accounts_table_names_the_row(store, codec):
    with SnapshotRepository(store, codec=codec) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
        run_sql(store, "UPDATE accounts SET schema_version = 1")
        with pytest.raises(StaleSnapshot) as raised:
            repo.load("acc-1")
    assert_names(raised.value, "accounts", "acc-1", 2)


def test_a_migration_that_meets_a_newer_row_names_it(db_path):
    # SQLite only: the migration tools of helpers.storage.schema_migration take a SQLite
    # connection (lesson 07 runs them on a file).
    with SnapshotRepository(db_path) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
        run_sql(db_path, "UPDATE accounts SET schema_version = 3")
        with pytest.raises(SchemaVersionError) as raised:
            migrate_snapshot_rows(repo.conn, "accounts")
    assert_names(raised.value, "accounts", "acc-1", 2)


def test_a_payload_that_is_not_valid_utf8_is_a_corrupt_record_naming_its_row(
    replaying_file, db_path
):
    # SQLite only: a SQLite column takes any bytes, while PostgreSQL refuses to store text
    # that is not UTF-8, so there no such row can exist.
    damaged = b'{"account_id":"acc-1",\xff\xfe}'
    run_sql(
        db_path,
        "UPDATE events SET payload = CAST(? AS TEXT) WHERE account_id = 'acc-1' AND version = 5",
        (damaged,),
    )
    with pytest.raises(CorruptRecord) as raised:
        replaying_file.load("acc-1")
    assert_names(raised.value, "events", "acc-1", 5)
    assert "UTF-8" in str(raised.value)
    assert query(
        db_path,
        "SELECT CAST(payload AS BLOB) FROM events WHERE account_id = 'acc-1' AND version = 5",
    ) == [(damaged,)]


# --- rows filed under keys that are not their own ----------------------------------------------


def test_an_event_row_whose_payload_names_another_account_is_refused(replaying, store):
    [(payload,)] = query(
        store, "SELECT payload FROM events WHERE account_id = 'acc-2' AND version = 2"
    )
    run_sql(
        store,
        "UPDATE events SET payload = ? WHERE account_id = 'acc-1' AND version = 4",
        (json.dumps({**json.loads(payload), "version": 4}),),
    )
    with pytest.raises(CorruptRecord) as raised:
        replaying.load("acc-1")
    assert_names(raised.value, "events", "acc-1", 4)
    assert "belongs to account 'acc-2'" in str(raised.value)


def test_a_history_made_of_another_accounts_opening_does_not_load_as_that_account(store, codec):
    with EventSourcedRepository(store, codec=codec) as repo:
        repo.save(opened_with_deposits("acc-2"))
        run_sql(store, "UPDATE events SET account_id = 'acc-1' WHERE account_id = 'acc-2'")
        with pytest.raises(CorruptRecord) as raised:
            repo.load("acc-1")
    assert_names(raised.value, "events", "acc-1", 1)


def test_an_event_row_stored_at_another_version_than_its_payload_is_refused(replaying, store):
    run_sql(store, "UPDATE events SET version = 9 WHERE account_id = 'acc-1' AND version = 5")
    with pytest.raises(CorruptRecord) as raised:
        replaying.load("acc-1")
    assert_names(raised.value, "events", "acc-1", 9)
    assert "says version 5" in str(raised.value)


def test_the_feed_refuses_a_row_of_another_account_too(replaying, store):
    [(payload,)] = query(
        store, "SELECT payload FROM events WHERE account_id = 'acc-2' AND version = 2"
    )
    run_sql(
        store,
        "UPDATE events SET payload = ? WHERE account_id = 'acc-1' AND version = 4",
        (json.dumps({**json.loads(payload), "version": 4}),),
    )
    with pytest.raises(CorruptRecord) as raised:
        list(replaying.read_all())
    assert_names(raised.value, "events", "acc-1", 4)


def test_a_snapshot_row_holding_another_accounts_state_is_refused(store, codec):
    with SnapshotRepository(store, codec=codec) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
        repo.save(opened_with_deposits("acc-2", 100_000))
        [(state,)] = query(store, "SELECT state FROM accounts WHERE account_id = 'acc-2'")
        run_sql(store, "UPDATE accounts SET state = ? WHERE account_id = 'acc-1'", (state,))
        with pytest.raises(CorruptRecord) as raised:
            repo.load("acc-1")
    assert_names(raised.value, "accounts", "acc-1", 2)
    assert "account 'acc-2'" in raised.value.reason


def test_under_events_authority_a_misfiled_snapshot_is_skipped_and_reported(store, caplog):
    with HybridRepository(store, snapshot_every=2) as repo:
        account = opened_with_deposits("acc-1", 100, 200, 300)
        repo.save(account)
        repo.save(opened_with_deposits("acc-2", 5, 6, 7))
        [(state,)] = query(store, "SELECT state FROM snapshots WHERE account_id = 'acc-2'")
        run_sql(store, "UPDATE snapshots SET state = ? WHERE account_id = 'acc-1'", (state,))
        with caplog.at_level(logging.WARNING):
            assert repo.load("acc-1").state == account.state
        assert [skip.version for skip in repo.last_load.skipped] == [4]
        assert "account 'acc-2'" in repo.last_load.skipped[0].reason
        assert not repo.verify("acc-1").ok


# --- upcasting failures --------------------------------------------------------------------------

V1_STATE = (
    '{{"account_id":"acc-1","owner":"Grace Hopper","balance":"{balance}",'
    '"overdraft_limit":"0.00","status":"open","version":{version}}}'
)


@pytest.fixture
def upcasting_codec(codec):
    """The codec with the exact state upcaster (1 -> 2) registered."""
    codec.registry.add_state_upcaster(1, state_v1_to_v2)
    return codec


def store_v1_snapshot(store, version: int, balance: str) -> None:
    run_sql(
        store,
        "UPDATE snapshots SET schema_version = 1, state = ? WHERE version = ?",
        (V1_STATE.format(balance=balance, version=version), version),
    )


def test_an_exact_v1_snapshot_is_upcast_and_used(store, upcasting_codec):
    with HybridRepository(store, snapshot_every=3, codec=upcasting_codec) as repo:
        account = opened_with_deposits("acc-1", 100, 200)
        repo.save(account)
        store_v1_snapshot(store, 3, "3.00")
        repo.load("acc-1")
        assert (repo.last_load.snapshot_version, repo.last_load.fell_back) == (3, False)


def test_under_events_authority_a_snapshot_its_upcaster_refuses_is_skipped_and_reported(
    store, upcasting_codec, caplog
):
    with HybridRepository(store, snapshot_every=3, codec=upcasting_codec) as repo:
        account = opened_with_deposits("acc-1", 100, 200)
        repo.save(account)  # a snapshot at version 3
        account.deposit(300, "fourth")
        account.deposit(400, "fifth")
        repo.save(account)
        store_v1_snapshot(store, 3, "12.505")
        with caplog.at_level(logging.WARNING):
            assert repo.load("acc-1").state == account.state
        [skip] = repo.last_load.skipped
        assert skip.version == 3 and "12.505" in skip.reason
        assert repo.last_load.events_replayed == 5
        assert "skipped snapshot at version 3" in caplog.text


def test_verify_reports_a_snapshot_its_upcaster_refuses_instead_of_raising(store, upcasting_codec):
    with HybridRepository(store, snapshot_every=3, codec=upcasting_codec) as repo:
        repo.save(opened_with_deposits("acc-1", 100, 200))
        store_v1_snapshot(store, 3, "12.505")
        report = repo.verify("acc-1")
    assert not report.ok
    assert report.snapshot_version == 3 and "12.505" in report.unreadable
    assert "cannot be read" in str(report)


def test_under_snapshot_authority_a_snapshot_its_upcaster_refuses_names_its_row(
    store, upcasting_codec
):
    with HybridRepository(store, authority="snapshot", codec=upcasting_codec) as repo:
        repo.save(opened_with_deposits("acc-1", 100, 200))
        store_v1_snapshot(store, 3, "12.505")
        with pytest.raises(CorruptRecord) as raised:
            repo.load("acc-1")
        assert_names(raised.value, "snapshots", "acc-1", 3)
        assert "12.505" in str(raised.value)
        assert not repo.verify("acc-1").ok  # verify still reports rather than raises


def test_a_newer_state_schema_in_a_cached_snapshot_is_skipped_under_events_authority(store):
    with HybridRepository(store, snapshot_every=2) as repo:
        account = opened_with_deposits("acc-1", 100, 200, 300)
        repo.save(account)
        run_sql(store, "UPDATE snapshots SET schema_version = 9")
        assert repo.load("acc-1").state == account.state
        assert "schema version 9" in repo.last_load.skipped[0].reason

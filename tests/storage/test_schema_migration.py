"""The snapshot-invalidation path: stale snapshots are refused, migrated, or rebuilt."""

from __future__ import annotations

import json

import pytest

from helpers import (
    CorruptRecord,
    HybridRepository,
    SchemaVersionError,
    SnapshotRepository,
    StaleSnapshot,
)
from helpers.samples.legacy import load_legacy_rows, read_legacy, write_legacy_store
from helpers.samples.workload import expected_after
from helpers.storage.codec import STATE_SCHEMA_VERSION
from helpers.storage.schema_migration import (
    float_state_v1_to_v2,
    migrate_snapshot_rows,
    rebuild_all_snapshots,
    row_fingerprint,
    schema_census,
    stored_account_ids,
    truncate_covered_events,
)
from helpers.storage.sqlite import connect
from helpers.storage.upcasters import decimal_units_to_cents

LEGACY = read_legacy()
TRUE_BALANCES = {
    row["account_id"]: decimal_units_to_cents(json.loads(row["state"])["balance"])
    for row in LEGACY.snapshots
}


def legacy_database(path, snapshot_table):
    conn = connect(path)
    load_legacy_rows(conn, LEGACY, snapshot_table=snapshot_table)
    conn.close()
    return path


@pytest.fixture
def snapshot_db(db_path):
    return legacy_database(db_path, "accounts")


@pytest.fixture
def hybrid_db(db_path):
    return legacy_database(db_path, "snapshots")


# --- the snapshot strategy: the rows are the truth, so they must be migrated ----------------


def test_a_v1_snapshot_row_is_refused_as_stale_by_the_snapshot_store(snapshot_db):
    with SnapshotRepository(snapshot_db) as repo, pytest.raises(StaleSnapshot):
        repo.load("acc-ada")


def test_a_dry_run_reports_every_change_and_writes_nothing(snapshot_db):
    with SnapshotRepository(snapshot_db) as repo:
        before = row_fingerprint(repo.conn, "accounts")
        report = migrate_snapshot_rows(repo.conn, "accounts", dry_run=True)
        assert (report.rows_examined, len(report.changes)) == (6, 6)
        assert row_fingerprint(repo.conn, "accounts") == before
        assert "dry run" in str(report)


def test_migrating_makes_every_v1_row_loadable_with_exact_cents(snapshot_db):
    with SnapshotRepository(snapshot_db) as repo:
        migrate_snapshot_rows(repo.conn, "accounts")
        assert schema_census(repo.conn, "accounts") == [
            {"schema version": STATE_SCHEMA_VERSION, "rows": 6}
        ]
        for account_id, cents in TRUE_BALANCES.items():
            assert repo.load(account_id).balance == cents


def test_running_the_migration_twice_changes_nothing_the_second_time(snapshot_db):
    with SnapshotRepository(snapshot_db) as repo:
        migrate_snapshot_rows(repo.conn, "accounts")
        before = row_fingerprint(repo.conn, "accounts")
        assert migrate_snapshot_rows(repo.conn, "accounts").changes == ()
        assert row_fingerprint(repo.conn, "accounts") == before


def test_a_migration_that_fails_on_one_row_changes_no_row(snapshot_db):
    with SnapshotRepository(snapshot_db) as repo:
        repo.conn.execute(
            "UPDATE accounts SET state = json_set(state, '$.balance', '12.345') "
            "WHERE account_id = 'acc-ken'"
        )
        before = row_fingerprint(repo.conn, "accounts")
        with pytest.raises(CorruptRecord, match=r"'acc-ken'.*'12\.345' is not a whole number"):
            migrate_snapshot_rows(repo.conn, "accounts")
        assert row_fingerprint(repo.conn, "accounts") == before


def test_a_row_from_newer_code_stops_the_migration_and_nothing_is_rewritten(snapshot_db):
    with SnapshotRepository(snapshot_db) as repo:
        repo.conn.execute("UPDATE accounts SET schema_version = 3 WHERE account_id = 'acc-ken'")
        before = row_fingerprint(repo.conn, "accounts")
        with pytest.raises(SchemaVersionError, match="schema version 3"):
            migrate_snapshot_rows(repo.conn, "accounts")
        with pytest.raises(SchemaVersionError):
            repo.load("acc-ken")
        assert row_fingerprint(repo.conn, "accounts") == before


def test_the_float_migration_silently_loses_a_cent_that_the_store_cannot_see(snapshot_db):
    with SnapshotRepository(snapshot_db) as repo:
        migrate_snapshot_rows(repo.conn, "accounts", migrations={1: float_state_v1_to_v2})
        loaded = {account_id: repo.load(account_id).balance for account_id in TRUE_BALANCES}
    wrong = {a for a in TRUE_BALANCES if loaded[a] != TRUE_BALANCES[a]}
    assert wrong == {"acc-grace", "acc-alan"}
    assert all(TRUE_BALANCES[a] - loaded[a] == 1 for a in wrong)


# --- the hybrid with events as the truth: skip, replay, rebuild ------------------------------


def test_events_authority_skips_a_stale_snapshot_and_replays_the_history(hybrid_db):
    with HybridRepository(hybrid_db) as repo:
        account = repo.load("acc-grace")
        report = repo.last_load
    assert account.balance == TRUE_BALANCES["acc-grace"]
    assert report.fell_back and report.snapshot_version is None
    assert report.events_replayed == account.version
    assert "schema version 1" in report.skipped[0].reason


def test_rebuilding_all_snapshots_makes_every_load_use_a_current_snapshot(hybrid_db):
    with HybridRepository(hybrid_db) as repo:
        report = rebuild_all_snapshots(repo)
        assert (report.accounts, report.events_replayed) == (6, len(LEGACY.events))
        assert schema_census(repo.conn, "snapshots") == [
            {"schema version": STATE_SCHEMA_VERSION, "rows": 6}
        ]
        for account_id, cents in TRUE_BALANCES.items():
            assert repo.load(account_id).balance == cents
            assert not repo.last_load.fell_back and repo.last_load.events_replayed == 0
        assert rebuild_all_snapshots(repo).accounts == 0


def test_a_legacy_store_at_scale_rebuilds_to_the_generator_balances(db_path):
    assert write_legacy_store(db_path, 3, 40, seed=10) == 120
    with HybridRepository(db_path) as repo:
        assert rebuild_all_snapshots(repo).accounts == 3
        for index, account_id in enumerate(stored_account_ids(repo.conn, "snapshots")):
            assert repo.load(account_id).balance == expected_after(40, seed=10 + index).balance


def test_verify_finds_the_float_migration_bug_while_the_events_exist(hybrid_db):
    with HybridRepository(hybrid_db) as repo:
        migrate_snapshot_rows(repo.conn, "snapshots", migrations={1: float_state_v1_to_v2})
        assert repo.load("acc-grace").balance == TRUE_BALANCES["acc-grace"] - 1
        report = repo.verify("acc-grace")
        assert [d.field for d in report.differences] == ["balance"]
        repo.rebuild_snapshot("acc-grace")
        assert repo.verify("acc-grace").ok
        assert repo.load("acc-grace").balance == TRUE_BALANCES["acc-grace"]


def test_after_truncation_the_buggy_snapshot_can_neither_be_checked_nor_rebuilt(hybrid_db):
    with HybridRepository(hybrid_db) as repo:
        migrate_snapshot_rows(repo.conn, "snapshots", migrations={1: float_state_v1_to_v2})
        account = repo.load("acc-grace")
        account.deposit(500, "after-truncation")
        repo.save(account)
        assert truncate_covered_events(repo.conn, "acc-grace") == 48
        assert repo.load("acc-grace").balance == TRUE_BALANCES["acc-grace"] - 1 + 500
        fields = [d.field for d in repo.verify("acc-grace").differences]
        assert fields == ["history"]
        with pytest.raises(CorruptRecord, match="before AccountOpened"):
            repo.rebuild_snapshot("acc-grace")


# --- the hybrid with the snapshot as the truth: migration again ------------------------------


def test_snapshot_authority_refuses_a_stale_snapshot_until_it_is_migrated(hybrid_db):
    with HybridRepository(hybrid_db, authority="snapshot") as repo:
        with pytest.raises(StaleSnapshot):
            repo.load("acc-ada")
        with pytest.raises(ValueError, match="authority"):
            rebuild_all_snapshots(repo)
        migrate_snapshot_rows(repo.conn, "snapshots")
        assert repo.load("acc-ada").balance == TRUE_BALANCES["acc-ada"]


def test_only_the_pack_tables_can_be_migrated(snapshot_db):
    with SnapshotRepository(snapshot_db) as repo, pytest.raises(ValueError, match="table"):
        migrate_snapshot_rows(repo.conn, "events")

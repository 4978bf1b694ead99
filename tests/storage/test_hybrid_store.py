"""The hybrid store: which artifact is the truth, what happens when a snapshot cannot be
used, and how ``verify`` explains a disagreement between snapshot and events.
"""

from __future__ import annotations

import json
import logging

import pytest

from helpers.errors import AccountNotFound, AuthorityMismatch, CorruptRecord, StaleSnapshot
from helpers.samples.workload import build_account
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from tests.storage.contract import opened_with_deposits, query, run_sql, stored_rows


def save_in_steps(repo, deposits_per_save: list[int]):
    """Open acc-1, then save after each group of deposits (amounts 100, 101, ...)."""
    account = opened_with_deposits("acc-1")
    amount = 100
    for count in deposits_per_save:
        for _ in range(count):
            account.deposit(amount, f"dep-{amount}")
            amount += 1
        repo.save(account)
    return account


@pytest.fixture
def cached(store):
    """Events authority, a snapshot every 3 events, history at version 8 (snapshots 3 and 6)."""
    with HybridRepository(store, snapshot_every=3) as repo:
        account = save_in_steps(repo, [2, 3, 2])
        assert [v for (v,) in query(store, "SELECT version FROM snapshots")] == [3, 6]
        yield repo, account


@pytest.fixture
def authoritative(store):
    """Snapshot authority, history at version 4."""
    with HybridRepository(store, authority="snapshot") as repo:
        account = save_in_steps(repo, [1, 2])
        yield repo, account


def damage_snapshot(store, version: int, how: str) -> None:
    """Make one snapshot row unusable: unreadable JSON, or the old (schema 1) state shape."""
    if how == "unreadable":
        run_sql(store, "UPDATE snapshots SET state = '{oops' WHERE version = ?", (version,))
    elif how == "wrong-type":
        [(text,)] = query(store, "SELECT state FROM snapshots WHERE version = ?", (version,))
        text = json.dumps({**json.loads(text), "balance": "12.50"})
        run_sql(store, "UPDATE snapshots SET state = ? WHERE version = ?", (text, version))
    else:
        run_sql(store, "UPDATE snapshots SET schema_version = 1 WHERE version = ?", (version,))


# --- the authority is a recorded decision -----------------------------------------------------


@pytest.mark.parametrize(("first", "then"), [("events", "snapshot"), ("snapshot", "events")])
def test_reopening_with_the_other_authority_is_refused(store, first, then):
    HybridRepository(store, authority=first).close()
    with pytest.raises(AuthorityMismatch) as raised:
        HybridRepository(store, authority=then)
    assert (raised.value.stored, raised.value.requested) == (first, then)
    assert f"authority={first!r}" in str(raised.value)
    assert query(store, "SELECT value FROM meta WHERE key = 'authority'") == [(first,)]


def test_reopening_with_the_same_authority_is_allowed(store):
    HybridRepository(store, authority="snapshot").close()
    with HybridRepository(store, authority="snapshot") as repo:
        assert repo.authority == "snapshot"


@pytest.mark.parametrize(
    "options",
    [
        {"authority": "both"},
        {"authority": "snapshot", "snapshot_every": 5},
        {"snapshot_every": 0},
        {"snapshot_every": -3},
    ],
)
def test_contradictory_options_are_refused_before_touching_the_file(tmp_path, options):
    path = tmp_path / "never-created.db"
    with pytest.raises(ValueError):
        HybridRepository(path, **options)
    assert not path.exists()


# --- authority="events": snapshots are a cache ----------------------------------------------


def test_a_load_starts_from_the_newest_snapshot_and_replays_only_what_follows(cached, caplog):
    repo, account = cached
    with caplog.at_level(logging.WARNING):
        loaded = repo.load("acc-1")
    assert loaded.state == account.state
    report = repo.last_load
    assert (report.snapshot_version, report.events_replayed, report.fell_back) == (6, 2, False)
    assert caplog.records == []


@pytest.mark.parametrize("how", ["unreadable", "wrong-type", "stale-schema-1"])
def test_an_unusable_snapshot_is_skipped_replayed_around_and_reported(cached, store, caplog, how):
    repo, account = cached
    damage_snapshot(store, 6, how)
    before = stored_rows(store)
    with caplog.at_level(logging.WARNING, logger="helpers.storage.hybrid_store"):
        loaded = repo.load("acc-1")
    assert loaded.state == account.state
    report = repo.last_load
    assert report.fell_back
    assert [skip.version for skip in report.skipped] == [6]
    assert (report.snapshot_version, report.events_replayed) == (3, 5)
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "skipped snapshot at version 6" in record.getMessage()
    assert stored_rows(store) == before


def test_a_stale_snapshot_is_reported_as_stale(cached, store):
    repo, _ = cached
    damage_snapshot(store, 6, "stale-schema-1")
    repo.load("acc-1")
    assert "schema version 1" in repo.last_load.skipped[0].reason


def test_when_every_snapshot_is_unusable_the_load_replays_the_whole_history(cached, store):
    repo, account = cached
    damage_snapshot(store, 6, "unreadable")
    damage_snapshot(store, 3, "stale-schema-1")
    assert repo.load("acc-1").state == account.state
    report = repo.last_load
    assert (report.snapshot_version, report.events_replayed) == (None, 8)
    assert [skip.version for skip in report.skipped] == [6, 3]


def test_rebuilding_the_snapshot_replaces_a_damaged_one_with_a_full_replay(cached, store):
    repo, account = cached
    damage_snapshot(store, 6, "unreadable")
    assert repo.rebuild_snapshot("acc-1") == account.state
    assert [v for (v,) in query(store, "SELECT version FROM snapshots")] == [8]
    repo.load("acc-1")
    assert repo.last_load.fell_back is False


# --- authority="snapshot": the snapshot is the truth ------------------------------------------


def test_the_snapshot_authority_loads_from_the_snapshot_without_replaying(authoritative, store):
    repo, account = authoritative
    run_sql(store, "DELETE FROM events")
    assert repo.load("acc-1").state == account.state
    assert (repo.last_load.snapshot_version, repo.last_load.events_replayed) == (4, 0)


def test_with_snapshot_authority_an_unreadable_snapshot_is_a_corrupt_record(authoritative, store):
    repo, _ = authoritative
    damage_snapshot(store, 4, "unreadable")
    before = stored_rows(store)
    with pytest.raises(CorruptRecord) as raised:
        repo.load("acc-1")
    assert (raised.value.table, raised.value.account_id, raised.value.version) == (
        "snapshots",
        "acc-1",
        4,
    )
    assert "authoritative" in str(raised.value)
    assert stored_rows(store) == before


def test_with_snapshot_authority_a_stale_snapshot_raises_stale_snapshot(authoritative, store):
    repo, _ = authoritative
    damage_snapshot(store, 4, "stale-schema-1")
    with pytest.raises(StaleSnapshot, match="version 1"):
        repo.load("acc-1")


def test_with_snapshot_authority_a_hand_edited_snapshot_is_what_loads(authoritative, store):
    repo, _ = authoritative
    edit_balance(store, 4, 999_999)
    assert repo.load("acc-1").balance == 999_999


def test_the_snapshot_authority_refuses_to_rebuild_its_snapshot_from_events(authoritative):
    repo, _ = authoritative
    with pytest.raises(ValueError, match="authority"):
        repo.rebuild_snapshot("acc-1")


# --- verify ------------------------------------------------------------------------------------


def edit_balance(store, version: int, balance: int, **more) -> None:
    [(text,)] = query(store, "SELECT state FROM snapshots WHERE version = ?", (version,))
    text = json.dumps({**json.loads(text), "balance": balance, **more})
    run_sql(store, "UPDATE snapshots SET state = ? WHERE version = ?", (text, version))


@pytest.mark.parametrize("setup", ["cached", "authoritative"])
def test_verify_agrees_on_a_clean_database(request, store, setup):
    repo, account = request.getfixturevalue(setup)
    report = repo.verify("acc-1")
    assert report.ok
    assert report.differences == ()
    assert report.as_rows() == []
    assert str(report).endswith("they agree")
    assert report.events_version == account.version


@pytest.mark.parametrize("setup", ["cached", "authoritative"])
def test_verify_lists_each_field_a_hand_edited_snapshot_gets_wrong(request, store, setup):
    repo, _ = request.getfixturevalue(setup)
    [(version,)] = query(store, "SELECT MAX(version) FROM snapshots")
    with EventSourcedRepository(store) as events_only:
        truth = events_only.load("acc-1", version=version)
    edit_balance(store, version, 999_999, status="frozen")
    report = repo.verify("acc-1")
    assert not report.ok
    assert report.snapshot_version == version
    assert report.as_rows() == [
        {"field": "balance", "snapshot says": 999_999, "events say": truth.balance},
        {"field": "status", "snapshot says": "frozen", "events say": "open"},
    ]
    assert "2 difference(s)" in str(report)
    assert f"balance: snapshot=999999 events={truth.balance}" in str(report)


def test_verify_notices_events_missing_after_the_snapshot(cached, store):
    repo, _ = cached
    repo.take_snapshot("acc-1")
    run_sql(store, "DELETE FROM events WHERE version >= 7")
    report = repo.verify("acc-1")
    assert not report.ok
    assert [d.field for d in report.differences][-1] == "events stored up to"


def test_verify_an_unknown_account_raises_account_not_found(cached):
    repo, _ = cached
    with pytest.raises(AccountNotFound):
        repo.verify("acc-404")


def test_verify_without_any_snapshot_reports_only_the_events(store):
    with HybridRepository(store, snapshot_every=100) as repo:
        save_in_steps(repo, [3])
        report = repo.verify("acc-1")
    assert (report.ok, report.snapshot_version, report.events_version) == (True, None, 4)


def test_an_event_store_reads_a_snapshot_first_database_but_refuses_to_append_to_it(store):
    account = build_account("acc-1", 12, seed=3)
    with HybridRepository(store, authority="snapshot") as truth:
        truth.save(account)
    before = query(store, "SELECT * FROM events ORDER BY version")
    with EventSourcedRepository(store) as audit:
        loaded = audit.load("acc-1")
        loaded.deposit(100, "bypassing the snapshot")
        with pytest.raises(AuthorityMismatch, match="authority='snapshot'"):
            audit.save(loaded)
    assert query(store, "SELECT * FROM events ORDER BY version") == before

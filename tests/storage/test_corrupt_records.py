"""Stored rows that cannot be read: the error names the row, and the row is left untouched.

The rows are damaged by hand, the way a person with a SQL shell (or a buggy migration) would
damage them, and then read back through the stores with both codecs, on both engines.
"""

from __future__ import annotations

import json

import pytest

from helpers.errors import CorruptRecord, SchemaVersionError, StaleSnapshot, UnknownEventType
from helpers.storage.codec import JsonCodec
from helpers.storage.codec_msgspec import MsgspecCodec
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.snapshot_store import SnapshotRepository
from tests.storage.contract import (
    STRATEGIES,
    insert_event_row,
    opened_with_deposits,
    query,
    run_sql,
    stored_rows,
)

CODECS = {"json": JsonCodec, "msgspec": MsgspecCodec}
READS_EVENTS_ON_LOAD = ["event-sourced", "hybrid-events-every-3"]


@pytest.fixture(params=list(CODECS))
def codec(request):
    return CODECS[request.param]()


@pytest.fixture(params=READS_EVENTS_ON_LOAD)
def event_repo(request, store, codec):
    """A store whose load replays events 4 and 5 (the hybrid has a snapshot at version 3)."""
    with STRATEGIES[request.param](store, codec=codec) as repo:
        account = opened_with_deposits("acc-1", 1_000, 2_000)
        repo.save(account)
        account.deposit(3_000, "third")
        account.withdraw(500, "fourth")
        repo.save(account)
        yield repo


def payload_at(store, version: int) -> dict:
    [(text,)] = query(store, "SELECT payload FROM events WHERE version = ?", (version,))
    return json.loads(text)


def set_payload(store, version: int, text: str, schema_version: int | None = None) -> None:
    run_sql(store, "UPDATE events SET payload = ? WHERE version = ?", (text, version))
    if schema_version is not None:
        run_sql(
            store,
            "UPDATE events SET schema_version = ? WHERE version = ?",
            (schema_version, version),
        )


def assert_names_the_row(error: CorruptRecord, table: str, version: int) -> None:
    assert (error.table, error.account_id, error.version) == (table, "acc-1", version)
    message = str(error)
    assert f"table {table!r}" in message
    assert "account 'acc-1'" in message
    assert f"at version {version}" in message


def edited(data: dict, **changes) -> str:
    data = {**data, **changes}
    return json.dumps({key: value for key, value in data.items() if value is not ...})


BAD_PAYLOADS = {
    "truncated-json": lambda d: json.dumps(d)[:-10],
    "missing-amount": lambda d: edited(d, amount=...),
    "amount-as-decimal-text-at-schema-2": lambda d: edited(d, amount="12.50"),
    "amount-as-float": lambda d: edited(d, amount=5.0),
    "version-as-text": lambda d: edited(d, version="5"),
}


# --- events ------------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", list(BAD_PAYLOADS))
def test_an_unreadable_event_is_a_corrupt_record_naming_table_account_and_version(
    event_repo, store, damage
):
    set_payload(store, 5, BAD_PAYLOADS[damage](payload_at(store, 5)))
    before = stored_rows(store)
    with pytest.raises(CorruptRecord) as raised:
        event_repo.load("acc-1")
    assert_names_the_row(raised.value, "events", 5)
    assert "left untouched" in str(raised.value)
    assert stored_rows(store) == before


def test_an_event_from_a_future_schema_version_is_refused_and_left_as_it_was(event_repo, store):
    run_sql(store, "UPDATE events SET schema_version = 3 WHERE version = 5")
    before = stored_rows(store)
    with pytest.raises(SchemaVersionError) as raised:
        event_repo.load("acc-1")
    assert (raised.value.found, raised.value.newest_known) == (3, 2)
    assert "MoneyWithdrawn" in str(raised.value)
    assert stored_rows(store) == before


def test_an_event_type_the_code_does_not_know_is_refused_by_name(event_repo, store):
    run_sql(store, "UPDATE events SET event_type = 'MoneyTeleported' WHERE version = 5")
    with pytest.raises(UnknownEventType, match="MoneyTeleported"):
        event_repo.load("acc-1")


def test_a_gap_in_the_stored_versions_is_a_corrupt_record(event_repo, store):
    run_sql(store, "DELETE FROM events WHERE version = 4")
    with pytest.raises(CorruptRecord) as raised:
        event_repo.load("acc-1")
    assert_names_the_row(raised.value, "events", 5)
    assert "no gaps" in str(raised.value)


def test_a_history_without_its_opening_is_a_corrupt_record(store, codec):
    with EventSourcedRepository(store, codec=codec) as repo:
        repo.save(opened_with_deposits("acc-1", 100, 200))
        run_sql(store, "DELETE FROM events WHERE version = 1")
        with pytest.raises(CorruptRecord) as raised:
            repo.load("acc-1")
    assert_names_the_row(raised.value, "events", 2)
    assert "before AccountOpened" in str(raised.value)


def test_the_audit_history_also_names_an_unreadable_row(store, codec):
    with EventSourcedRepository(store, codec=codec) as repo:
        repo.save(opened_with_deposits("acc-1", 100, 200))
        set_payload(store, 2, "{oops")
        with pytest.raises(CorruptRecord) as raised:
            list(repo.history("acc-1"))
    assert_names_the_row(raised.value, "events", 2)


# --- version 1 money events: upcast on every read, never rewritten -------------------------------


def downgrade_to_v1(store, version: int) -> None:
    """Rewrite a money event the way the first release stored it: decimal units as text."""
    data = payload_at(store, version)
    data["amount"] = f"{data['amount'] // 100}.{data['amount'] % 100:02d}"
    set_payload(store, version, json.dumps(data), schema_version=1)


def test_version_1_money_events_load_as_cents_and_their_rows_are_not_rewritten(event_repo, store):
    expected = event_repo.load("acc-1").state
    downgrade_to_v1(store, 4)
    downgrade_to_v1(store, 5)
    before = stored_rows(store)
    assert payload_at(store, 5)["amount"] == "5.00"
    assert event_repo.load("acc-1").state == expected
    assert stored_rows(store) == before


def test_a_version_1_amount_that_is_not_whole_cents_is_a_corrupt_record(event_repo, store):
    data = payload_at(store, 5)
    set_payload(store, 5, edited(data, amount="12.505"), schema_version=1)
    with pytest.raises(CorruptRecord) as raised:
        event_repo.load("acc-1")
    assert_names_the_row(raised.value, "events", 5)
    assert "12.505" in str(raised.value)


# --- the snapshot store's accounts table ----------------------------------------------------------


@pytest.fixture
def snapshot_repo(store, codec):
    with SnapshotRepository(store, codec=codec) as repo:
        repo.save(opened_with_deposits("acc-1", 1_000, 2_000))
        yield repo


@pytest.mark.parametrize(
    "state_text",
    [
        "{not json",
        "[]",
        '{"account_id": "acc-1"}',
        '{"account_id":"acc-1","owner":"G",'
        '"balance":"30.00","overdraft_limit":0,"status":"open","version":3}',
    ],
    ids=["bad-json", "not-an-object", "missing-fields", "balance-as-decimal-text"],
)
def test_an_unreadable_account_row_is_a_corrupt_record_and_stays_as_it_was(
    snapshot_repo, store, state_text
):
    run_sql(store, "UPDATE accounts SET state = ?", (state_text,))
    before = stored_rows(store)
    with pytest.raises(CorruptRecord) as raised:
        snapshot_repo.load("acc-1")
    assert_names_the_row(raised.value, "accounts", 3)
    assert stored_rows(store) == before


def test_an_account_row_from_a_future_state_schema_is_refused(snapshot_repo, store):
    run_sql(store, "UPDATE accounts SET schema_version = 3")
    before = stored_rows(store)
    with pytest.raises(SchemaVersionError, match="up to 2"):
        snapshot_repo.load("acc-1")
    assert stored_rows(store) == before


def test_an_account_row_in_the_old_state_shape_is_a_stale_snapshot(snapshot_repo, store):
    old_state = (
        '{"account_id":"acc-1","owner":"Grace Hopper","balance":"30.00",'
        '"overdraft_limit":"0.00","status":"open","version":3}'
    )
    run_sql(store, "UPDATE accounts SET schema_version = 1, state = ?", (old_state,))
    with pytest.raises(StaleSnapshot, match="version 1"):
        snapshot_repo.load("acc-1")


# --- the database layout -------------------------------------------------------------------------


FUTURE_LAYOUT = "99"
"""A table layout no engine of this code writes."""


def test_a_database_with_a_layout_from_the_future_is_refused_and_left_unchanged(open_repo, store):
    with open_repo() as repo:
        repo.save(opened_with_deposits("acc-1", 100))
    run_sql(store, "UPDATE meta SET value = ? WHERE key = 'layout_version'", (FUTURE_LAYOUT,))
    before = stored_rows(store), query(store, "SELECT * FROM meta ORDER BY key")
    with pytest.raises(SchemaVersionError, match="database layout"):
        open_repo()
    assert (stored_rows(store), query(store, "SELECT * FROM meta ORDER BY key")) == before


def test_a_second_opening_stored_in_a_history_is_a_corrupt_record(event_repo, store):
    [row] = query(store, "SELECT * FROM events WHERE version = 1")
    payload = edited(json.loads(row[5]), version=6)
    insert_event_row(store, (row[0], 6, row[2], row[3], row[4], payload))
    with pytest.raises(CorruptRecord) as raised:
        event_repo.load("acc-1")
    assert_names_the_row(raised.value, "events", 6)
    assert "already open" in str(raised.value)

"""The upcasting path: schema-1 events are read as schema-2 events and never rewritten."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import EventSourcedRepository, MoneyDeposited, SchemaVersionError
from helpers.samples.legacy import (
    LEGACY_DIR,
    cents_to_decimal_units,
    float_migration_gets_it_wrong,
    legacy_event_row,
    load_legacy_rows,
    read_legacy,
    write_legacy_files,
)
from helpers.samples.workload import build_account
from helpers.storage.codec import JsonCodec
from helpers.storage.codec_msgspec import MsgspecCodec
from helpers.storage.schema_migration import row_fingerprint
from helpers.storage.sqlite import connect
from helpers.storage.upcasters import UpcastError, decimal_units_to_cents, money_event_v1_to_v2


@pytest.fixture
def legacy_db(db_path):
    """A database holding the committed release-1 events (no snapshots)."""
    conn = connect(db_path)
    load_legacy_rows(conn, read_legacy(), snapshot_table=None)
    conn.close()
    return db_path


def test_a_v1_decimal_amount_becomes_integer_cents():
    assert money_event_v1_to_v2({"amount": "12.50", "reference": "r"}) == {
        "amount": 1250,
        "reference": "r",
    }


@pytest.mark.parametrize("text", ["12.505", "twelve", "1e-3"])
def test_an_amount_that_is_not_a_whole_number_of_cents_is_refused(text):
    with pytest.raises(UpcastError):
        decimal_units_to_cents(text)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_cents_survive_the_trip_through_the_old_decimal_text(cents):
    assert decimal_units_to_cents(cents_to_decimal_units(cents)) == cents


@pytest.mark.parametrize("codec", [JsonCodec(), MsgspecCodec()], ids=["json", "msgspec"])
def test_a_stored_v1_deposit_decodes_as_the_current_event(codec):
    event = build_account("acc-1", 2, seed=3).pending_events[1]
    row = legacy_event_row(event)
    assert row["schema_version"] == 1
    assert json.loads(row["payload"])["amount"] == cents_to_decimal_units(event.amount)
    decoded = codec.decode_event(row["event_type"], row["schema_version"], row["payload"])
    assert decoded == event
    assert isinstance(decoded, MoneyDeposited)


def test_replaying_the_legacy_history_agrees_with_the_legacy_snapshots(legacy_db):
    snapshots = read_legacy().snapshots
    with EventSourcedRepository(legacy_db) as repo:
        for row in snapshots:
            old_state = json.loads(row["state"])
            account = repo.load(row["account_id"])
            assert account.balance == decimal_units_to_cents(old_state["balance"])
            assert account.overdraft_limit == decimal_units_to_cents(old_state["overdraft_limit"])
            assert account.version == row["version"]


def test_reading_the_legacy_history_rewrites_no_stored_row(legacy_db):
    with EventSourcedRepository(legacy_db) as repo:
        before = row_fingerprint(repo.conn, "events")
        repo.load("acc-grace")
        assert row_fingerprint(repo.conn, "events") == before


def test_a_new_deposit_on_a_legacy_history_is_written_at_the_newest_schema(legacy_db):
    with EventSourcedRepository(legacy_db) as repo:
        account = repo.load("acc-ada")
        account.deposit(1250, "after-the-deploy")
        repo.save(account)
        rows = repo.conn.execute(
            "SELECT version, schema_version, payload FROM events WHERE account_id = 'acc-ada' "
            "ORDER BY version DESC LIMIT 2"
        ).fetchall()
    (new_version, new_schema, new_payload), (_, old_schema, _) = rows
    assert new_version == account.version
    assert (new_schema, old_schema) == (MoneyDeposited.schema_version, 1)
    assert json.loads(new_payload)["amount"] == 1250


def test_an_event_written_by_newer_code_is_refused_and_left_untouched(legacy_db):
    with EventSourcedRepository(legacy_db) as repo:
        repo.conn.execute(
            "UPDATE events SET schema_version = 3 WHERE account_id = 'acc-ken' AND version = 2"
        )
        before = row_fingerprint(repo.conn, "events")
        with pytest.raises(SchemaVersionError, match="schema version 3"):
            repo.load("acc-ken")
        assert row_fingerprint(repo.conn, "events") == before


def test_the_committed_legacy_files_are_exactly_what_the_generator_writes(tmp_path):
    write_legacy_files(tmp_path)
    for name in ("events.jsonl", "snapshots.jsonl"):
        assert (tmp_path / name).read_bytes() == (LEGACY_DIR / name).read_bytes(), name


def test_the_committed_legacy_history_holds_a_balance_the_float_migration_gets_wrong():
    balances = [json.loads(row["state"])["balance"] for row in read_legacy().snapshots]
    assert any(float_migration_gets_it_wrong(text) for text in balances)
    assert not all(float_migration_gets_it_wrong(text) for text in balances)

"""What each strategy writes, row by row, on each engine (checked with a plain connection).

Round trips alone cannot tell a store that writes the right rows from one that writes the
wrong rows and reads them back wrongly in the same way. The expected rows are the same bytes
on both engines: what the codec wrote, and each event's global ``position``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpers.domain.clock import TickingClock
from helpers.storage.codec import STATE_SCHEMA_VERSION, JsonCodec, format_timestamp
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.snapshot_store import SnapshotRepository
from tests.storage.contract import opened_with_deposits, query, stored_rows


def event_rows(account, first_position: int = 1) -> list[tuple]:
    """The rows an event store must hold for the account's pending events.

    The last column is the event's position in the feed of all accounts: the next free one
    when the save commits, then one more for each further event of the same save.
    """
    codec = JsonCodec()
    rows = []
    for position, event in enumerate(account.pending_events, start=first_position):
        type_name, schema_version, payload = codec.encode_event(event)
        at = format_timestamp(event.occurred_at)
        rows.append(
            (event.account_id, event.version, type_name, schema_version, at, payload, position)
        )
    return rows


def snapshot_row(state) -> tuple:
    return (
        state.account_id,
        state.version,
        STATE_SCHEMA_VERSION,
        JsonCodec().encode_state(state)[1],
    )


def events_stored(store) -> list[tuple]:
    """The ``events`` rows in key order, every column."""
    return stored_rows(store)["events"]


def save_one_event_at_a_time(repo, account_id: str, deposits: int):
    account = opened_with_deposits(account_id)
    repo.save(account)
    for number in range(deposits):
        account.deposit(100 + number, f"dep-{number}")
        repo.save(account)
    return account


def test_the_snapshot_store_keeps_one_row_per_account_with_state_version_and_save_time(store):
    saved_at = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    account = opened_with_deposits("acc-1", 100, 200)
    with SnapshotRepository(store, clock=TickingClock(saved_at)) as repo:
        repo.save(account)
        account.withdraw(50, "rent")
        repo.save(account)
    rows = stored_rows(store)
    assert rows["accounts"] == [
        (*snapshot_row(account.state), format_timestamp(saved_at.replace(minute=1)))
    ]
    assert rows["events"] == rows["snapshots"] == []


def test_the_event_store_appends_one_row_per_event_and_nothing_else(store):
    account = opened_with_deposits("acc-1", 100, 200)
    account.freeze("review")
    expected = event_rows(account)
    with EventSourcedRepository(store) as repo:
        repo.save(account)
    rows = stored_rows(store)
    assert rows["events"] == expected
    assert [row[-1] for row in expected] == [1, 2, 3, 4]
    assert rows["accounts"] == rows["snapshots"] == []


def test_the_event_store_appends_later_saves_without_touching_earlier_rows(store):
    account = opened_with_deposits("acc-1", 100)
    first_rows = event_rows(account)
    with EventSourcedRepository(store) as repo:
        repo.save(account)
        account.withdraw(60, "groceries")
        second_rows = event_rows(account, first_position=len(first_rows) + 1)
        repo.save(account)
    assert events_stored(store) == first_rows + second_rows


def test_the_occurred_at_column_sorts_as_time_does(store):
    account = opened_with_deposits("acc-1", *range(1, 30))
    with EventSourcedRepository(store) as repo:
        repo.save(account)
    by_time = query(store, "SELECT version FROM events ORDER BY occurred_at")
    assert [v for (v,) in by_time] == list(range(1, 31))


@pytest.mark.parametrize(
    ("every", "expected_versions"), [(1, [1, 2, 3, 4, 5, 6, 7]), (3, [3, 6]), (10, [])]
)
def test_the_hybrid_snapshots_each_time_a_save_crosses_a_multiple_of_n(
    store, every, expected_versions
):
    with HybridRepository(store, snapshot_every=every) as repo:
        save_one_event_at_a_time(repo, "acc-1", 6)
    snapshot_versions = query(store, "SELECT version FROM snapshots ORDER BY version")
    assert [v for (v,) in snapshot_versions] == expected_versions
    assert len(events_stored(store)) == 7


def test_a_hybrid_batch_that_crosses_a_multiple_of_n_snapshots_the_state_after_the_batch(store):
    account = opened_with_deposits("acc-1", *range(100, 107))
    with HybridRepository(store, snapshot_every=3) as repo:
        repo.save(account)
    assert stored_rows(store)["snapshots"] == [snapshot_row(account.state)]


def test_the_hybrid_snapshot_holds_the_same_state_a_replay_gives(store):
    with HybridRepository(store, snapshot_every=3) as repo:
        account = save_one_event_at_a_time(repo, "acc-1", 6)
    with EventSourcedRepository(store) as events_only:
        at_six = events_only.load("acc-1", version=6).state
    assert stored_rows(store)["snapshots"][-1] == snapshot_row(at_six)
    assert account.version == 7


def test_the_snapshot_authority_keeps_exactly_one_snapshot_row_at_the_latest_version(store):
    with HybridRepository(store, authority="snapshot") as repo:
        account = save_one_event_at_a_time(repo, "acc-1", 4)
    rows = stored_rows(store)
    assert rows["snapshots"] == [snapshot_row(account.state)]
    assert len(rows["events"]) == 5


def test_taking_a_snapshot_on_demand_stores_the_current_state(store):
    with HybridRepository(store, snapshot_every=100) as repo:
        account = save_one_event_at_a_time(repo, "acc-1", 4)
        assert stored_rows(store)["snapshots"] == []
        taken = repo.take_snapshot("acc-1")
    assert taken == account.state
    assert stored_rows(store)["snapshots"] == [snapshot_row(account.state)]

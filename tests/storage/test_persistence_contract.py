"""The persistence contract, written once and run against every strategy.

``open_repo`` (see tests/conftest.py) is parametrised over ``tests.storage.contract.STRATEGIES``
and over both engines: each test below runs for the snapshot store, the event store and every
hybrid variant, on a SQLite file and on PostgreSQL. Where the contract is about stored data, the
tests read the rows with a connection of their own.
"""

from __future__ import annotations

import pytest

from helpers.domain.account import Account
from helpers.domain.events import MoneyDeposited
from helpers.domain.state import fold
from helpers.errors import AccountNotFound, ConcurrencyError, PersistenceError, UnknownEventType
from helpers.storage.codec import JsonCodec
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.snapshot_store import SnapshotRepository
from tests.storage.contract import (
    STORES_EVENTS,
    connection_is_idle,
    opened_with_deposits,
    stored_rows,
)


def test_a_saved_account_loads_with_the_same_state_on_a_new_connection(open_repo):
    account = opened_with_deposits("acc-1", 1_000, 250)
    open_repo().save(account)
    loaded = open_repo().load("acc-1")
    assert loaded.state == account.state
    assert loaded.pending_events == ()
    assert loaded.stored_version == loaded.version == 3


def test_loading_an_account_that_was_never_saved_raises_account_not_found(open_repo):
    open_repo().save(opened_with_deposits("acc-1", 100))
    with pytest.raises(AccountNotFound, match="'acc-404'") as raised:
        open_repo().load("acc-404")
    assert raised.value.account_id == "acc-404"
    assert isinstance(raised.value, LookupError)
    assert isinstance(raised.value, PersistenceError)


def test_loading_from_an_empty_database_raises_account_not_found(open_repo):
    with pytest.raises(AccountNotFound):
        open_repo().load("acc-1")


def test_saving_clears_the_pending_events_and_moves_the_stored_version(open_repo):
    account = opened_with_deposits("acc-1", 100, 200)
    open_repo().save(account)
    assert account.pending_events == ()
    assert account.stored_version == account.version == 3


def test_saving_an_account_with_nothing_pending_writes_nothing(open_repo, store):
    repo = open_repo()
    repo.save(opened_with_deposits("acc-1", 100))
    before = stored_rows(store)
    loaded = repo.load("acc-1")
    repo.save(loaded)
    assert stored_rows(store) == before


def test_an_account_saved_in_several_steps_loads_with_its_latest_state(open_repo):
    repo = open_repo()
    account = opened_with_deposits("acc-1", 100)
    repo.save(account)
    account.withdraw(30, "snack")
    repo.save(account)
    account.freeze("holiday")
    account.unfreeze()
    account.deposit(5, "refund")
    repo.save(account)
    assert open_repo().load("acc-1").state == account.state


def test_accounts_are_stored_independently(open_repo):
    repo = open_repo()
    ada, grace = opened_with_deposits("acc-ada", 100), opened_with_deposits("acc-grace", 7, 8)
    repo.save(ada)
    repo.save(grace)
    assert open_repo().load("acc-ada").state == ada.state
    assert open_repo().load("acc-grace").state == grace.state


def test_a_loaded_account_accepts_commands_and_saves_again(open_repo):
    open_repo().save(opened_with_deposits("acc-1", 100))
    loaded = open_repo().load("acc-1")
    loaded.withdraw(40, "lunch")
    open_repo().save(loaded)
    assert open_repo().load("acc-1").balance == 60


# --- optimistic concurrency -------------------------------------------------------------------


def test_a_stale_save_raises_a_concurrency_error_naming_both_versions(open_repo):
    open_repo().save(opened_with_deposits("acc-1", 100))
    first, second = open_repo(), open_repo()
    mine, theirs = first.load("acc-1"), second.load("acc-1")
    theirs.deposit(1, "theirs")
    theirs.deposit(2, "theirs again")
    second.save(theirs)
    mine.deposit(50, "mine")
    with pytest.raises(ConcurrencyError) as raised:
        first.save(mine)
    error = raised.value
    assert (error.account_id, error.expected_version, error.actual_version) == ("acc-1", 2, 4)
    assert "version 4" in str(error)
    assert "expected version 2" in str(error)
    assert "load the account again" in str(error)


def test_the_losing_save_changes_no_stored_row_and_keeps_its_pending_events(open_repo, store):
    open_repo().save(opened_with_deposits("acc-1", 100))
    first, second = open_repo(), open_repo()
    mine, theirs = first.load("acc-1"), second.load("acc-1")
    theirs.deposit(1, "theirs")
    second.save(theirs)
    winner_rows = stored_rows(store)
    mine.deposit(50, "mine")
    with pytest.raises(ConcurrencyError):
        first.save(mine)
    assert stored_rows(store) == winner_rows
    assert [e.amount for e in mine.pending_events] == [50]


def test_the_loser_can_reload_and_retry(open_repo):
    open_repo().save(opened_with_deposits("acc-1", 100))
    first, second = open_repo(), open_repo()
    mine, theirs = first.load("acc-1"), second.load("acc-1")
    theirs.deposit(1, "theirs")
    second.save(theirs)
    mine.deposit(50, "mine")
    with pytest.raises(ConcurrencyError):
        first.save(mine)
    retry = first.load("acc-1")
    retry.deposit(50, "mine")
    first.save(retry)
    assert open_repo().load("acc-1").balance == 151


def test_opening_an_account_whose_id_is_already_stored_is_a_concurrency_error(open_repo, store):
    open_repo().save(opened_with_deposits("acc-1", 100))
    before = stored_rows(store)
    with pytest.raises(ConcurrencyError, match="opened twice") as raised:
        open_repo().save(Account.open("acc-1", "An Impostor"))
    assert raised.value.expected_version == 0
    assert stored_rows(store) == before


# --- a save is one transaction -------------------------------------------------------------------


class MoneyGifted(MoneyDeposited):
    """A deposit subclass no codec registers: encoding it fails in the middle of a batch."""


def with_unstorable_last_event(account_id: str = "acc-1") -> Account:
    """Opened, two deposits, then an event the codec refuses - all four pending."""
    good = opened_with_deposits(account_id, 100, 200)
    last = good.pending_events[-1]
    bad = MoneyGifted(
        account_id=account_id, version=4, occurred_at=last.occurred_at, amount=5, reference="gift"
    )
    before = fold(good.pending_events)
    after = before._replace(balance=before.balance + bad.amount, version=bad.version)
    return Account(after, pending=[*good.pending_events, bad])


@pytest.mark.parametrize("strategy", sorted(STORES_EVENTS), indirect=True)
def test_an_event_that_cannot_be_encoded_rolls_back_the_whole_batch(open_repo, store):
    repo = open_repo()
    repo.save(opened_with_deposits("acc-0", 1))
    before = stored_rows(store)
    account = with_unstorable_last_event()
    with pytest.raises(UnknownEventType, match="MoneyGifted"):
        repo.save(account)
    assert stored_rows(store) == before
    assert len(account.pending_events) == 4


@pytest.mark.parametrize("strategy", sorted(STORES_EVENTS), indirect=True)
def test_the_repository_still_works_after_a_rolled_back_save(open_repo):
    repo = open_repo()
    with pytest.raises(UnknownEventType):
        repo.save(with_unstorable_last_event())
    account = opened_with_deposits("acc-1", 100)
    repo.save(account)
    assert repo.load("acc-1").state == account.state


class SnapshotsFail(JsonCodec):
    """A codec that encodes events but cannot encode a state (a bug in a new field, say)."""

    def encode_state(self, state):
        raise ValueError("cannot encode this state")


def test_a_hybrid_snapshot_that_fails_rolls_back_the_events_saved_with_it(store):
    with HybridRepository(store, snapshot_every=3, codec=SnapshotsFail()) as repo:
        repo.save(opened_with_deposits("acc-1", 1))
        before = stored_rows(store)
        account = repo.load("acc-1")
        account.deposit(2, "this save crosses version 3, so it snapshots")
        with pytest.raises(ValueError, match="cannot encode"):
            repo.save(account)
    assert stored_rows(store) == before
    assert before["events"] and not before["snapshots"]


def test_a_snapshot_store_save_that_fails_inside_its_transaction_leaves_the_old_row(store):
    def broken_clock():
        raise RuntimeError("the clock stopped")

    with SnapshotRepository(store) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
    before = stored_rows(store)
    with SnapshotRepository(store, clock=broken_clock) as repo:
        account = repo.load("acc-1")
        account.deposit(5, "never stored")
        with pytest.raises(RuntimeError, match="clock stopped"):
            repo.save(account)
        assert connection_is_idle(repo)
    assert stored_rows(store) == before

"""The balances-by-owner projection: it catches up from its stored position, applies each
batch and its new position in one transaction, and always equals a fresh full replay.

"A fresh full replay" is computed independently, by loading every account through the
repository (``tests.storage.projection_oracle``). Every test runs on both engines, with the
report in a store of its own on the same engine, or in the event store itself.
"""

from __future__ import annotations

import threading

import pytest

from helpers.domain.account import Account
from helpers.errors import CorruptRecord
from helpers.samples.workload import generate_commands
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.projection import BalancesByOwner
from tests.storage.contract import query, run_sql
from tests.storage.projection_oracle import balances_by_owner_by_loading, balances_by_owner_up_to

OWNERS = ("Ada", "Bea", "Cy")


def fill(repo, accounts: int = 6, commands: int = 12, seed: int = 1) -> None:
    """Accounts spread over three owners, each saved after every command; one is closed."""
    for number in range(accounts):
        account = Account.open(f"acc-{seed}-{number}", OWNERS[number % len(OWNERS)])
        repo.save(account)
        for command in generate_commands(commands, seed=seed * 100 + number):
            command.apply_to(account)
            repo.save(account)
    closing = repo.load(f"acc-{seed}-0")
    closing.withdraw(closing.balance, "empty it")
    closing.close()
    repo.save(closing)


@pytest.fixture
def events(store):
    with EventSourcedRepository(store) as repo:
        fill(repo)
        yield repo


@pytest.fixture
def report_store(new_store):
    """A second empty store on the same engine, for the report."""
    return new_store()


def test_a_projection_that_catches_up_equals_a_full_replay(events, report_store):
    with BalancesByOwner(report_store) as report:
        applied = report.catch_up(events)
        assert applied == events.last_position()
        assert report.position == events.last_position()
        assert report.rows() == balances_by_owner_by_loading(events)
    assert {row["owner"] for row in report_rows(report_store)} == set(OWNERS)


def report_rows(report_store):
    with BalancesByOwner(report_store) as report:
        return report.rows()


def test_a_closed_account_no_longer_counts_for_its_owner(events, report_store):
    with BalancesByOwner(report_store) as report:
        report.catch_up(events)
        ada = next(row for row in report.rows() if row["owner"] == "Ada")
    assert ada["accounts"] == 1  # acc-1-0 and acc-1-3 are Ada's; acc-1-0 is closed


def test_a_second_catch_up_applies_only_the_new_events(events, report_store):
    with BalancesByOwner(report_store) as report:
        report.catch_up(events)
        before = events.last_position()
        fill(events, accounts=2, commands=5, seed=2)
        assert report.catch_up(events) == events.last_position() - before
        assert report.catch_up(events) == 0
        assert report.rows() == balances_by_owner_by_loading(events)


@pytest.mark.parametrize("batch", [1, 7, 10_000])
def test_the_batch_size_changes_nothing_but_the_number_of_transactions(events, report_store, batch):
    with BalancesByOwner(report_store) as report:
        report.catch_up(events, batch=batch)
        assert report.rows() == balances_by_owner_by_loading(events)


def test_the_report_can_live_in_the_event_store_itself(store):
    with (
        HybridRepository(store, authority="snapshot") as repo,
        BalancesByOwner(store) as report,
    ):
        fill(repo)
        report.catch_up(repo, batch=9)
        assert report.rows() == balances_by_owner_by_loading(repo)
        assert query(store, "SELECT name, position FROM projection_positions") == [
            ("balances_by_owner", repo.last_position())
        ]


def test_a_batch_that_meets_a_bad_row_changes_neither_rows_nor_position(
    events, report_store, store
):
    with BalancesByOwner(report_store) as report:
        report.catch_up(events, batch=20)
        stop = events.last_position()
        fill(events, accounts=1, commands=30, seed=3)
        run_sql(store, "UPDATE events SET payload = '{oops' WHERE position = ?", (stop + 25,))
        with pytest.raises(CorruptRecord):
            report.catch_up(events, batch=20)
        assert report.position == stop + 20  # the first batch committed, the second did not
        assert report.rows() == balances_by_owner_up_to(events, stop + 20)
    assert query(report_store, "SELECT position FROM projection_positions") == [(stop + 20,)]


def test_rebuilding_recomputes_the_same_report_from_position_zero(events, report_store):
    with BalancesByOwner(report_store) as report:
        report.catch_up(events)
        run_sql(report_store, "UPDATE balances_by_owner SET balance = balance + 1")
        assert report.rows() != balances_by_owner_by_loading(events)
        assert report.rebuild(events) == events.last_position()
        assert report.rows() == balances_by_owner_by_loading(events)


def test_projectors_catching_up_at_once_apply_each_event_once(events, store, report_store):
    target = report_store
    BalancesByOwner(target).close()
    errors = []

    def catch_up() -> None:
        try:
            with BalancesByOwner(target) as report, EventSourcedRepository(store) as source:
                report.catch_up(source, batch=5)
        except Exception as error:  # collected: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=catch_up) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with BalancesByOwner(target) as report:
        assert report.rows() == balances_by_owner_by_loading(events)


def test_a_feed_without_the_opening_is_refused_naming_the_row(events, report_store, store):
    run_sql(store, "DELETE FROM events WHERE account_id = 'acc-1-2' AND version = 1")
    with BalancesByOwner(report_store) as report, pytest.raises(CorruptRecord) as raised:
        report.catch_up(events)
    assert (raised.value.account_id, raised.value.version) == ("acc-1-2", 2)
    assert "AccountOpened" in str(raised.value)

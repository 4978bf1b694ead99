"""Notifications go out only after the change they announce is committed to the store."""

from __future__ import annotations

import pytest

from helpers.domain import LOW_BALANCE_THRESHOLD, Account, LowBalanceWarning
from helpers.errors import ConcurrencyError
from helpers.storage import EventSourcedRepository
from tests.storage.contract import STRATEGIES


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_a_save_that_loses_the_race_announces_nothing(strategy, store, clock):
    with STRATEGIES[strategy](store) as repo:
        opened = Account.open("acc-1", "Ada", clock=clock)
        opened.deposit(LOW_BALANCE_THRESHOLD + 1_000, "salary")
        repo.save(opened)
        heard: list[LowBalanceWarning] = []
        first, second = repo.load("acc-1"), repo.load("acc-1")
        second.publisher.subscribe(heard.append)
        first.deposit(1, "wins the race")
        repo.save(first)
        second.withdraw(5_000, "loses the race")
        with pytest.raises(ConcurrencyError):
            repo.save(second)
    assert heard == [], "the losing withdrawal was never stored, so no warning may go out"


def test_a_saved_withdrawal_announces_its_warning_after_the_commit(store, clock):
    heard: list[tuple[LowBalanceWarning, int]] = []
    with EventSourcedRepository(store) as repo:

        def count_stored_events(warning: LowBalanceWarning) -> None:
            (stored,) = repo.db.fetch_one("SELECT COUNT(*) FROM events")
            heard.append((warning, stored))

        account = Account.open("acc-1", "Ada", clock=clock)
        account.publisher.subscribe(count_stored_events)
        account.deposit(LOW_BALANCE_THRESHOLD, "salary")
        account.withdraw(1, "coffee")
        repo.save(account)
    assert [(w.balance, stored) for w, stored in heard] == [(LOW_BALANCE_THRESHOLD - 1, 3)]

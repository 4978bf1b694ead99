"""Two writers, one account: exactly one save wins and the loser changes nothing.

Both writers load the same version before either saves. The race is run with two threads
(each with its own repository and connection) and with two separate processes, for every
strategy, on both engines. The stored rows afterwards must be exactly what the winner alone
would have written.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from helpers.domain.account import Account
from helpers.domain.state import fold
from helpers.errors import ConcurrencyError
from tests.storage.contract import STRATEGIES, Store, opened_with_deposits, stored_rows

PACK_ROOT = Path(__file__).parents[2]  # so that "tests.storage" imports in a child process


def comparable_rows(store: Store) -> dict[str, list[tuple]]:
    """The stored rows without the snapshot store's wall-clock ``saved_at`` column."""
    rows = stored_rows(store)
    rows["accounts"] = [row[:4] for row in rows["accounts"]]
    return rows


def rows_if_only(strategy: str, winner_events, store: Store) -> dict[str, list[tuple]]:
    """The rows a lone writer leaves: the initial account, then only the winner's events."""
    with STRATEGIES[strategy](store) as repo:
        initial = opened_with_deposits("acc-1", 100)
        repo.save(initial)
        repo.save(Account(fold(winner_events, initial.state), pending=winner_events))
    return comparable_rows(store)


def test_two_threads_that_loaded_the_same_version_leave_exactly_one_winner(
    strategy, store, new_store
):
    with STRATEGIES[strategy](store) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
    both_loaded = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}
    pending: dict[str, tuple] = {}

    def writer(name: str, amount: int) -> None:
        with STRATEGIES[strategy](store) as repo:
            account = repo.load("acc-1")
            account.deposit(amount, name)
            pending[name] = account.pending_events
            both_loaded.wait()
            try:
                repo.save(account)
                outcomes[name] = "saved"
            except ConcurrencyError as error:
                outcomes[name] = error

    threads = [threading.Thread(target=writer, args=args) for args in [("ann", 1), ("bob", 2)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [name for name, outcome in outcomes.items() if outcome == "saved"]
    losers = [o for o in outcomes.values() if isinstance(o, ConcurrencyError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert (losers[0].expected_version, losers[0].actual_version) == (2, 3)
    expected = rows_if_only(strategy, pending[winners[0]], new_store())
    assert comparable_rows(store) == expected


WRITER = textwrap.dedent(
    """
    import sys
    from tests.storage.contract import STRATEGIES
    from helpers.errors import ConcurrencyError

    strategy, path, name, amount = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with STRATEGIES[strategy](path) as repo:
        account = repo.load("acc-1")
        account.deposit(amount, name)
        print("loaded", account.stored_version, flush=True)
        sys.stdin.readline()  # wait until the other process has loaded too
        try:
            repo.save(account)
            print("saved", flush=True)
        except ConcurrencyError as error:
            print("conflict", error.expected_version, error.actual_version, flush=True)
    """
)


def test_two_processes_that_loaded_the_same_version_leave_exactly_one_winner(strategy, store):
    with STRATEGIES[strategy](store) as repo:
        repo.save(opened_with_deposits("acc-1", 100))
    writers = {
        name: subprocess.Popen(
            [sys.executable, "-c", WRITER, strategy, str(store), name, str(amount)],
            cwd=PACK_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name, amount in [("ann", 1), ("bob", 2)]
    }
    for process in writers.values():
        assert process.stdout.readline().split() == ["loaded", "2"]
    for process in writers.values():  # release both before waiting for either: a real race
        process.stdin.write("go\n")
        process.stdin.flush()
    results = {}
    for name, process in writers.items():
        output, _ = process.communicate(timeout=30)
        assert process.returncode == 0
        results[name] = output.split()
    assert sorted(results.values()) == [["conflict", "2", "3"], ["saved"]]
    [winner] = [name for name, result in results.items() if result == ["saved"]]
    with STRATEGIES[strategy](store) as repo:
        assert repo.load("acc-1").balance == 100 + {"ann": 1, "bob": 2}[winner]
        if strategy != "snapshot":
            references = [e.reference for e in repo.history("acc-1") if e.version > 1]
            assert references == ["dep-1", winner]

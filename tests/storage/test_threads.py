"""One repository shared by many threads, the way a web application shares it.

Each test opens ONE repository and hands it to several threads. Saves of different accounts
must all succeed; saves that race for one account must end in exactly one winner and
``ConcurrencyError`` for the others; and a thread never reads rows another thread has not
committed yet. All of it on both engines: each gives every thread a connection of its own.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from helpers.domain.account import Account
from helpers.errors import ConcurrencyError
from helpers.storage.hybrid_store import HybridRepository
from tests.storage.contract import STORES_EVENTS, opened_with_deposits, query

THREADS = 4
SAVES_PER_THREAD = 30


def save_distinct_accounts(repo, thread: int) -> list[str]:
    """Open and then top up accounts of this thread's own; return what went wrong (nothing)."""
    failures = []
    for number in range(SAVES_PER_THREAD // 2):
        account_id = f"acc-{thread}-{number}"
        try:
            account = Account.open(account_id, f"Owner {thread}")
            repo.save(account)
            loaded = repo.load(account_id)
            loaded.deposit(100 + number, "top-up")
            repo.save(loaded)
        except Exception as error:  # the test counts every failure, whatever its type
            failures.append(f"{account_id}: {type(error).__name__}: {error}")
    return failures


def test_threads_sharing_one_repository_save_distinct_accounts_without_a_single_failure(
    open_repo,
):
    repo = open_repo()
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(save_distinct_accounts, [repo] * THREADS, range(THREADS)))
    assert [failure for failures in results for failure in failures] == []
    for thread in range(THREADS):
        for number in range(SAVES_PER_THREAD // 2):
            account = repo.load(f"acc-{thread}-{number}")
            assert (account.version, account.balance) == (2, 100 + number)


def test_threads_racing_for_one_account_on_a_shared_repository_leave_one_winner(open_repo):
    repo = open_repo()
    repo.save(opened_with_deposits("acc-1", 100))
    all_loaded = threading.Barrier(THREADS, timeout=10)

    def deposit(amount: int) -> str:
        account = repo.load("acc-1")
        account.deposit(amount, f"thread-{amount}")
        all_loaded.wait()
        try:
            repo.save(account)
        except ConcurrencyError as error:
            assert (error.expected_version, error.actual_version) == (2, 3)
            return "conflict"
        return "saved"

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = Counter(pool.map(deposit, range(1, THREADS + 1)))
    assert outcomes == {"saved": 1, "conflict": THREADS - 1}
    assert repo.load("acc-1").version == 3


def test_a_thread_never_reads_rows_another_thread_has_not_committed(open_repo, strategy, store):
    repo = open_repo()
    repo.save(opened_with_deposits("acc-1", 100))
    table = "events" if strategy in STORES_EVENTS else "accounts"
    inside = threading.Event()
    release = threading.Event()
    seen: list[int] = []

    def writer() -> None:
        try:
            with repo.db.transaction():
                repo.db.execute(f'DELETE FROM "{table}"')  # uncommitted, then rolled back
                inside.set()
                release.wait(10)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass

    def reader() -> None:
        inside.wait(10)
        (count,) = repo.db.fetch_one(f'SELECT COUNT(*) FROM "{table}"')
        seen.append(count)

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    threads[1].join(5)  # a reader must not wait for the writer to finish
    release.set()
    for thread in threads:
        thread.join(10)
    stored = len(query(store, f'SELECT * FROM "{table}"'))
    assert seen == [stored] and stored > 0


def test_each_thread_reads_the_report_of_its_own_last_load(store):
    with HybridRepository(store, snapshot_every=2) as repo:
        repo.save(opened_with_deposits("acc-1", 100, 200, 300))  # a snapshot at version 4
        repo.save(opened_with_deposits("acc-2", 100))
        both_loaded = threading.Barrier(2, timeout=10)
        reports = {}

        def load(account_id: str) -> None:
            repo.load(account_id)
            both_loaded.wait()
            reports[account_id] = repo.last_load

        threads = [threading.Thread(target=load, args=(a,)) for a in ("acc-1", "acc-2")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert reports["acc-1"].account_id == "acc-1" and reports["acc-1"].snapshot_version == 4
    assert reports["acc-2"].account_id == "acc-2" and reports["acc-2"].snapshot_version == 2

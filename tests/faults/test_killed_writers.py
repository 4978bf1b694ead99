"""Writers killed with SIGKILL in the middle of a save, round after round: no save that was
acknowledged is ever lost, and what is stored always loads.

Each round forks a writer that opens the store, loads (or opens) two accounts and saves
deposits in a loop. Only after ``save`` returns does it acknowledge the save to the parent,
through a pipe, and carry on - the way a service answers "OK" to its client. The parent kills
it with SIGKILL: in half of the rounds while the writer is paused inside a transaction (at a
statement chosen at random), in the other half after a random delay, wherever it happens to
be. Then the parent opens the store with a fresh repository and checks every account: its
version is at least the last one acknowledged, and its state is exactly the state of that
version. The store is kept from round to round, so each round also starts by recovering
from the previous kill. The rounds rotate through every strategy, on both engines: on a
SQLite file the killed process held the file's write lock; on PostgreSQL the server must
notice the dead client and roll back its transaction (and release its table lock) itself.
"""

from __future__ import annotations

import random
import time

from helpers.domain.account import Account
from helpers.errors import AccountNotFound
from tests.faults import profile, tally
from tests.faults.children import Child
from tests.faults.pause import pause_inside_a_transaction
from tests.storage.contract import STORES_EVENTS, STRATEGIES, Store, query

ACCOUNTS = ("acc-a", "acc-b")
OWNER = "Kill Test"


def amount_at(version: int) -> int:
    """The deposit that makes an account's event ``version``: known to the checker."""
    return (version * 37) % 1000 + 1


def balance_at(version: int) -> int:
    return sum(amount_at(v) for v in range(2, version + 1))


def write_forever(store: Store, strategy: str, pause_at: int | None, send) -> None:
    """The child: save in a loop, acknowledging each save after it returns."""
    repo = STRATEGIES[strategy](store)
    if pause_at is not None:
        pause_inside_a_transaction(repo.db, pause_at, send)
    accounts = []
    for account_id in ACCOUNTS:
        try:
            accounts.append(repo.load(account_id))
        except AccountNotFound:
            accounts.append(Account.open(account_id, OWNER))
    while True:
        for account in accounts:
            for _ in range(1 + account.version % 3):  # one to three events per save
                account.deposit(amount_at(account.version + 1), "kill-test")
            repo.save(account)
            send(f"ack {account.account_id} {account.version}")


def check_store(store: Store, strategy: str, acknowledged: dict[str, int]) -> None:
    """Every acknowledged save is there, and every account loads to the state of its version."""
    with STRATEGIES[strategy](store) as repo:
        for account_id in ACCOUNTS:
            try:
                account = repo.load(account_id)
            except AccountNotFound:
                version = 0
            else:
                version = account.version
                assert (account.owner, account.balance) == (OWNER, balance_at(version))
            tally.COUNTS["acknowledged_saves_lost"] += version < acknowledged.get(account_id, 0)
            assert version >= acknowledged.get(account_id, 0), (
                f"{strategy}: {account_id} acknowledged at version "
                f"{acknowledged[account_id]} but stored at {version}"
            )
    if strategy in STORES_EVENTS:
        positions = [p for (p,) in query(store, "SELECT position FROM events ORDER BY position")]
        assert positions == list(range(1, len(positions) + 1)), "a gap in the feed"


def test_writers_killed_mid_save_never_lose_an_acknowledged_save(new_store):
    rounds = profile.current().writer_kill_rounds
    rng = random.Random(20260301)
    acknowledged: dict[str, dict[str, int]] = {name: {} for name in STRATEGIES}
    stores = {name: new_store() for name in STRATEGIES}
    for round_number in range(rounds):
        strategy = list(STRATEGIES)[round_number % len(STRATEGIES)]
        store = stores[strategy]
        pause_at = rng.randint(1, 40) if round_number % 2 == 0 else None
        child = Child(lambda send, f=store, s=strategy, p=pause_at: write_forever(f, s, p, send))
        if pause_at is not None:
            paused = child.wait_for("paused")
            assert paused is not None, f"the writer ended before pausing: {child.lines}"
            tally.COUNTS["writer_kills_mid_transaction"] += 1
        else:
            time.sleep(rng.uniform(0.01, 0.15))
        child.kill()
        tally.COUNTS["writer_kills"] += 1
        for line in child.messages("ack "):
            _, account_id, version = line.split()
            acknowledged[strategy][account_id] = int(version)
            tally.COUNTS["acknowledged_saves"] += 1
        check_store(store, strategy, acknowledged[strategy])

    assert tally.COUNTS["acknowledged_saves_lost"] == 0

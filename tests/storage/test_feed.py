"""The event feed: every account's events in one order, read from a position, streamed.

``position`` is handed out while the write lock is held, in the save's own transaction, so
positions commit in order: a reader that remembers the last position it handled never misses
an event and never sees one twice - even while other threads keep writing.
"""

from __future__ import annotations

import threading
from itertools import islice

import pytest

from helpers.domain.account import Account
from helpers.errors import ConcurrencyError, CorruptRecord
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.feed import FeedEntry
from helpers.storage.hybrid_store import HybridRepository
from tests.storage.contract import STORES_EVENTS, STRATEGIES, opened_with_deposits, query, run_sql


@pytest.fixture(params=sorted(STORES_EVENTS))
def feed_repo(request, store):
    with STRATEGIES[request.param](store) as repo:
        yield repo


def save_interleaved(repo) -> list[tuple[str, int]]:
    """Three saves of two accounts; returns (account, version) in the order they were saved."""
    ada = opened_with_deposits("acc-ada", 100, 200)
    repo.save(ada)
    bea = opened_with_deposits("acc-bea", 50)
    repo.save(bea)
    ada.withdraw(30, "rent")
    repo.save(ada)
    return [("acc-ada", v) for v in (1, 2, 3)] + [("acc-bea", 1), ("acc-bea", 2), ("acc-ada", 4)]


def test_the_feed_holds_every_account_in_the_order_the_saves_committed(feed_repo):
    order = save_interleaved(feed_repo)
    entries = list(feed_repo.read_all())
    assert [entry.position for entry in entries] == [1, 2, 3, 4, 5, 6]
    assert [(e.event.account_id, e.event.version) for e in entries] == order
    assert all(isinstance(entry, FeedEntry) for entry in entries)
    assert feed_repo.last_position() == 6


def test_the_feed_is_read_from_a_position_a_page_at_a_time(feed_repo):
    save_interleaved(feed_repo)
    assert [e.position for e in feed_repo.read_all(after=2, limit=3)] == [3, 4, 5]
    assert [e.position for e in feed_repo.read_all(after=5, limit=3)] == [6]
    assert list(feed_repo.read_all(after=6)) == []


def test_an_empty_store_has_position_zero_and_an_empty_feed(feed_repo):
    assert feed_repo.last_position() == 0
    assert list(feed_repo.read_all()) == []


def test_the_feed_decodes_the_same_events_the_history_holds(feed_repo):
    save_interleaved(feed_repo)
    from_feed = [e.event for e in feed_repo.read_all() if e.event.account_id == "acc-ada"]
    assert from_feed == list(feed_repo.history("acc-ada"))


def test_the_feed_is_streamed_so_a_reader_gets_the_first_entries_before_a_bad_row(feed_repo, store):
    save_interleaved(feed_repo)
    run_sql(store, "UPDATE events SET payload = '{oops' WHERE position = 5")
    stream = feed_repo.read_all()
    assert [e.position for e in islice(stream, 4)] == [1, 2, 3, 4]
    with pytest.raises(CorruptRecord, match="in table 'events' for account 'acc-bea'"):
        next(stream)


def test_a_save_that_loses_the_race_leaves_no_gap_in_the_positions(feed_repo):
    feed_repo.save(opened_with_deposits("acc-1", 100))
    first, second = feed_repo.load("acc-1"), feed_repo.load("acc-1")
    first.deposit(1, "wins")
    feed_repo.save(first)
    second.deposit(2, "loses")
    with pytest.raises(ConcurrencyError):
        feed_repo.save(second)
    feed_repo.save(opened_with_deposits("acc-2"))
    assert [e.position for e in feed_repo.read_all()] == [1, 2, 3, 4]


def test_a_reader_following_concurrent_writers_sees_every_position_once_and_in_order(store):
    writers, saves_each = 4, 15
    done = threading.Event()
    with EventSourcedRepository(store) as repo:

        def write(number: int) -> None:
            account = Account.open(f"acc-{number}", f"Owner {number}")
            repo.save(account)
            for amount in range(1, saves_each):
                account.deposit(amount, "feed")
                repo.save(account)

        seen: list[int] = []

        def follow() -> None:
            while True:
                finished = done.is_set()
                after = seen[-1] if seen else 0
                seen.extend(e.position for e in repo.read_all(after=after, limit=7))
                if finished and len(seen) == repo.last_position():
                    return

        reader = threading.Thread(target=follow)
        reader.start()
        threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        done.set()
        reader.join(30)
        per_account = {}
        for entry in repo.read_all():
            per_account.setdefault(entry.event.account_id, []).append(entry.event.version)
    assert seen == list(range(1, writers * saves_each + 1))
    assert all(versions == list(range(1, saves_each + 1)) for versions in per_account.values())


def test_positions_are_stored_in_the_events_table(store):
    with HybridRepository(store, snapshot_every=2) as repo:
        save_interleaved(repo)
    assert query(store, "SELECT account_id, version, position FROM events ORDER BY position")[
        :2
    ] == [("acc-ada", 1, 1), ("acc-ada", 2, 2)]

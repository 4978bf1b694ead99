"""A full disk, simulated with SQLite's ``PRAGMA max_page_count``: the save fails with a pack
error naming the file, nothing is half-written, and once there is room the same save succeeds.

``max_page_count`` caps how many pages the database file may have. Set to the current size,
the next write that needs a new page fails with SQLITE_FULL, exactly as a full disk would
make it fail. SQLite rolls the transaction back by itself after such an error, and the
store must not then fail a second time trying to roll back what is already gone.

SQLite only: ``max_page_count`` is SQLite's own limit, and a PostgreSQL server cannot be
made to run out of disk on a shared machine. The server's counterpart - the ``disk_full``
error it sends, reaching the caller as ``StoreFull`` - is in
``tests/storage/test_engine_faults.py``.
"""

from __future__ import annotations

import pytest

from helpers.domain.account import Account
from helpers.errors import StoreFull
from tests.storage.contract import STRATEGIES, opened_with_deposits, stored_rows

BIG = "x" * 20_000
"""A text too long for any free space left in a page: storing it needs new pages."""


def cap_at_current_size(conn) -> int:
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    conn.execute(f"PRAGMA max_page_count = {pages}")
    return pages


@pytest.fixture
def repo(strategy, db_path):
    with STRATEGIES[strategy](db_path) as opened:
        yield opened


def test_a_full_disk_fails_the_save_with_a_pack_error_and_writes_nothing(repo, db_path):
    repo.save(opened_with_deposits("acc-1", 100, 200))
    before = stored_rows(db_path)
    cap_at_current_size(repo.conn)
    account = Account.open("acc-big", BIG)
    for number in range(20):
        account.deposit(100 + number, BIG[:2_000])
    with pytest.raises(StoreFull) as raised:
        repo.save(account)
    assert str(db_path) in str(raised.value) and "nothing was written" in str(raised.value)
    assert stored_rows(db_path) == before
    assert len(account.pending_events) == 21  # not acknowledged: still waiting to be saved
    assert not repo.conn.in_transaction


def test_once_there_is_room_again_the_same_save_succeeds_on_the_same_connection(repo):
    repo.save(opened_with_deposits("acc-1", 100))
    cap_at_current_size(repo.conn)
    account = Account.open("acc-big", BIG)
    account.deposit(5_000, "first")
    with pytest.raises(StoreFull):
        repo.save(account)
    repo.conn.execute("PRAGMA max_page_count = 1073741823")  # room again
    repo.save(account)
    assert repo.load("acc-big").state == account.state
    assert repo.load("acc-1").balance == 100

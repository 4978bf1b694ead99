"""What the persistence tests share: the strategies under test and ways to look at raw rows.

This is not a test module. The contract tests are written once, against the ``open_repo``
fixture in ``conftest.py``, and pytest runs each of them once per entry in ``STRATEGIES``.
Tests look at the stored rows with a plain ``sqlite3`` connection of their own, so that a
check does not depend on the code it checks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from functools import partial
from pathlib import Path

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.repository import Repository
from helpers.storage.snapshot_store import SnapshotRepository

STRATEGIES: dict[str, Callable[..., Repository]] = {
    "snapshot": SnapshotRepository,
    "event-sourced": EventSourcedRepository,
    "hybrid-events-every-1": partial(HybridRepository, snapshot_every=1),
    "hybrid-events-every-3": partial(HybridRepository, snapshot_every=3),
    "hybrid-snapshot-authority": partial(HybridRepository, authority="snapshot"),
}
"""Name -> factory taking a path (and optional keyword options such as ``codec``)."""

STORES_EVENTS = {name for name in STRATEGIES if name != "snapshot"}

TABLES = ("accounts", "events", "snapshots")


def stored_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of the three data tables, in key order, read without the helpers package."""
    with closing(sqlite3.connect(path)) as conn:
        return {
            table: conn.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2').fetchall()
            for table in TABLES
        }


def run_sql(path: Path, sql: str, params: tuple = ()) -> int:
    """A hand edit, as a person with a SQL shell would make it; returns the rows changed."""
    with closing(sqlite3.connect(path)) as conn, conn:
        return conn.execute(sql, params).rowcount


def query(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def fresh_clock() -> TickingClock:
    return TickingClock()


def opened_with_deposits(account_id: str = "acc-1", *amounts: int, clock=None) -> Account:
    """An account opened by Grace Hopper, then one deposit per amount (all still pending)."""
    account = Account.open(account_id, "Grace Hopper", clock=clock or fresh_clock())
    for number, amount in enumerate(amounts, start=1):
        account.deposit(amount, f"dep-{number}")
    return account

"""Rebuild tests: save a generated history, reopen the file, load, and compare."""

from __future__ import annotations

import pytest

from helpers import (
    EventSourcedRepository,
    HybridRepository,
    SnapshotRepository,
    build_account,
    expected_after,
)

STRATEGIES = {
    "snapshot": lambda path: SnapshotRepository(path),
    "event-sourced": lambda path: EventSourcedRepository(path),
    "hybrid-events-every-1": lambda path: HybridRepository(path, snapshot_every=1),
    "hybrid-events-every-7": lambda path: HybridRepository(path, snapshot_every=7),
    "hybrid-snapshot-authority": lambda path: HybridRepository(path, authority="snapshot"),
}


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_saved_history_rebuilds_to_the_expected_state_after_reopening(strategy, db_path):
    account = build_account("acc-1", 500, seed=7)
    with STRATEGIES[strategy](db_path) as repo:
        repo.save(account)
    with STRATEGIES[strategy](db_path) as reopened:
        loaded = reopened.load("acc-1")
    expected = expected_after(500, seed=7)
    assert (loaded.balance, loaded.version, loaded.status) == (
        expected.balance,
        expected.version,
        expected.status,
    )
    assert loaded.state == account.state

"""Reconciliation follows the declared authority: rebuild a cache, or correct the truth by hand."""

from __future__ import annotations

import json

import pytest

from helpers.samples.workload import build_account, expected_after
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.reconcile import correct_snapshot_by_hand, reconcile
from helpers.teaching.lesson import table
from tests.storage.contract import query, run_sql


def saved(store, authority: str) -> HybridRepository:
    options = {"snapshot_every": 10} if authority == "events" else {}
    repo = HybridRepository(store, authority=authority, **options)
    repo.save(build_account("acc-1", 30, seed=5))
    return repo


def edit_balance(store, delta: int) -> None:
    """A hand edit of every snapshot of acc-1, made outside the repository."""
    for version, text in query(store, "SELECT version, state FROM snapshots"):
        state = json.loads(text)
        state["balance"] += delta
        run_sql(
            store,
            "UPDATE snapshots SET state = ? WHERE account_id = 'acc-1' AND version = ?",
            (json.dumps(state), version),
        )


@pytest.mark.parametrize("authority", ["events", "snapshot"])
def test_reconcile_does_nothing_when_snapshot_and_events_agree(store, authority):
    with saved(store, authority) as repo:
        result = reconcile(repo, "acc-1")
    assert result.action.startswith("nothing to do")
    assert result.differences == ()


def test_with_events_authority_reconcile_rebuilds_the_drifted_snapshot(store):
    with saved(store, "events") as repo:
        edit_balance(store, 500)
        result = reconcile(repo, "acc-1")
        assert result.differences[0]["field"] == "balance"
        assert repo.verify("acc-1").ok
        assert repo.load("acc-1").balance == expected_after(30, seed=5).balance


def test_with_snapshot_authority_reconcile_leaves_the_snapshot_alone(store):
    with saved(store, "snapshot") as repo:
        edit_balance(store, 500)
        result = reconcile(repo, "acc-1")
        assert "left unchanged" in result.action
        assert result.next_steps
        assert repo.load("acc-1").balance == expected_after(30, seed=5).balance + 500


def test_a_manual_correction_updates_the_snapshot_and_records_who_and_why(store, clock):
    with saved(store, "snapshot") as repo:
        edit_balance(store, 500)
        right = expected_after(30, seed=5).balance
        correct_snapshot_by_hand(
            repo,
            "acc-1",
            {"balance": right},
            reason="INC-7: unapproved edit",
            approved_by="Grace",
            clock=clock,
        )
        assert repo.verify("acc-1").ok
        rows = table(repo.conn, "SELECT field, before, after, approved_by FROM corrections")
    assert rows.to_dict("records") == [
        {
            "field": "balance",
            "before": str(right + 500),
            "after": str(right),
            "approved_by": "Grace",
        }
    ]


def test_a_manual_correction_without_an_approver_changes_nothing(store):
    with saved(store, "snapshot") as repo:
        before = repo.load("acc-1").state
        with pytest.raises(ValueError, match="reason and the name"):
            correct_snapshot_by_hand(repo, "acc-1", {"balance": 0}, reason="x", approved_by=" ")
        assert repo.load("acc-1").state == before


def test_a_manual_correction_is_refused_when_the_events_are_authoritative(store):
    with saved(store, "events") as repo, pytest.raises(ValueError, match="rebuild_snapshot"):
        correct_snapshot_by_hand(repo, "acc-1", {"balance": 0}, reason="r", approved_by="a")


def test_only_state_fields_can_be_corrected(store):
    with saved(store, "snapshot") as repo, pytest.raises(ValueError, match="version"):
        correct_snapshot_by_hand(repo, "acc-1", {"version": 1}, reason="r", approved_by="a")

"""The capstone check: it passes a faithful migration with a real rebuild test, and explains
every way a migration or a test can fall short."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpers.domain.state import Status
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.schema_migration import stored_account_ids
from helpers.storage.snapshot_store import SnapshotRepository
from helpers.teaching.exercises.capstone import (
    SABOTAGES,
    SWITCHED_AT,
    make_snapshot_bank,
    month_end,
    opening_history,
    review_capstone,
)
from helpers.teaching.exercises.capstone_bank import bank_differences, carry_over, damaged_copy


def open_hybrid(path):
    return HybridRepository(path, authority="events", snapshot_every=50)


def migrate(old, new, switched_at):
    for account_id in stored_account_ids(old.conn, "accounts"):
        new.save(opening_history(old.load(account_id).state, switched_at))


def thorough_test(old, new):
    for account_id in stored_account_ids(old.conn, "accounts"):
        was, now = old.load(account_id).state, new.load(account_id).state
        assert (was.owner, was.balance, was.overdraft_limit, was.status) == (
            now.owner,
            now.balance,
            now.overdraft_limit,
            now.status,
        )


def balance_only_test(old, new):
    for account_id in stored_account_ids(old.conn, "accounts"):
        assert old.load(account_id).balance == new.load(account_id).balance


def do_nothing(*args):
    return None


def test_a_faithful_migration_with_a_thorough_rebuild_test_passes():
    feedback = review_capstone(open_hybrid, migrate, thorough_test)
    assert feedback.passed, str(feedback)
    assert "all 5 accounts" in str(feedback)


def test_a_plain_event_store_is_an_acceptable_new_store():
    feedback = review_capstone(EventSourcedRepository, migrate, thorough_test)
    assert feedback.passed, str(feedback)


def test_the_untouched_starter_is_told_to_return_a_store():
    feedback = review_capstone(do_nothing, do_nothing, do_nothing)
    assert not feedback.passed
    assert str(feedback).startswith("not done yet:")
    assert "open_new_store returned None" in str(feedback)


def test_keeping_the_snapshot_store_is_refused_with_the_auditors_reason():
    feedback = review_capstone(SnapshotRepository, migrate, thorough_test)
    assert "month-end" in str(feedback) and not feedback.passed


def test_a_hybrid_with_the_snapshot_as_truth_is_refused():
    feedback = review_capstone(
        lambda path: HybridRepository(path, authority="snapshot"), migrate, thorough_test
    )
    assert "authority='events'" in str(feedback)


def test_a_migration_that_does_nothing_is_told_what_to_build():
    feedback = review_capstone(open_hybrid, do_nothing, thorough_test)
    assert "holds no events yet" in str(feedback)


def test_a_migration_that_forgets_the_freeze_is_told_which_account_and_field():
    def no_freeze(old, new, switched_at):
        for account_id in stored_account_ids(old.conn, "accounts"):
            state = old.load(account_id).state
            if state.status is Status.FROZEN:
                state = state._replace(status=Status.OPEN)
            new.save(opening_history(state, switched_at))

    text = str(review_capstone(open_hybrid, no_freeze, thorough_test))
    assert "'acc-cyd': status" in text and "freeze" in text


def test_an_opening_history_dated_before_the_switch_is_called_invented():
    def backdated(old, new, switched_at):
        migrate(old, new, switched_at - timedelta(days=90))

    text = str(review_capstone(open_hybrid, backdated, thorough_test))
    assert "invented" in text


def test_a_migration_that_writes_to_the_old_store_is_refused():
    def touches_old(old, new, switched_at):
        migrate(old, new, switched_at)
        old.conn.execute("UPDATE accounts SET saved_at = 'x'")

    assert "changed the old store" in str(review_capstone(open_hybrid, touches_old, thorough_test))


def test_a_migration_that_crashes_is_reported_with_its_error():
    def crashes(old, new, switched_at):
        raise RuntimeError("boom")

    assert "RuntimeError: boom" in str(review_capstone(open_hybrid, crashes, thorough_test))


def test_a_rebuild_test_that_fails_on_a_correct_migration_is_refused():
    def always_fails(old, new):
        raise AssertionError("nope")

    assert "fails on a correct migration" in str(
        review_capstone(open_hybrid, migrate, always_fails)
    )


def test_a_balance_only_rebuild_test_lets_the_lost_freeze_and_overdraft_survive():
    text = str(review_capstone(open_hybrid, migrate, balance_only_test))
    assert "4 of 6 lossy ones" in text
    assert "drops the freeze" in text and "shrinks the overdraft limit" in text
    assert "loses a cent" not in text


@pytest.mark.parametrize("sabotage", SABOTAGES, ids=lambda s: s.name)
def test_each_sabotage_damages_one_account_of_a_copy_and_leaves_the_original_alone(
    sabotage, tmp_path
):
    make_snapshot_bank(tmp_path / "bank.db").close()
    with (
        SnapshotRepository(tmp_path / "bank.db") as original,
        damaged_copy(tmp_path / "bank.db", tmp_path / "damaged.db", sabotage) as damaged,
    ):
        before = {a: original.load(a).state for a in stored_account_ids(original.conn, "accounts")}
        after = {a: damaged.load(a).state for a in stored_account_ids(damaged.conn, "accounts")}
    changed = {a for a in before if after.get(a) != before[a]}
    assert changed == {sabotage.account_id}


def test_the_reference_migration_carries_every_account_over_without_a_difference(tmp_path):
    with make_snapshot_bank(tmp_path / "old.db") as old, open_hybrid(tmp_path / "new.db") as new:
        assert carry_over(old, new, SWITCHED_AT) == 5
        assert bank_differences(old, new.path) == []


def test_the_bank_covers_overdrawn_frozen_closed_and_unused_accounts(tmp_path):
    with make_snapshot_bank(tmp_path / "old.db") as old:
        states = {a: old.load(a).state for a in stored_account_ids(old.conn, "accounts")}
    assert states["acc-bea"].balance < 0
    assert states["acc-cyd"].status is Status.FROZEN
    assert states["acc-dan"].status is Status.CLOSED
    assert states["acc-eve"].version == 1


def test_after_the_switch_month_ends_replay_and_before_it_there_is_nothing(tmp_path):
    with make_snapshot_bank(tmp_path / "old.db") as old, open_hybrid(tmp_path / "new.db") as new:
        migrate(old, new, SWITCHED_AT)
        carried = old.load("acc-ada").balance
    with open_hybrid(tmp_path / "new.db") as new:
        assert new.load_as_of("acc-ada", month_end(2026, 4)).balance == carried
        with pytest.raises(Exception, match="no account"):
            new.load_as_of("acc-ada", month_end(2026, 3))


def test_month_end_is_the_last_microsecond_of_the_month_including_december():
    assert month_end(2026, 2).isoformat() == "2026-02-28T23:59:59.999999+00:00"
    assert month_end(2026, 12).isoformat() == "2026-12-31T23:59:59.999999+00:00"

"""The rebuild-test check mutation-tests a student's test against sabotaged repositories."""

from __future__ import annotations

from helpers.domain import evolve
from helpers.domain.state import fold
from helpers.samples.workload import build_account, expected_after
from helpers.storage.event_store import EventSourcedRepository
from helpers.teaching.exercises.rebuild_test import (
    SABOTEURS,
    review_rebuild_test,
    rounding_evolve,
    shared_evolve_bug,
)


def thorough_test(open_repository):
    account = build_account("acc-t", 25, seed=3)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        loaded = repo.load("acc-t")
    expected = expected_after(25, seed=3)
    assert (loaded.balance, loaded.version) == (expected.balance, expected.version)


def live_object_test(open_repository):
    account = build_account("acc-t", 25, seed=3)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        loaded = repo.load("acc-t")
    assert loaded.state == account.state


def same_repository_test(open_repository):
    account = build_account("acc-t", 25, seed=3)
    with open_repository() as repo:
        repo.save(account)
        assert repo.load("acc-t").state == account.state


def short_history_test(open_repository):
    account = build_account("acc-t", 5, seed=3)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        assert repo.load("acc-t").state == account.state


def version_only_test(open_repository):
    account = build_account("acc-t", 25, seed=3)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        assert repo.load("acc-t").version == 25


def test_a_thorough_rebuild_test_kills_every_saboteur():
    feedback = review_rebuild_test(thorough_test)
    assert feedback.passed, str(feedback)
    assert str(feedback).startswith("well done:")


def test_a_test_that_asserts_nothing_lets_every_saboteur_survive():
    feedback = review_rebuild_test(lambda open_repository: None)
    assert not feedback.passed
    assert f"every broken repository ({len(SABOTEURS)} of {len(SABOTEURS)})" in str(feedback)


def test_loading_through_the_saving_repository_misses_the_memory_only_store():
    text = str(review_rebuild_test(same_repository_test))
    assert "keeps everything in memory" in text
    assert "drops the last event" not in text


def test_a_history_shorter_than_the_snapshot_interval_misses_snapshot_drift():
    text = str(review_rebuild_test(short_history_test))
    assert "writes drifted snapshots" in text
    assert "longer than 10 events" in text


def test_checking_only_the_version_misses_a_drifted_balance():
    text = str(review_rebuild_test(version_only_test))
    assert "writes drifted snapshots" in text
    assert "drops the last event" not in text


def test_a_test_that_fails_on_a_correct_repository_is_reported_first():
    def wrong_expectation(open_repository):
        account = build_account("acc-t", 25, seed=3)
        with open_repository() as repo:
            repo.save(account)
        with open_repository() as repo:
            assert repo.load("acc-t").balance == -1, "balance should be -1"

    feedback = review_rebuild_test(wrong_expectation)
    assert not feedback.passed
    assert "fails against a correct repository" in str(feedback)
    assert "AssertionError: balance should be -1" in str(feedback)


def test_something_that_is_not_a_function_is_refused():
    assert "pass your test function itself" in str(review_rebuild_test("my test"))


def test_comparing_with_the_live_account_misses_only_the_shared_evolve_bug():
    text = str(review_rebuild_test(live_object_test))
    assert "shares a bug in evolve" in text and "the live account" in text
    assert "drops the last event" not in text and "keeps everything in memory" not in text


def test_the_evolve_saboteur_reaches_the_live_account_fold_and_a_stored_replay(db_path):
    with shared_evolve_bug():
        account = build_account("acc-t", 25, seed=3)
        events = account.pending_events
        with EventSourcedRepository(db_path) as repo:
            repo.save(account)
            loaded = repo.load("acc-t")
        folded = fold(events)
    expected = expected_after(25, seed=3).balance
    assert account.balance == folded.balance == loaded.balance != expected
    assert fold(events).balance == expected  # the real evolve is back


def test_the_real_evolve_is_back_even_when_the_test_raises():
    def raising_test(open_repository):
        raise RuntimeError("the student's test crashed")

    review_rebuild_test(raising_test)
    from helpers.domain import account, state
    from helpers.storage import repository

    assert state.evolve is evolve and account.evolve is evolve and repository.evolve is evolve
    assert rounding_evolve is not evolve

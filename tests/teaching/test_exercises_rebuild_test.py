"""The rebuild-test check mutation-tests a student's test against sabotaged repositories."""

from __future__ import annotations

from helpers.samples.workload import build_account
from helpers.teaching.exercises.rebuild_test import SABOTEURS, review_rebuild_test


def thorough_test(open_repository):
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
    assert f"also on {len(SABOTEURS)} of {len(SABOTEURS)} broken ones" in str(feedback)


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

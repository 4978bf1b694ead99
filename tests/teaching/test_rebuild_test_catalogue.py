"""A catalogue of rebuild tests students really write, and what the check must say about each.

The check mutation-tests a student's test: it must pass on a correct repository and fail on
every sabotaged one. The wrong tests below are the ones students hand in: a test that
compares with the live account (which shares a bug in ``evolve`` with the replay), a test
that compares two stored paths with each other, off-by-one histories, a test that asserts
nothing, a test that never reopens the store. Each must be refused with feedback that names
the mistake. The right tests are written in different styles, and each must be accepted.
"""

from __future__ import annotations

import pytest

from helpers.domain.state import fold
from helpers.samples.workload import build_account, expected_after, generate_commands
from helpers.storage.event_store import EventSourcedRepository
from helpers.teaching.exercises.rebuild_test import review_rebuild_test

# --- right tests --------------------------------------------------------------------------


def worked_solution(open_repository):
    account = build_account("acc-1", 35, seed=1)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        loaded = repo.load("acc-1")
    expected = expected_after(35, seed=1)
    assert (loaded.balance, loaded.version) == (expected.balance, expected.version)


def own_arithmetic(open_repository):
    # The student sums the generated commands by hand instead of calling expected_after.
    account = build_account("acc-9", 42, seed=7)
    balance = 0
    for command in generate_commands(42, seed=7):
        if command.name == "deposit":
            balance += command.args[0]
        elif command.name == "withdraw":
            balance -= command.args[0]
    with open_repository() as repo:
        repo.save(account)
    reopened = open_repository()
    loaded = reopened.load("acc-9")
    reopened.close()
    assert loaded.balance == balance
    assert loaded.version == 42


def independent_answer_and_the_snapshot_path(open_repository):
    account = build_account("acc-2", 25, seed=4)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        loaded = repo.load("acc-2")
        report = repo.last_load
    expected = expected_after(25, seed=4)
    assert report.snapshot_version == 25, report  # one save of 25 events: one snapshot
    assert loaded.state.as_dict()["balance"] == expected.balance
    assert str(loaded.status) == expected.status and loaded.version == 25


def exactly_one_interval(open_repository):
    account = build_account("acc-3", 10, seed=2)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        loaded = repo.load("acc-3")
    assert loaded.balance == expected_after(10, seed=2).balance
    assert loaded.version == 10


RIGHT = [
    worked_solution,
    own_arithmetic,
    independent_answer_and_the_snapshot_path,
    exactly_one_interval,
]

# --- wrong tests --------------------------------------------------------------------------


def asserts_nothing(open_repository):
    pass


def compares_with_the_live_account(open_repository):
    account = build_account("acc-1", 35, seed=1)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        loaded = repo.load("acc-1")
    assert loaded.state == account.state


def compares_the_live_balance_and_version(open_repository):
    account = build_account("acc-1", 35, seed=1)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        loaded = repo.load("acc-1")
    assert (loaded.balance, loaded.version) == (account.balance, account.version)


def compares_the_load_with_a_replay_of_its_history(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        loaded = repo.load("acc-1")
        replayed = fold(repo.history("acc-1"))
    assert loaded.state == replayed


def compares_the_load_with_an_event_store_on_the_same_file(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        loaded = repo.load("acc-1")
        path = repo.path
    with EventSourcedRepository(path) as events_only:
        assert loaded.state == events_only.load("acc-1").state


def only_runs_verify(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        assert repo.verify("acc-1").ok


def compares_two_loads_of_the_same_store(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        latest = repo.load("acc-1")
        same_version = repo.load("acc-1", version=latest.version)
    assert latest.state == same_version.state


def never_reopens(open_repository):
    account = build_account("acc-1", 35, seed=1)
    with open_repository() as repo:
        repo.save(account)
        loaded = repo.load("acc-1")
    assert loaded.balance == expected_after(35, seed=1).balance


def history_shorter_than_a_snapshot_interval(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 7, seed=1))
    with open_repository() as repo:
        loaded = repo.load("acc-1")
    assert loaded.balance == expected_after(7, seed=1).balance
    assert loaded.version == 7


def checks_only_the_version(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        assert repo.load("acc-1").version == 35


def expected_history_one_event_short(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        loaded = repo.load("acc-1")
    assert loaded.balance == expected_after(34, seed=1).balance


def expects_the_version_before_the_last(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        assert repo.load("acc-1").version == 34


def compares_a_state_with_an_expected_object(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        assert repo.load("acc-1").state == expected_after(35, seed=1)


def checks_only_where_the_load_started(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        repo.load("acc-1")
        assert (repo.last_load.snapshot_version, repo.last_load.events_replayed) == (35, 0)


def swallows_its_own_failures(open_repository):
    try:
        with open_repository() as repo:
            repo.save(build_account("acc-1", 35, seed=1))
        with open_repository() as repo:
            assert repo.load("acc-1").balance == expected_after(35, seed=1).balance
    except Exception:
        pass


def returns_the_comparison_instead_of_asserting(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        return repo.load("acc-1").balance == expected_after(35, seed=1).balance


def a_test_sharing_one_account_between_runs():
    account = build_account("acc-1", 35, seed=1)  # built once, outside the test

    def shares_one_account_between_runs(open_repository):
        # After the first save the account has no pending events left to save.
        with open_repository() as repo:
            repo.save(account)
        with open_repository() as repo:
            loaded = repo.load("acc-1")
        assert loaded.balance == expected_after(35, seed=1).balance

    return shares_one_account_between_runs


def prints_instead_of_asserting(open_repository):
    # A student's exact answer: it looks at the numbers, but compares nothing.
    account = build_account("acc-1", 30, seed=1)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        loaded = repo.load("acc-1")
    print(loaded.balance, expected_after(30, seed=1).balance)


def catches_its_failed_assert_and_prints(open_repository):
    # A student's exact answer: the assert is there, and so is the except that hides it.
    account = build_account("acc-1", 30, seed=1)
    with open_repository() as repo:
        repo.save(account)
    with open_repository() as repo:
        loaded = repo.load("acc-1")
    try:
        assert loaded.balance == expected_after(30, seed=1).balance
    except Exception:
        print("the balance differs")


def not_written_yet(open_repository):
    # A student's exact answer: a placeholder that fails on purpose.
    assert False, "not written yet"  # noqa: B011 - exactly as the student wrote it


def compares_only_the_version_with_expected_after(open_repository):
    with open_repository() as repo:
        repo.save(build_account("acc-1", 35, seed=1))
    with open_repository() as repo:
        loaded = repo.load("acc-1")
    assert loaded.version == expected_after(35, seed=1).version


def checks_the_live_account_only(open_repository):
    account = build_account("acc-1", 35, seed=1)
    with open_repository() as repo:
        repo.save(account)
    assert account.balance == expected_after(35, seed=1).balance


# (test, words the feedback must contain)
WRONG = {
    "asserts nothing": (asserts_nothing, ["every broken repository", "assert"]),
    "compares with the live account": (
        compares_with_the_live_account,
        ["bug in evolve", "the live account"],
    ),
    "compares balance and version with the live account": (
        compares_the_live_balance_and_version,
        ["bug in evolve", "the live account"],
    ),
    "compares the load with a fold of its own history": (
        compares_the_load_with_a_replay_of_its_history,
        ["bug in evolve", "stored path"],
    ),
    "compares the hybrid load with an event store on the same file": (
        compares_the_load_with_an_event_store_on_the_same_file,
        ["bug in evolve", "stored path"],
    ),
    "only runs verify": (only_runs_verify, ["drops the last event", "bug in evolve"]),
    "compares two loads of the same store": (
        compares_two_loads_of_the_same_store,
        ["drops the last event", "writes drifted snapshots", "bug in evolve"],
    ),
    "never reopens the store": (never_reopens, ["keeps everything in memory", "open_repository()"]),
    "a history shorter than the snapshot interval": (
        history_shorter_than_a_snapshot_interval,
        ["writes drifted snapshots", "longer than 10 events"],
    ),
    "checks only the version": (checks_only_the_version, ["writes drifted snapshots"]),
    "expects a history one event short": (
        expected_history_one_event_short,
        ["fails against a correct repository", "same number of events"],
    ),
    "expects the version before the last": (
        expects_the_version_before_the_last,
        ["fails against a correct repository", "AssertionError"],
    ),
    "compares a state with the Expected object": (
        compares_a_state_with_an_expected_object,
        ["fails against a correct repository"],
    ),
    "checks only where the load started": (
        checks_only_where_the_load_started,
        ["writes drifted snapshots", "bug in evolve"],
    ),
    "swallows its own failures": (
        swallows_its_own_failures,
        ["catches its own failures", "try/except", "AssertionError"],
    ),
    "prints instead of asserting": (
        prints_instead_of_asserting,
        ["has no assert", "3 of 4", "failed only because the repository raised", "write assert"],
    ),
    "catches its failed assert and prints": (
        catches_its_failed_assert_and_prints,
        ["catches its own failures", "AssertionError", "at the line: assert loaded.balance"],
    ),
    "a placeholder that fails on purpose": (
        not_written_yet,
        ["placeholder", 'assert False, "not written yet"', "starter's comments"],
    ),
    "compares only the version with expected_after": (
        compares_only_the_version_with_expected_after,
        ["writes drifted snapshots", "never compared with expected_after"],
    ),
    "returns the comparison instead of asserting": (
        returns_the_comparison_instead_of_asserting,
        ["returns", "assert"],
    ),
    "shares one account between runs": (
        a_test_sharing_one_account_between_runs(),
        ["second time", "inside the test"],
    ),
    "checks the live account and never loads": (
        checks_the_live_account_only,
        ["drops the last event", "keeps everything in memory"],
    ),
    "is not a function": ("my test", ["pass your test function itself"]),
}


@pytest.mark.parametrize("test", RIGHT, ids=[t.__name__ for t in RIGHT])
def test_a_right_rebuild_test_is_accepted(test):
    feedback = review_rebuild_test(test)
    assert feedback.passed, str(feedback)
    assert str(feedback).startswith("well done:")


# (test, words the feedback must NOT contain: advice about a neighbouring mistake)
NOT_SAID = {
    "prints instead of asserting": ["same evolve computed", "live account"],
    "catches its failed assert and prints": ["asserts nothing", "no assert"],
    "swallows its own failures": ["asserts nothing", "no assert"],
    "a placeholder that fails on purpose": ["same number of events", "same seed"],
    "compares only the version with expected_after": ["same evolve computed"],
}


@pytest.mark.parametrize(("test", "words"), list(WRONG.values()), ids=list(WRONG))
def test_a_wrong_rebuild_test_is_refused_and_the_mistake_named(test, words):
    feedback = review_rebuild_test(test)
    text = str(feedback)
    assert not feedback.passed, text
    assert text.startswith("not done yet:"), text
    for word in words:
        assert word in text, f"{word!r} missing from:\n{text}"


@pytest.mark.parametrize("name", list(NOT_SAID))
def test_the_feedback_does_not_name_a_neighbouring_mistake(name):
    text = str(review_rebuild_test(WRONG[name][0]))
    for word in NOT_SAID[name]:
        assert word not in text, f"{word!r} should not be in:\n{text}"


def test_the_catalogue_is_large_enough():
    assert len(WRONG) >= 15 and len(RIGHT) >= 3

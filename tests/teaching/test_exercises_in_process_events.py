"""The check for "identify one in-process event that should not become a stored event"."""

from __future__ import annotations

import pytest

from helpers.domain.account import LOW_BALANCE_THRESHOLD
from helpers.domain.events import STORED_EVENT_TYPES, AccountOpened, MoneyWithdrawn
from helpers.domain.notifications import LowBalanceWarning
from helpers.teaching.exercises.in_process_events import (
    CLAIMS,
    SCRIPT,
    check,
    recompute_warnings,
    review,
    run_experiment,
    starter_answer,
)

GOOD_REASON = (
    "It can be recomputed by replaying the stored withdrawals against the threshold, it "
    "changes no state of the account, and the audit trail already holds every withdrawal."
)


@pytest.fixture(scope="module")
def evidence():
    return run_experiment()


def good_answer(**changes):
    answer = {"candidate": LowBalanceWarning, **CLAIMS, "because": GOOD_REASON}
    answer.update(changes)
    return answer


def warnings_by_arithmetic() -> int:
    """How many withdrawals in SCRIPT leave less than the threshold, counted without Account."""
    balance, count = 0, 0
    for command, amount, _ in SCRIPT:
        balance += amount if command == "deposit" else -amount
        count += command == "withdraw" and balance < LOW_BALANCE_THRESHOLD
    return count


def test_the_experiment_publishes_warnings_that_are_never_stored(evidence):
    assert len(evidence.published) == warnings_by_arithmetic() > 0
    assert all(isinstance(n, LowBalanceWarning) for n in evidence.published)
    assert not any(isinstance(e, LowBalanceWarning) for e in evidence.stored_events)
    assert len(evidence.stored_events) == len(SCRIPT) + 1


def test_the_account_rebuilt_from_stored_events_matches_the_live_one(evidence):
    assert evidence.rebuilt_state == evidence.live_state


def test_replaying_stored_events_recomputes_exactly_the_published_warnings(evidence):
    assert recompute_warnings(evidence.stored_events) == evidence.published


def test_the_untouched_starter_is_not_done_and_asks_for_a_candidate(evidence):
    feedback = review(starter_answer(), evidence)
    assert not feedback.passed
    assert str(feedback).startswith("not done yet:")
    assert "'candidate' is empty" in str(feedback)


@pytest.mark.parametrize("stored_type", STORED_EVENT_TYPES, ids=lambda t: t.__name__)
def test_a_stored_event_type_is_refused_as_history(stored_type, evidence):
    feedback = review(good_answer(candidate=stored_type), evidence)
    assert not feedback.passed
    assert "one of the stored event types" in str(feedback)


def test_dropping_withdrawals_shows_the_balance_the_rebuild_would_get_wrong(evidence):
    text = str(review(good_answer(candidate=MoneyWithdrawn), evidence))
    assert f"instead of balance {evidence.rebuilt_state.balance} cents" in text


def test_dropping_the_opening_shows_that_replay_fails(evidence):
    text = str(review(good_answer(candidate=AccountOpened), evidence))
    assert "fails with OutOfOrderEvent" in text


def test_a_name_the_account_never_publishes_is_refused(evidence):
    feedback = review(good_answer(candidate="LargeDepositNoticed"), evidence)
    assert not feedback.passed
    assert "never published it" in str(feedback)


def test_the_candidate_may_be_given_as_a_name(evidence):
    assert review(good_answer(candidate="LowBalanceWarning"), evidence).passed


def test_a_typed_name_is_matched_whatever_its_letter_case(evidence):
    assert review(good_answer(candidate=" lowbalancewarning"), evidence).passed
    assert "one of the stored event types" in str(
        review(good_answer(candidate="moneywithdrawn"), evidence)
    )


@pytest.mark.parametrize("claim", CLAIMS)
def test_each_wrong_claim_is_named_with_the_evidence_against_it(claim, evidence):
    feedback = review(good_answer(**{claim: not CLAIMS[claim]}), evidence)
    assert not feedback.passed
    assert f"'{claim}' = {not CLAIMS[claim]}, but the experiment disagrees" in str(feedback)


def test_a_claim_left_as_none_is_named(evidence):
    text = str(review(good_answer(needed_for_audit=None), evidence))
    assert "'needed_for_audit' is still None" in text


def test_a_claim_that_is_not_a_bool_is_refused(evidence):
    text = str(review(good_answer(changes_account_state="no"), evidence))
    assert "should be True or False, not 'no'" in text


def test_a_one_word_explanation_is_too_short(evidence):
    text = str(review(good_answer(because="recomputable"), evidence))
    assert "at least 12 words" in text


def test_an_explanation_that_skips_an_idea_names_the_missing_idea(evidence):
    reason = "It can be recomputed from the balance whenever we like, so we lose nothing at all."
    text = str(review(good_answer(because=reason), evidence))
    assert "does not yet say that it changes no state" in text
    assert "does not yet say that the audit trail" in text
    assert "can be recomputed." not in text


def test_a_complete_answer_passes_with_the_evidence(evidence):
    feedback = review(good_answer(), evidence)
    assert feedback.passed, str(feedback)
    assert str(feedback).startswith("well done:")
    assert "UnknownEventType" in str(feedback)


def test_an_answer_that_is_not_a_dict_is_explained():
    feedback = review(["LowBalanceWarning"])
    assert not feedback.passed
    assert "should be a dict" in str(feedback)


def test_check_prints_the_feedback(capsys):
    check(starter_answer())
    assert capsys.readouterr().out.startswith("not done yet:")

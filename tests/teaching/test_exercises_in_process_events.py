"""The check for "identify one in-process event that should not become a stored event"."""

from __future__ import annotations

import pytest

from helpers.domain.account import LOW_BALANCE_THRESHOLD
from helpers.domain.events import STORED_EVENT_TYPES, AccountOpened, MoneyWithdrawn
from helpers.domain.notifications import LowBalanceWarning
from helpers.teaching.exercises.in_process_events import (
    CLAIMS,
    SCRIPT,
    UNJUDGED,
    check,
    recompute_warnings,
    review,
    run_experiment,
    starter_answer,
)
from helpers.teaching.exercises.in_process_names import DEMOS, read_candidate, what_a_rebuild_loses

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
    deposits = sum(args[1] for args in DEMOS["MoneyWithdrawn"][0] if args[0] == "deposit")
    text = str(review(good_answer(candidate=MoneyWithdrawn), evidence))
    assert f"balance {deposits} cents instead of" in text


def test_dropping_the_opening_shows_that_replay_fails(evidence):
    text = str(review(good_answer(candidate=AccountOpened), evidence))
    assert "fails with OutOfOrderEvent" in text


@pytest.mark.parametrize("stored_type", STORED_EVENT_TYPES, ids=lambda t: t.__name__)
def test_every_stored_type_shows_a_real_difference_when_a_rebuild_goes_without_it(stored_type):
    text = what_a_rebuild_loses(stored_type.__name__)
    assert "fails with" in text or "instead of" in text
    before, _, after = text.partition(" instead of ")
    if after:
        assert before.split()[-1] != after.split()[0].strip("':,"), text


def test_a_name_the_account_never_publishes_is_refused(evidence):
    feedback = review(good_answer(candidate="LargeDepositNoticed"), evidence)
    assert not feedback.passed
    assert "not something the Account published" in str(feedback)


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
    assert "'because' is too short" in text


def test_the_explanation_is_never_judged_by_the_words_it_uses(evidence):
    without_keywords = "Nobody would miss it after a restart, and the bank's records hold all else."
    with_keywords = "recompute state change audit trail history ledger replay derive withdraw"
    first = review(good_answer(because=without_keywords), evidence)
    second = review(good_answer(because=with_keywords), evidence)
    assert first.passed and second.passed
    assert first.not_checked == second.not_checked == [UNJUDGED]


def test_a_complete_answer_passes_with_the_evidence_and_leaves_the_text_to_the_reader(evidence):
    feedback = review(good_answer(), evidence)
    assert feedback.passed, str(feedback)
    assert str(feedback).startswith("checked parts right:")
    assert "UnknownEventType" in str(feedback)
    assert "well done" not in str(feedback)


def test_the_starter_feedback_does_not_name_the_answer(evidence):
    assert "LowBalanceWarning" not in str(review(starter_answer(), evidence))


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (LowBalanceWarning, "LowBalanceWarning"),
        ("low-balance warning", "LowBalanceWarning"),
        ("The low balance warning", "LowBalanceWarning"),
        ("warning", "LowBalanceWarning"),
        ("LowBalanceWarning event", "LowBalanceWarning"),
        ("money withdrawn", "MoneyWithdrawn"),
        ("unfrozen", "AccountUnfrozen"),
    ],
)
def test_a_candidate_in_everyday_words_is_read_as_the_class_it_names(written, read):
    candidate = read_candidate(written, ["LowBalanceWarning"])
    assert (candidate.kind, candidate.name) == ("name", read)


@pytest.mark.parametrize("written", ["TBD", "todo", "???", "the event", "Something"])
def test_a_placeholder_is_recognised(written):
    assert read_candidate(written, ["LowBalanceWarning"]).kind == "placeholder"


def test_a_short_fragment_that_fits_several_names_is_not_guessed():
    assert read_candidate("acc", ["LowBalanceWarning"]).name == "acc"


def test_an_answer_that_is_not_a_dict_is_explained():
    feedback = review(["LowBalanceWarning"])
    assert not feedback.passed
    assert "should be a dict" in str(feedback)


def test_a_function_passed_without_calling_it_is_explained():
    feedback = review(starter_answer)
    assert not feedback.passed
    assert "call it" in str(feedback)


def test_check_prints_the_feedback(capsys):
    check(starter_answer())
    assert capsys.readouterr().out.startswith("not done yet:")

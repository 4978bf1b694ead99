"""A catalogue of student answers to "name an in-process event that should not be stored".

Every wrong answer here is one a student could really give. The check must refuse it, say what
is wrong in words the student can act on, and never name the right candidate while doing so.
Every right answer is written the way a student might write it; the check must accept it and
say plainly that the free-text explanation was not checked. A last group gets the structured
parts right but writes nonsense in ``because``, or text that contradicts its own True/False
claims: code cannot judge that text, so the check must never call it "well done", and must
say plainly that it did not check whether the text agrees with the claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from helpers.domain.events import AccountClosed, MoneyWithdrawn
from helpers.domain.notifications import LowBalanceWarning
from helpers.teaching.exercises.in_process_events import review, run_experiment, starter_answer

RIGHT_CLAIMS = {
    "recomputable_from_stored_events": True,
    "changes_account_state": False,
    "needed_for_audit": False,
}
REASON = (
    "A low-balance warning can be worked out again from the stored withdrawals and the "
    "threshold. It changes neither the balance nor the status, and auditors already see "
    "every withdrawal that caused one."
)


def answer(candidate: Any = LowBalanceWarning, because: Any = REASON, **changes: Any) -> dict:
    return {"candidate": candidate, **RIGHT_CLAIMS, "because": because, **changes}


def my_answer() -> dict:
    """A student's function, as the notebook's starter cell defines it."""
    return answer()


@dataclass(frozen=True)
class Case:
    name: str
    given: Any
    says: list[str] = field(default_factory=list)


WRONG = [
    Case("the untouched starter", starter_answer(), ["'candidate' is empty"]),
    Case("the function instead of its result", my_answer, ["call it", "my_answer()"]),
    Case("a list instead of a dict", ["LowBalanceWarning"], ["a dict", "not list"]),
    Case(
        "a freeze, which a rebuild needs",
        answer("AccountFrozen"),
        ["stored event types", "'open' instead of 'frozen'"],
    ),
    Case(
        "a closing, given as the class",
        answer(AccountClosed),
        ["stored event types", "'open' instead of 'closed'"],
    ),
    Case(
        "an unfreeze",
        answer("AccountUnfrozen"),
        ["stored event types", "'frozen' instead of 'open'"],
    ),
    Case(
        "a withdrawal, the event the warning is derived from",
        answer(MoneyWithdrawn),
        ["stored event types", "balance", "instead of"],
    ),
    Case("the opening", answer("AccountOpened"), ["stored event types", "OutOfOrderEvent"]),
    Case("a stored type typed in lower case", answer("moneydeposited"), ["stored event types"]),
    Case("a placeholder", answer("TBD"), ["placeholder", "'TBD'"]),
    Case("a vague placeholder", answer("some event"), ["placeholder"]),
    Case("a number as the candidate", answer(42), ["the class itself or its name", "int"]),
    Case("an invented event", answer("LargeDepositNoticed"), ["not something the Account"]),
    Case(
        "claiming it cannot be recomputed",
        answer(recomputable_from_stored_events=False),
        ["'recomputable_from_stored_events' = False, but the experiment disagrees", "replaying"],
    ),
    Case(
        "claiming it changes the state",
        answer(changes_account_state=True),
        ["'changes_account_state' = True, but the experiment disagrees", "rebuilt"],
    ),
    Case(
        "claiming auditors need it stored",
        answer(needed_for_audit=True),
        ["'needed_for_audit' = True, but the experiment disagrees", "withdrawals are stored"],
    ),
    Case(
        "every claim flipped",
        answer(
            recomputable_from_stored_events=False,
            changes_account_state=True,
            needed_for_audit=True,
        ),
        ["'recomputable_from_stored_events' = False", "'changes_account_state' = True"],
    ),
    Case(
        "claims as yes/no words",
        answer(
            recomputable_from_stored_events="yes", changes_account_state="no", needed_for_audit="no"
        ),
        ["should be True or False, not 'yes'"],
    ),
    Case(
        "claims as 1 and 0",
        answer(recomputable_from_stored_events=1, changes_account_state=0, needed_for_audit=0),
        ["should be True or False, not 1"],
    ),
    Case(
        "claims left as None",
        answer(changes_account_state=None, needed_for_audit=None),
        ["'changes_account_state' is still None"],
    ),
    Case(
        "a misspelled claim",
        {
            "candidate": LowBalanceWarning,
            "recomputable": True,
            "changes_account_state": False,
            "needed_for_audit": False,
            "because": REASON,
        },
        ["'recomputable' is not one of the answer's keys", "'recomputable_from_stored_events'"],
    ),
    Case("an empty explanation", answer(because=""), ["'because' is empty"]),
    Case("a one-word explanation", answer(because="recomputable"), ["too short"]),
    Case(
        "an explanation as a list",
        answer(because=["recomputable", "no state", "audit has it"]),
        ["'because' should be text"],
    ),
]

RIGHT = [
    Case("the class", answer()),
    Case(
        "the name in everyday words",
        answer(
            "low balance warning",
            because=(
                "We can always derive it by replaying the withdrawals against the limit. "
                "Nothing in the account's state depends on it, and the audit log keeps the "
                "withdrawals themselves."
            ),
        ),
    ),
    Case(
        "one warning the student caught",
        answer(
            LowBalanceWarning(
                account_id="acc-1",
                balance=6_500,
                threshold=10_000,
                occurred_at=datetime(2026, 1, 1, 9, 10, tzinfo=UTC),
            )
        ),
    ),
    Case("the name with an article and odd spacing", answer("  the LowBalanceWarning ")),
]

UNJUDGED_TEXT = [
    Case(
        "word salad",
        answer(
            because="recompute state change audit trail history record ledger replay derive "
            "withdraw calculate"
        ),
    ),
    Case(
        "an explanation that contradicts the claims",
        answer(
            because="It cannot be recomputed and it changes the state of the account, so the "
            "audit trail needs every warning stored."
        ),
    ),
    Case(
        "a student's explanation that contradicts their own claims",
        answer(
            because="It should be stored because auditors need proof of every warning. It "
            "changes the state of the account."
        ),
        ["whether it agrees with your True/False claims, is not checked"],
    ),
    Case(
        "the right answer for the wrong reason",
        answer(
            because="Warnings happen far too often, so storing them would make the table too "
            "big and SQLite too slow for the bank."
        ),
    ),
]


UNJUDGED_LINE = (
    "- your explanation in 'because', and whether it agrees with your True/False claims, "
    "is not checked: compare it with the worked solution"
)
"""01 has a worked solution for this exercise, so comparing with it is honest advice."""


@pytest.fixture(scope="module")
def evidence():
    return run_experiment()


@pytest.mark.parametrize("case", WRONG, ids=lambda case: case.name)
def test_a_wrong_answer_is_refused_with_the_mistake_named(case, evidence):
    feedback = review(case.given, evidence)
    text = str(feedback)
    assert not feedback.passed, text
    assert text.startswith("not done yet:"), text
    for words in case.says:
        assert words in text, text


@pytest.mark.parametrize(
    "case",
    [case for case in WRONG if not str(case.given).count("LowBalanceWarning")],
    ids=lambda case: case.name,
)
def test_feedback_on_a_wrong_candidate_never_names_the_right_one(case, evidence):
    assert "LowBalanceWarning" not in str(review(case.given, evidence))


@pytest.mark.parametrize("case", RIGHT, ids=lambda case: case.name)
def test_a_right_answer_in_own_words_is_accepted_and_its_text_left_to_the_reader(case, evidence):
    feedback = review(case.given, evidence)
    text = str(feedback)
    assert feedback.passed, text
    assert text.startswith("checked parts right:"), text
    assert "LowBalanceWarning is published in process and never stored" in text
    assert UNJUDGED_LINE in text


@pytest.mark.parametrize("case", UNJUDGED_TEXT, ids=lambda case: case.name)
def test_text_the_check_cannot_judge_is_never_praised(case, evidence):
    text = str(review(case.given, evidence))
    assert text.startswith("checked parts right:"), text
    assert "well done" not in text
    for words in case.says:
        assert words in text, text
    assert UNJUDGED_LINE in text


def test_the_catalogue_is_large_enough():
    assert len(WRONG) >= 15 and len(RIGHT) >= 3

"""07, exercise 4: a truncation plan is judged on its decisions; its prose is not judged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpers.teaching.exercises.truncation_plan import TruncationPlan, review_truncation_plan

REPLAYABLE = TruncationPlan(
    verify_first=True,
    archive="a monthly Parquet file per account in the ledger-archive bucket",
    archive_replayable=True,
    keep_for="10 years, the record-keeping rule for ledgers",
    events_still_authoritative=True,
    reason="Load replays only the recent tail, and a full rebuild reads the archive first.",
)
COLD = TruncationPlan(
    verify_first=True,
    archive="compressed JSON lines on tape, kept by the records office",
    archive_replayable=False,
    keep_for="forever",
    events_still_authoritative=False,
    reason="The tape is for auditors only, so the snapshot is the truth from now on.",
)
WORD_SALAD = replace(REPLAYABLE, reason="snapshot events authority verify archive replay truth")

WRONG = [
    ("no verify first", replace(REPLAYABLE, verify_first=False), ("verify_first is False",)),
    ("verify as text", replace(REPLAYABLE, verify_first="yes"), ("True or False",)),
    ("no archive", replace(REPLAYABLE, archive=""), ("name where the deleted events go",)),
    ("a placeholder archive", replace(REPLAYABLE, archive="TBD"), ("archive is 'TBD'",)),
    ("somewhere", replace(REPLAYABLE, archive="somewhere"), ("archive is 'somewhere'",)),
    ("no period", replace(REPLAYABLE, keep_for="as long as needed"), ("with a number",)),
    (
        "the truth kept without a replayable archive",
        replace(REPLAYABLE, archive_replayable=False),
        ("the snapshot has become the truth",),
    ),
    ("authority left open", replace(COLD, events_still_authoritative=None), ("True or False",)),
    ("replayability left open", replace(COLD, archive_replayable=None), ("True or False",)),
    ("a one-word reason", replace(REPLAYABLE, reason="audit"), ("at least 6 words",)),
    ("a dict instead of a plan", {"verify_first": True}, ("TruncationPlan",)),
    ("the untouched starter", TruncationPlan(), ("True or False", "archive is ''")),
    (
        "a reason of placeholders",
        replace(REPLAYABLE, reason="TODO TODO TODO TODO TODO TODO"),
        ("reason still holds a placeholder",),
    ),
    (
        "a reason repeating one word",
        replace(REPLAYABLE, reason="archive archive archive archive archive archive"),
        ("at least 6 words",),
    ),
    ("an archive that keeps nothing", replace(REPLAYABLE, archive="/dev/null"), ("keeps nothing",)),
    (
        "an archive kept for ten days",
        replace(REPLAYABLE, keep_for="10 days"),
        ("less than a year", "only copy"),
    ),
    (
        "an archive kept for six months",
        replace(COLD, keep_for="6 months, then deleted"),
        ("less than a year",),
    ),
]


@pytest.mark.parametrize(("plan", "says"), [c[1:] for c in WRONG], ids=[c[0] for c in WRONG])
def test_a_wrong_plan_is_refused_with_the_decision_it_gets_wrong(plan, says):
    feedback = review_truncation_plan(plan)
    text = str(feedback)
    assert not feedback.passed and text.startswith("not done yet:"), text
    for words in says:
        assert words in text, f"{words!r} missing from:\n{text}"


@pytest.mark.parametrize("plan", [REPLAYABLE, COLD], ids=["replayable archive", "cold archive"])
def test_a_coherent_plan_passes_its_decisions_and_says_the_prose_was_not_checked(plan):
    feedback = review_truncation_plan(plan)
    text = str(feedback)
    assert feedback.passed, text
    assert text.startswith("checked parts right:") and "well done" not in text
    assert "your reason (including whether it agrees with your yes/no answers) is not checked" in (
        text
    )


@pytest.mark.parametrize("keep_for", ["7 years", "84 months", "3,650 days", "forever"])
def test_a_period_of_a_year_or_more_is_accepted(keep_for):
    assert review_truncation_plan(replace(REPLAYABLE, keep_for=keep_for)).passed


def test_a_reason_contradicting_the_answers_is_not_claimed_as_judged():
    # A student's answer: the yes/no answers keep the events the truth; the reason says not.
    plan = replace(
        REPLAYABLE,
        reason="After truncation the snapshot is the truth and nobody replays the archive.",
    )
    text = str(review_truncation_plan(plan))
    assert text.startswith("checked parts right:"), text
    assert "your reason (including whether it agrees with your yes/no answers) is not checked" in (
        text
    )


def test_word_salad_in_the_reason_is_never_praised_as_understood():
    text = str(review_truncation_plan(WORD_SALAD))
    assert "well done" not in text
    assert "your reason (including whether it agrees with your yes/no answers) is not checked" in (
        text
    )


def test_the_catalogue_holds_at_least_eight_wrong_and_two_right_answers():
    assert len(WRONG) >= 8

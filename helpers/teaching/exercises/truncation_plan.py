"""Exercise check (07): what must be true before a store deletes the events a snapshot covers.

The student fills in a :class:`TruncationPlan`. Its yes/no fields carry the decisions a
reviewer can hold them to: verify every account first, and say whether a rebuild can still
read the archived events. Those the check judges, together with whether the answers agree
with each other (events cannot stay the truth if nobody can replay them). Where the archive
lives, how long it is kept and why are the student's words: the check only refuses blanks and
placeholders there, and says plainly that it did not judge them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpers.teaching.exercises.feedback import Feedback

PLACEHOLDERS = {
    "",
    "-",
    "?",
    "...",
    "n/a",
    "none",
    "nowhere",
    "somewhere",
    "someone",
    "tbd",
    "todo",
    "the archive",
    "an archive",
    "archive",
}
FOREVER = re.compile(r"\b(forever|indefinitely|permanently|never deleted)\b", re.IGNORECASE)
MIN_REASON_WORDS = 6


@dataclass
class TruncationPlan:
    """A plan for deleting the events that snapshots cover, as a reviewer would ask for it."""

    verify_first: bool | None = None
    """Run verify on every account, and stop on any difference, before deleting anything?"""
    archive: str = ""
    """Where the deleted events go (a file, a bucket, a table), or '' for nowhere."""
    archive_replayable: bool | None = None
    """Can a rebuild still read the archived events (with their upcasters kept)?"""
    keep_for: str = ""
    """How long the archive is kept, and which requirement says so (a number, or 'forever')."""
    events_still_authoritative: bool | None = None
    """Afterwards, are the events still the truth for a rebuild?"""
    reason: str = ""
    """Why, in a few sentences of your own."""


def review_truncation_plan(plan: object) -> Feedback:
    """Judge the decisions and their consistency; refuse blanks; say what was not judged."""
    if not isinstance(plan, TruncationPlan):
        return Feedback(
            False,
            [f"the answer should be a TruncationPlan(...), not {type(plan).__name__}."],
        )
    problems = [*_type_problems(plan), *_text_problems(plan)]
    if not problems:
        problems = _decision_problems(plan)
    if problems:
        return Feedback(False, problems)
    authority = (
        "the events stay the truth, because a rebuild can still replay all of them"
        if plan.events_still_authoritative
        else "the snapshot becomes the truth for the deleted part, and you say so"
    )
    return Feedback(
        True,
        [
            "every account is verified before anything is deleted, so a snapshot carrying a "
            "bug (Alan's lost cent) is caught while the events can still repair it;",
            f"the archive and the authority agree: {authority}.",
        ],
        not_checked=[
            "where your archive lives",
            "how long you keep it",
            "your reason",
        ],
    )


def check_truncation_plan(plan: object) -> None:
    """Print the feedback (what the notebook's check cell calls)."""
    print(review_truncation_plan(plan))


def _type_problems(plan: TruncationPlan) -> list[str]:
    return [
        f"{name} should be True or False, not {value!r}."
        for name, value in (
            ("verify_first", plan.verify_first),
            ("archive_replayable", plan.archive_replayable),
            ("events_still_authoritative", plan.events_still_authoritative),
        )
        if not isinstance(value, bool)
    ]


def _is_blank(text: object) -> bool:
    return not isinstance(text, str) or text.strip().lower().rstrip(".") in PLACEHOLDERS


def _text_problems(plan: TruncationPlan) -> list[str]:
    problems = []
    if _is_blank(plan.archive):
        problems.append(
            f"archive is {plan.archive!r}: name where the deleted events go (a file, a bucket, "
            "a table). With no archive, truncation destroys the audit trail for good."
        )
    if _is_blank(plan.keep_for) or not (
        re.search(r"\d", plan.keep_for) or FOREVER.search(plan.keep_for)
    ):
        problems.append(
            f"keep_for is {plan.keep_for!r}: give a period with a number (e.g. '10 years, "
            "the record-keeping rule for ledgers'), or say 'forever'."
        )
    if _is_blank(plan.reason) or len(plan.reason.split()) < MIN_REASON_WORDS:
        problems.append(
            f"reason needs a sentence or two (at least {MIN_REASON_WORDS} words) in your own words."
        )
    return problems


def _decision_problems(plan: TruncationPlan) -> list[str]:
    problems = []
    if not plan.verify_first:
        problems.append(
            "verify_first is False: without a verify of every account first, a snapshot that "
            "disagrees with its events (like Alan's, a cent short) becomes the only truth, "
            "and nobody can ever find the difference again."
        )
    if plan.events_still_authoritative and not plan.archive_replayable:
        problems.append(
            "you keep the events as the truth, but a rebuild cannot read the archived ones: "
            "then no rebuild can reach the current state from events alone, and the snapshot "
            "has become the truth. Either keep the archive replayable, or say that the "
            "authority moves (events_still_authoritative=False)."
        )
    return problems

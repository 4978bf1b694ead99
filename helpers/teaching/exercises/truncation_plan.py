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
MIN_DISTINCT_WORDS = 4
"""A reason of six words that repeats one or two of them is a placeholder, not a sentence."""

PLACEHOLDER_PHRASE = re.compile(
    r"\b(tbd|todo|fixme|xxx+|lorem ipsum|to be (decided|determined|confirmed|defined)|"
    r"fill (this )?in)\b",
    re.IGNORECASE,
)
"""Marks of an answer not written yet, wherever they appear in a text field."""

DISCARDS = re.compile(r"(/dev/null|\bnul+\b|\btrash\b|\brecycle bin\b)", re.IGNORECASE)
"""Archives that keep nothing: writing the events there is deleting them."""

PERIOD = re.compile(r"(\d[\d,.]*)\s*(day|week|month|year|yr)s?\b", re.IGNORECASE)
DAYS_PER_UNIT = {"day": 1, "week": 7, "month": 30, "year": 365, "yr": 365}
MIN_KEEP_DAYS = 365
"""Record-keeping rules for a ledger ask for years: a shorter archive is gone before the audit."""


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
            "which requirement sets how long you keep it",
            "your reason (including whether it agrees with your yes/no answers)",
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
    return (
        not isinstance(text, str)
        or text.strip().lower().rstrip(".") in PLACEHOLDERS
        or PLACEHOLDER_PHRASE.search(text) is not None
    )


def _text_problems(plan: TruncationPlan) -> list[str]:
    problems = []
    if _is_blank(plan.archive):
        problems.append(
            f"archive is {plan.archive!r}: name where the deleted events go (a file, a bucket, "
            "a table). With no archive, truncation destroys the audit trail for good."
        )
    elif DISCARDS.search(plan.archive):
        problems.append(
            f"archive is {plan.archive!r}, which keeps nothing: writing the events there is "
            "deleting them. Name a place that keeps them (a file, a bucket, a table)."
        )
    problems += _keep_for_problems(plan.keep_for)
    if isinstance(plan.reason, str) and plan.reason.strip() and _is_blank(plan.reason):
        problems.append(
            f"reason still holds a placeholder ({plan.reason!r}): write a sentence or two "
            "in your own words."
        )
    elif (
        not isinstance(plan.reason, str)
        or len(plan.reason.split()) < MIN_REASON_WORDS
        or len({word.lower() for word in plan.reason.split()}) < MIN_DISTINCT_WORDS
    ):
        problems.append(
            f"reason needs a sentence or two (at least {MIN_REASON_WORDS} words) in your own words."
        )
    return problems


def _keep_for_problems(keep_for: object) -> list[str]:
    if _is_blank(keep_for) or not (re.search(r"\d", keep_for) or FOREVER.search(keep_for)):
        return [
            f"keep_for is {keep_for!r}: give a period with a number (e.g. '10 years, "
            "the record-keeping rule for ledgers'), or say 'forever'."
        ]
    days = [
        float(number.replace(",", "")) * DAYS_PER_UNIT[unit.lower()]
        for number, unit in PERIOD.findall(keep_for)
        if number.replace(",", "").replace(".", "", 1).isdigit()
    ]
    if days and not FOREVER.search(keep_for) and max(days) < MIN_KEEP_DAYS:
        return [
            f"keep_for is {keep_for!r}, less than a year. Once the events are truncated, the "
            "archive is their only copy, and record-keeping rules for a ledger ask for "
            "years: an archive gone in days cannot answer the next audit."
        ]
    return []


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

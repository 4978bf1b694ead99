"""A catalogue of decision records students really write, and what the reviewer must say.

Each wrong record below is one a student could hand in: a field of the wrong type, a
placeholder where a person or team is asked for, two fields that contradict each other. The
check must refuse every one of them ("not done yet") with feedback that names the mistake.
Each right record is written in its own words, and the check must accept it - but it can
never say "well done", because it does not judge the reasons written in prose.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpers.teaching.exercises.decision_record import (
    DecisionRecord,
    review_decision,
    starter_record,
)

LEDGER = DecisionRecord(
    aggregate="ledger Account",
    strategy="both",
    authoritative="events",
    history_required=True,
    history_reason="financial regulation requires every money movement to be kept for years",
    replay_cost="about 3,000 events a year per account; a snapshot every 100 keeps loads short",
    drift_owner="the ledger team's on-call engineer",
    on_disagreement="the events win: run verify, then rebuild the snapshot, and file an incident",
)

SNAPSHOTS_ONLY = DecisionRecord(
    aggregate="customer Preferences",
    strategy="snapshots",
    history_required=False,
    history_reason="nobody ever asks what a setting used to be, only what it is now",
    replay_cost="nothing is replayed at all: a load reads one small row",
    drift_owner="the profile team fixes a wrong row; with one artifact nothing can drift",
)


def make_decision() -> DecisionRecord:
    return LEDGER


RIGHT = {
    "the ledger, events authoritative": LEDGER,
    "snapshots only, in other words": SNAPSHOTS_ONLY,
    "a support ticket, spelt 'event sourcing'": DecisionRecord(
        aggregate="support Ticket",
        strategy="Event sourcing",
        history_required=True,
        history_reason="Support managers review how each ticket was escalated and by whom.",
        replay_cost="A ticket collects 5 to 40 events in its life, so a replay is instant.",
        drift_owner="no second artifact, so nothing can drift; the helpdesk team fixes bad data",
    ),
    "a patient record, 'Hybrid' with the snapshot authoritative": DecisionRecord(
        aggregate="patient Record",
        strategy="Hybrid",
        authoritative="the snapshot",
        history_required=True,
        history_reason="Clinicians and auditors must see who changed an allergy and when.",
        replay_cost="About 200 events per patient per year; we never replay to load.",
        drift_owner="Dr. Amara Osei, the clinical data steward",
        on_disagreement="The record row wins; a second clinician reviews the audit log "
        "and any correction is signed and kept.",
    ),
}

# (record, words the feedback must contain)
WRONG = {
    "the untouched starter": (starter_record(), ["'aggregate' is empty", "'strategy'"]),
    "history required written as the text 'yes'": (
        replace(SNAPSHOTS_ONLY, history_required="yes"),
        ["'history_required' must be True or False", "'yes'"],
    ),
    "history required written as the text 'no' (which Python counts as true)": (
        replace(LEDGER, history_required="no"),
        ["'history_required' must be True or False", "'no'"],
    ),
    "history required written as 1": (
        replace(LEDGER, history_required=1),
        ["'history_required' must be True or False", "1"],
    ),
    "the strategy given as a list": (
        replace(LEDGER, strategy=["both"]),
        ["'strategy' must be text", "list"],
    ),
    "the replay cost given as a bare number": (
        replace(LEDGER, replay_cost=3000),
        ["'replay_cost' must be text", "int"],
    ),
    "the aggregate left as a placeholder": (
        replace(LEDGER, aggregate="my aggregate"),
        ["'aggregate'", "placeholder"],
    ),
    "the drift owner is 'the team'": (
        replace(LEDGER, drift_owner="the team"),
        ["'drift_owner'", "'the team'", "name"],
    ),
    "the drift owner is 'someone on call'": (
        replace(LEDGER, drift_owner="someone on call"),
        ["'drift_owner'", "'someone on call'", "name"],
    ),
    "the drift owner is 'to be decided'": (
        replace(LEDGER, drift_owner="to be decided"),
        ["'drift_owner'", "placeholder"],
    ),
    "both stored, yet nobody debugs drift": (
        replace(LEDGER, drift_owner="nobody: one artifact cannot drift"),
        ["'drift_owner'", "two artifacts", "can drift"],
    ),
    "a placeholder sentence as the history reason": (
        replace(LEDGER, history_reason="to be decided later by the team"),
        ["'history_reason'", "placeholder"],
    ),
    "the same sentence pasted into every answer": (
        replace(
            LEDGER,
            history_reason="we keep about 100 events per account for the auditors",
            replay_cost="we keep about 100 events per account for the auditors",
            on_disagreement="we keep about 100 events per account for the auditors",
        ),
        ["the same text", "'history_reason'", "'replay_cost'"],
    ),
    "snapshots only, but 'the events' are authoritative": (
        replace(SNAPSHOTS_ONLY, authoritative="the events"),
        ["'authoritative'", "only the snapshot is stored"],
    ),
    "snapshots only, but 'events' are authoritative": (
        replace(SNAPSHOTS_ONLY, authoritative="events"),
        ["'authoritative'", "only the snapshot is stored"],
    ),
    "events only, but the snapshot is authoritative": (
        replace(LEDGER, strategy="events", authoritative="snapshot"),
        ["'authoritative'", "only the events are stored"],
    ),
    "both stored, and 'both' named as the authority": (
        replace(LEDGER, authoritative="both"),
        ["'authoritative' must say which one a rebuild trusts"],
    ),
    "history required, snapshots only, no audit log": (
        replace(LEDGER, strategy="snapshots", authoritative="", on_disagreement=""),
        ["history is required but store only snapshots"],
    ),
    "events stored although no history is required": (
        replace(LEDGER, strategy="events", authoritative="", history_required=False),
        ["start with snapshots unless replayable history"],
    ),
    "events stored, replay cost without a number": (
        replace(LEDGER, replay_cost="replay is cheap enough for our accounts today"),
        ["'replay_cost' has no number"],
    ),
    "history required left unanswered": (
        replace(LEDGER, history_required=None),
        ["'history_required' is not answered"],
    ),
    "the function passed instead of its record": (
        make_decision,
        ["call it", "make_decision()"],
    ),
    "a dict instead of a record": (
        {"strategy": "both", "authoritative": "events"},
        ["DecisionRecord", "starter_record()"],
    ),
}


@pytest.mark.parametrize("record", list(RIGHT.values()), ids=list(RIGHT))
def test_a_right_record_passes_but_its_reasons_are_declared_unchecked(record):
    feedback = review_decision(record)
    text = str(feedback)
    assert feedback.passed, text
    assert text.startswith("checked parts right:"), text
    assert "is not checked: compare it with the worked solution" in text
    assert "well done" not in text


@pytest.mark.parametrize(("record", "words"), list(WRONG.values()), ids=list(WRONG))
def test_a_wrong_record_is_refused_and_the_mistake_named(record, words):
    feedback = review_decision(record)
    text = str(feedback)
    assert not feedback.passed, text
    assert text.startswith("not done yet:"), text
    for word in words:
        assert word in text, f"{word!r} missing from:\n{text}"


@pytest.mark.parametrize(
    "changes",
    [
        {"history_reason": "purple elephants negotiate quarterly with seven bicycles"},
        {"history_reason": "we already raise these events in process, so storing them is free"},
        {"on_disagreement": "the snapshot wins and we rebuild it from the events every night"},
    ],
    ids=["word salad", "right strategy for the wrong reason", "prose against the authority"],
)
def test_prose_the_check_cannot_judge_is_never_praised(changes):
    feedback = review_decision(replace(LEDGER, **changes))
    text = str(feedback)
    assert "well done" not in text
    assert "is not checked" in text


def test_the_catalogue_is_large_enough():
    assert len(WRONG) >= 15 and len(RIGHT) >= 3

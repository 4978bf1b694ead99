"""A catalogue of decision records students really write, and what the reviewer must say.

Each wrong record below is one a student could hand in: a field of the wrong type, a
placeholder where a person or team is asked for, two structured answers that contradict each
other, the pack's own example copied. The check must refuse every one of them ("not done
yet") with feedback that names the mistake - the mistake made, not a neighbouring one.
Each right record is written in its own words, and the check must accept it - but it can
never say "well done", because it does not judge the reasons written in prose. Prose that
contradicts a structured answer is beyond it too: it must say so, and that a person (not a
worked solution) has to review it.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpers.teaching.exercises.decision_record import (
    DecisionRecord,
    review_decision,
    review_own_decision,
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
    "both stored, and the drift owner is 'nobody'": (
        replace(LEDGER, drift_owner="nobody"),
        ["'drift_owner' is 'nobody'", "two artifacts can drift"],
    ),
    "both stored, and the drift owner is '...'": (
        replace(LEDGER, drift_owner="..."),
        ["'drift_owner' is a placeholder ('...')"],
    ),
    "snapshots only, the drift owner 'nobody' and nothing said about drift": (
        replace(SNAPSHOTS_ONLY, drift_owner="nobody"),
        ["'drift_owner' is 'nobody'", "even with one artifact"],
    ),
    "snapshots only, the drift owner left as 'TODO'": (
        replace(SNAPSHOTS_ONLY, drift_owner="TODO"),
        ["'drift_owner' is a placeholder ('TODO')"],
    ),
    "the aggregate left as 'TODO'": (
        replace(LEDGER, aggregate="TODO"),
        ["'aggregate' is 'TODO', a placeholder"],
    ),
    "the history reason left as a row of TODOs": (
        replace(LEDGER, history_reason="TODO TODO TODO TODO TODO TODO"),
        ["'history_reason' still holds a placeholder"],
    ),
    "the pack's ledger example copied word for word": (
        DecisionRecord(
            aggregate="ledger Account",
            strategy="both",
            authoritative="events",
            history_required=True,
            history_reason="financial record-keeping rules require every money movement to be kept",
            replay_cost="a few thousand events a year per account; a snapshot every 100 events "
            "keeps each load under 100 replayed events",
            drift_owner="the ledger team's on-call engineer",
            on_disagreement="the events win: run verify, rebuild the snapshot, keep the report "
            "with the incident, and fix the cause",
        ),
        ["copied word for word", "the ledger example in 04_hybrid_designs.ipynb", "your own"],
    ),
    "the worked solution's reasons under another aggregate's name": (
        DecisionRecord(
            aggregate="library Loan",
            strategy="both",
            authoritative="snapshot",
            history_required=True,
            history_reason="Support staff must see when an order changed status to answer "
            "customers, and e-mails are sent from the status changes.",
            replay_cost="About 15 events per loan; we never replay a loan to load it.",
            drift_owner="the circulation desk's systems librarian",
            on_disagreement="The loan row wins; the librarian reads the events and corrects "
            "the row with a recorded reason.",
        ),
        ["'history_reason' is copied word for word", "the worked solution"],
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
    feedback = review_own_decision(record)
    text = str(feedback)
    assert feedback.passed, text
    assert text.startswith("checked parts right:"), text
    assert "is not checked: ask a colleague to review it" in text
    assert "worked solution" not in text  # there is none for a student's own aggregate
    assert "well done" not in text


@pytest.mark.parametrize(("record", "words"), list(WRONG.values()), ids=list(WRONG))
def test_a_wrong_record_is_refused_and_the_mistake_named(record, words):
    feedback = review_own_decision(record)
    text = str(feedback)
    assert not feedback.passed, text
    assert text.startswith("not done yet:"), text
    for word in words:
        assert word in text, f"{word!r} missing from:\n{text}"


def test_an_empty_owner_is_called_empty_and_a_placeholder_is_called_a_placeholder():
    empty = str(review_own_decision(replace(LEDGER, drift_owner="")))
    placeholder = str(review_own_decision(replace(LEDGER, drift_owner="TODO")))
    assert "'drift_owner' is empty" in empty
    assert "'drift_owner' is a placeholder ('TODO')" in placeholder
    assert "is empty" not in placeholder


def test_the_pack_may_review_its_own_example_without_being_told_it_copied():
    example = WRONG["the pack's ledger example copied word for word"][0]
    assert review_decision(example).passed
    assert "copied" not in str(review_decision(example))


# (changes to a right record, words the feedback must contain): the prose is wrong, or
# contradicts a structured answer, and code cannot read prose - so the check must not praise
# it, and must say plainly what it did not judge.
UNJUDGED_PROSE = {
    "word salad": (
        replace(LEDGER, history_reason="purple elephants negotiate quarterly with seven bicycles"),
        ["whether the reasons in 'history_reason'"],
    ),
    "right strategy for the wrong reason": (
        replace(
            LEDGER,
            history_reason="we already raise these events in process, so storing them is free",
        ),
        ["whether the reasons in 'history_reason'"],
    ),
    "prose against the authority": (
        replace(
            LEDGER,
            on_disagreement="the snapshot wins and we rebuild it from the events every night",
        ),
        ["whether 'on_disagreement' lets the events win, as your authority says"],
    ),
    "a replay cost with no estimate": (
        replace(LEDGER, replay_cost="replay is cheap enough for our accounts today"),
        ["whether 'replay_cost' gives an estimate"],
    ),
    "an estimate in words (a student's answer)": (
        replace(
            LEDGER,
            replay_cost="a ticket collects perhaps thirty events, and we never replay to load it",
        ),
        ["whether 'replay_cost' gives an estimate"],
    ),
    "a few dozen in words (a student's answer)": (
        replace(LEDGER, replay_cost="a few dozen events per ticket, negligible to replay on load"),
        ["whether 'replay_cost' gives an estimate"],
    ),
    "a digit that is no estimate (a student's answer)": (
        replace(LEDGER, replay_cost="version 2 of our app has cheap replay, trust me"),
        ["whether 'replay_cost' gives an estimate"],
    ),
    "events authoritative, but the prose lets the snapshot win (a student's answer)": (
        replace(
            LEDGER,
            on_disagreement="the snapshot row wins; the events are only a log so we ignore them "
            "when they disagree",
        ),
        [
            "agree with strategy 'both', authority 'events' and history_required=True",
            "whether 'on_disagreement' lets the events win",
        ],
    ),
    "no history required, but the prose cites a law (a student's answer)": (
        replace(
            SNAPSHOTS_ONLY,
            history_reason="the law requires us to keep every change for seven years",
        ),
        ["agree with strategy 'snapshots' and history_required=False"],
    ),
}


@pytest.mark.parametrize(
    ("record", "words"), list(UNJUDGED_PROSE.values()), ids=list(UNJUDGED_PROSE)
)
def test_prose_the_check_cannot_judge_is_never_praised(record, words):
    feedback = review_own_decision(record)
    text = str(feedback)
    assert text.startswith("checked parts right:"), text
    assert "well done" not in text
    for word in words:
        assert word in text, f"{word!r} missing from:\n{text}"
    assert text.count("is not checked: ask a colleague to review it") == len(feedback.not_checked)


def test_the_catalogue_is_large_enough():
    assert len(WRONG) >= 15 and len(RIGHT) >= 3

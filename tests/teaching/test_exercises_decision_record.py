"""The decision-record check: specific feedback for each missing or contradictory answer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpers.teaching.exercises.decision_record import (
    DECISIONS_FOLDER,
    DecisionRecord,
    decision_path,
    review_decision,
    review_markdown,
    starter_record,
)

COMPLETE = DecisionRecord(
    aggregate="ledger Account",
    strategy="both",
    authoritative="events",
    history_required=True,
    history_reason="financial regulation requires every money movement to be kept for years",
    replay_cost="about 3,000 events a year per account; snapshots every 100 keep loads short",
    drift_owner="the ledger team's on-call engineer",
    on_disagreement="the events win: run verify, then rebuild_snapshot, and file an incident",
)


def feedback_text(record) -> str:
    return str(review_decision(record))


def test_a_complete_hybrid_record_passes_and_names_the_authority():
    feedback = review_decision(COMPLETE)
    assert feedback.passed
    assert "'events'" in str(feedback)
    assert "is not checked" in str(feedback)


def test_the_untouched_starter_is_not_done_and_lists_each_empty_answer():
    feedback = review_decision(starter_record())
    assert not feedback.passed
    text = str(feedback)
    assert text.startswith("not done yet:")
    for name in ("aggregate", "strategy", "history_required", "replay_cost", "drift_owner"):
        assert f"'{name}'" in text


def test_storing_both_without_an_authority_asks_which_one_wins():
    text = feedback_text(replace(COMPLETE, authoritative=""))
    assert "'authoritative' must say which one a rebuild trusts" in text


def test_requiring_history_but_storing_only_snapshots_is_a_contradiction():
    record = replace(COMPLETE, strategy="snapshots", authoritative="")
    assert "history is required but store only snapshots" in feedback_text(record)


def test_storing_events_without_needing_history_asks_for_a_justification():
    record = replace(COMPLETE, strategy="events", authoritative="", history_required=False)
    assert "start with snapshots unless replayable history" in feedback_text(record)


def test_whether_the_replay_cost_gives_an_estimate_is_left_to_a_person():
    # Digits are no estimate ("version 2") and words can be one ("thirty"): code cannot tell.
    record = replace(COMPLETE, replay_cost="replay is cheap enough for our accounts today")
    feedback = review_decision(record)
    assert feedback.passed
    assert "whether 'replay_cost' gives an estimate" in str(feedback)


def test_storing_both_needs_a_drift_owner_and_a_plan_for_disagreement():
    text = feedback_text(replace(COMPLETE, drift_owner="", on_disagreement="..."))
    assert "'drift_owner' is empty" in text
    assert "'on_disagreement' still holds a placeholder ('...')" in text


def test_a_single_artifact_cannot_name_the_other_one_as_authority():
    record = replace(COMPLETE, strategy="snapshots", authoritative="events", history_required=False)
    assert "the stored artifact is the authority by definition" in feedback_text(record)


def test_a_snapshot_only_record_with_modest_needs_passes():
    record = DecisionRecord(
        aggregate="user preferences",
        strategy="snapshot",
        history_required=False,
        history_reason="nobody asks how a preference used to be set",
        replay_cost="no replay at all: a load reads one small row",
        drift_owner="the profile team, but there is only one artifact",
    )
    assert review_decision(record).passed


@pytest.mark.parametrize(
    ("owner", "passes"),
    [
        ("nobody: one artifact cannot drift", True),
        ("no one needs to, there is a single stored row", True),
        ("nobody", False),
        ("no one", False),
    ],
)
def test_with_one_artifact_nobody_is_accepted_only_with_a_reason(owner, passes):
    record = DecisionRecord(
        aggregate="user preferences",
        strategy="snapshots",
        history_required=False,
        history_reason="nobody asks how a preference used to be set",
        replay_cost="no replay at all: a load reads one small row",
        drift_owner=owner,
    )
    feedback = review_decision(record)
    assert feedback.passed is passes
    if not passes:
        assert "say who would debug wrong stored data" in str(feedback)


@pytest.mark.parametrize("answer", [None, {"strategy": "both"}, "both"])
def test_an_answer_that_is_not_a_record_is_refused_with_a_hint(answer):
    feedback = review_decision(answer)
    assert not feedback.passed
    assert "starter_record()" in str(feedback)


def test_the_ledger_decision_record_in_data_names_its_authority_and_sections():
    feedback = review_markdown(decision_path("ledger-account").read_text(encoding="utf-8"))
    assert feedback.passed, str(feedback)


@pytest.mark.parametrize(
    "record", sorted(DECISIONS_FOLDER.glob("*.md")), ids=lambda path: path.stem
)
def test_every_decision_record_in_data_has_the_sections_and_an_authority(record):
    feedback = review_markdown(record.read_text(encoding="utf-8"))
    assert feedback.passed, f"{record.name}: {feedback}"


def test_a_markdown_record_without_an_authority_line_fails():
    text = "## Context\n## Decision\n## Consequences\n## On the day they disagree\n"
    feedback = review_markdown(text)
    assert not feedback.passed
    assert "Authoritative artifact" in str(feedback)

"""Decision records written from a reviewed DecisionRecord: shape, authority, and saving."""

from __future__ import annotations

import pytest

from helpers.teaching.decisions import WrittenDecision, save_decision
from helpers.teaching.exercises.decision_record import (
    DECISIONS_FOLDER,
    DecisionRecord,
    review_markdown,
)

CART = DecisionRecord(
    aggregate="shopping cart",
    strategy="events",
    history_required=True,
    history_reason="Analytics studies removed items and support replays disputed carts.",
    replay_cost="About 12 events per cart, 0.12 ms per load.",
    drift_owner="nobody: one artifact cannot drift",
)


def written(record: DecisionRecord = CART, **changes) -> WrittenDecision:
    fields = dict(
        name="test-cart",
        record=record,
        store="EventSourcedRepository",
        snapshots="none",
        decision=("We append the cart's events.",),
        consequences=("Old shapes stay readable.",),
    )
    return WrittenDecision(**{**fields, **changes})


def test_a_written_record_passes_the_markdown_review_and_names_its_authority():
    text = written().to_markdown()
    assert review_markdown(text).passed
    assert "- Authoritative artifact: events" in text
    assert text.startswith("# Decision record: how the shopping cart is stored")


def test_the_authority_of_a_single_artifact_is_that_artifact():
    snapshots = DecisionRecord(aggregate="prefs", strategy="snapshots")
    both = DecisionRecord(aggregate="ledger", strategy="both", authoritative="events")
    assert written(snapshots).authority == "snapshot"
    assert written(both).authority == "events"
    assert written().authority == "events"


def test_a_record_is_written_into_the_given_folder_and_the_message_names_no_machine_path(
    tmp_path,
):
    saved = save_decision(written(), tmp_path / "decisions")
    assert saved.path == tmp_path / "decisions" / "test-cart.md"
    assert saved.path.read_text(encoding="utf-8") == written().to_markdown()
    assert str(saved) == (
        "wrote decisions/test-cart.md in this lesson's folder; "
        "there is no committed example named data/decisions/test-cart.md"
    )
    assert str(tmp_path) not in str(saved)


def test_the_committed_examples_folder_is_refused_and_left_untouched():
    before = {path.name: path.read_bytes() for path in DECISIONS_FOLDER.glob("*.md")}
    with pytest.raises(ValueError, match="committed example records"):
        save_decision(written(), DECISIONS_FOLDER)
    assert {path.name: path.read_bytes() for path in DECISIONS_FOLDER.glob("*.md")} == before


def test_a_record_with_the_text_of_its_committed_example_is_said_to_match(tmp_path):
    example = (DECISIONS_FOLDER / "capstone-shopping-cart.md").read_text(encoding="utf-8")
    saved = save_decision(written(name="capstone-shopping-cart"), tmp_path)
    saved.path.write_text(example, encoding="utf-8")  # as the notebook's record would be
    assert saved.matches_example is True
    assert "same text as the committed example data/decisions/capstone-shopping-cart.md" in str(
        saved
    )
    assert saved.difference() == ""


def test_a_changed_record_is_said_to_differ_and_the_difference_shows_the_lines(tmp_path):
    saved = save_decision(written(name="capstone-shopping-cart"), tmp_path)
    assert saved.matches_example is False
    assert "differs from the committed example" in str(saved)
    assert "+- Snapshots: none" in saved.difference()

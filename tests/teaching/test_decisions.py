"""Decision records written from a reviewed DecisionRecord: shape, authority, and saving."""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpers.teaching.decisions import WrittenDecision, save_decision
from helpers.teaching.exercises.decision_record import (
    DECISIONS_FOLDER,
    DecisionRecord,
    review_decision,
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


@pytest.mark.parametrize(
    ("spelling", "canonical", "words"),
    [
        ("Events", "events", "events only"),
        ("event sourcing", "events", "events only"),
        (" Event  Sourced ", "events", "events only"),
        ("snapshot", "snapshots", "snapshots only"),
    ],
)
def test_any_strategy_spelling_check_decision_accepts_is_saved_in_its_canonical_form(
    tmp_path, spelling, canonical, words
):
    # A student's exact answer: check_decision accepted strategy="Events", then save crashed.
    history = canonical == "events"
    record = replace(
        CART,
        strategy=spelling,
        history_required=history,
        replay_cost="About 12 events per cart, 0.12 ms per load."
        if history
        else "Irrelevant: nothing is replayed, the row is the record.",
    )
    assert review_decision(record).passed, str(review_decision(record))
    saved = save_decision(written(record), tmp_path)
    text = saved.path.read_text(encoding="utf-8")
    assert f"- Strategy: {words} (`EventSourcedRepository`)" in text
    assert f"- Authoritative artifact: {'events' if history else 'snapshot'}" in text


def test_a_hybrid_with_a_spelled_out_authority_names_it_in_canonical_form(tmp_path):
    record = replace(
        CART,
        strategy="Hybrid",
        authoritative="The Events",
        drift_owner="the cart team's on-call engineer",
        on_disagreement="The events win: rebuild the snapshot from them and keep the report.",
    )
    assert review_decision(record).passed, str(review_decision(record))
    text = save_decision(written(record), tmp_path).path.read_text(encoding="utf-8")
    assert "- Strategy: both - events and snapshots" in text
    assert "- Authoritative artifact: events" in text


def test_a_record_check_decision_refuses_is_not_written(tmp_path):
    # A student's exact answer: drift_owner left as "TODO" in a record with both artifacts.
    record = replace(
        CART,
        strategy="both",
        authoritative="events",
        drift_owner="TODO",
        on_disagreement="The events win: rebuild the snapshot from them and keep the report.",
    )
    assert not review_decision(record).passed
    with pytest.raises(ValueError, match="check_decision does not accept this record") as raised:
        save_decision(written(record), tmp_path)
    assert "drift_owner" in str(raised.value)
    assert not (tmp_path / "test-cart.md").exists()


def test_an_unknown_strategy_is_refused_with_the_spellings_to_use():
    with pytest.raises(ValueError, match="'snapshots', 'events' or 'both'"):
        written(replace(CART, strategy="mixed")).to_markdown()

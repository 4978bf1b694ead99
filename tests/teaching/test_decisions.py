"""Decision records written from a reviewed DecisionRecord: shape, authority, and saving."""

from __future__ import annotations

from helpers.teaching.decisions import WrittenDecision, save_decision
from helpers.teaching.exercises.decision_record import DecisionRecord, review_markdown

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


def test_saving_writes_once_and_then_reports_the_record_unchanged(tmp_path):
    first = save_decision(written(), tmp_path)
    second = save_decision(written(), tmp_path)
    assert first.endswith("written") and "unchanged" in second
    assert (tmp_path / "test-cart.md").read_text(encoding="utf-8") == written().to_markdown()


def test_a_changed_record_is_written_again(tmp_path):
    save_decision(written(), tmp_path)
    message = save_decision(written(snapshots="none at all"), tmp_path)
    assert message.endswith("written")
    assert "none at all" in (tmp_path / "test-cart.md").read_text(encoding="utf-8")

"""Checkpoints for 08, choosing a strategy: the cost model, three decisions, the capstone."""

from __future__ import annotations

from helpers.teaching.checkpoints.questions import Choice, MultipleChoice, Numeric

QUESTIONS = (
    Numeric(
        "08.1",
        "A hybrid store takes a snapshot every 10 events, and loads come at random moments. "
        "On average, how many events does a load replay?",
        4.5,
        "right: after a snapshot the tail holds 0, 1, ... up to 9 events, and their average "
        "is (10 - 1) / 2 = 4.5.",
        unit="events",
        tolerance=0.01,
        known_wrong={
            5: "N / 2 counts one event too many: right after a snapshot the tail is empty, so "
            "the tail runs from 0 to N - 1 events.",
            10: "that is the interval; a load replays only the events since the newest "
            "snapshot, on average about half of it.",
            9: "9 is the worst case, just before the next snapshot; the question asks for the "
            "average.",
        },
    ),
    MultipleChoice(
        "08.2",
        "Replaying a preferences record's whole history would take 0.2 ms. Why does it still "
        "get snapshots and no events?",
        (
            Choice(
                "a",
                "Nobody needs its history, and cheap replay is no reason to store events.",
                True,
                "right: the first review question decided it; the replay cost never came "
                "into play.",
            ),
            Choice(
                "b",
                "Replaying 20 events on every page view would be too slow.",
                False,
                "0.2 ms is cheap: cost was not the deciding question here, history was.",
            ),
            Choice(
                "c",
                "Snapshots are the safer choice for any aggregate.",
                False,
                "the ledger and the cart store events: snapshots are the starting point only "
                "when history is not a requirement.",
            ),
            Choice(
                "d",
                "Marketing consent lives in the record, and only its current value matters.",
                False,
                "consent is kept out on purpose: it has a legal history requirement, so it "
                "needs an aggregate, and a decision, of its own.",
            ),
        ),
    ),
    MultipleChoice(
        "08.3",
        "The ledger stores both artifacts. One day a snapshot and the replay of the events "
        "disagree. What happens?",
        (
            Choice(
                "a",
                "The events win: the snapshot is rebuilt from them, and verify's report is "
                "kept with the incident.",
                True,
                "right: the record names the events as the truth, decided before the day "
                "they disagree.",
            ),
            Choice(
                "b",
                "The snapshot wins, because loads read it.",
                False,
                "loads read the snapshot for speed; being read first does not make an "
                "artifact the truth.",
            ),
            Choice(
                "c",
                "Whichever of the two was written more recently wins.",
                False,
                "age does not decide which artifact is right: the decision record does, in "
                "advance.",
            ),
            Choice(
                "d",
                "The on-call engineer edits the event so that it matches the snapshot.",
                False,
                "stored events are never edited; a correction is appended as a new event.",
            ),
        ),
    ),
    MultipleChoice(
        "08.4",
        "The bank switches on 1 April. What should the new store answer for Ada's balance at "
        "the end of February?",
        (
            Choice(
                "a",
                "That it was not recorded: the new store's history starts at the switch.",
                True,
                "right: the snapshot store never kept February, so the honest answer is "
                "that nobody knows it any more.",
            ),
            Choice(
                "b",
                "The balance carried over at the switch.",
                False,
                "that was her balance on 1 April; dating it earlier invents a February the "
                "old store never recorded.",
            ),
            Choice(
                "c",
                "A replay of her events up to 28 February.",
                False,
                "the new store holds no February events: its history begins with the "
                "opening history at the switch.",
            ),
            Choice(
                "d",
                "The balance in the old store's row, because that row was saved in March.",
                False,
                "saved_at says when the row was last written, in late March, not what the "
                "balance was a month earlier.",
            ),
        ),
    ),
)

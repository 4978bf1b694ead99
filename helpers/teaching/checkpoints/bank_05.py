"""Checkpoints for 05_rebuild_tests_and_drift.ipynb: independent answers, drift, authority."""

from __future__ import annotations

from helpers.teaching.checkpoints.questions import Choice, MultipleChoice

QUESTIONS = (
    MultipleChoice(
        "05.1",
        "Under release 1.4, `test_a_snapshot_plus_later_events_equals_a_full_replay` still "
        "passed. Why?",
        (
            Choice(
                "a",
                "The bug only changes full replays, and this test loads from a snapshot.",
                False,
                "the bug is in evolve, and every path runs evolve: the snapshot was computed "
                "by it, and so was the replay.",
            ),
            Choice(
                "b",
                "Both sides of its comparison were computed by the same buggy evolve, so "
                "they agreed with each other.",
                True,
                "right: comparing two stored paths cannot catch a bug they share; only an "
                "answer computed without evolve can.",
            ),
            Choice(
                "c",
                "A snapshot every 10 events is too frequent for a rounding error to show.",
                False,
                "the interval decides where a load starts, not whether a bug shows: the "
                "error was in every snapshot.",
            ),
            Choice(
                "d",
                "It saved and loaded through the same repository, so nothing came from the file.",
                False,
                "it did reopen the file; reopening catches a store that never writes, but "
                "not a bug in evolve that both sides share.",
            ),
        ),
    ),
    MultipleChoice(
        "05.2",
        "Release 1.5 has fixed `evolve`, and the application keeps serving requests. At "
        "version 30 it writes a new snapshot. What balance does that snapshot hold?",
        (
            Choice(
                "a",
                "The right one: it is computed by the fixed code.",
                False,
                "the fix changes code, not stored data: the account was loaded from the "
                "wrong snapshot at version 20, so the new snapshot inherits its error.",
            ),
            Choice(
                "b",
                "A wrong one: it starts from the wrong snapshot at version 20, so the "
                "error is carried forward.",
                True,
                "right: every later snapshot starts from an earlier one, so the error stays "
                "until someone rebuilds the snapshots from the events.",
            ),
            Choice(
                "c",
                "None: a load refuses to run on top of a snapshot written by the old code.",
                False,
                "the wrong snapshot is still perfectly readable JSON; drift is not "
                "corruption, so nothing refuses to load it.",
            ),
        ),
    ),
    MultipleChoice(
        "05.3",
        "In a database whose events are authoritative, someone edits the newest snapshot "
        "row by hand. What happens when `reconcile` runs?",
        (
            Choice(
                "a",
                "The snapshot is rebuilt from the events, and the edit is gone.",
                True,
                "right: under events authority a snapshot is a cache, and a cache that "
                "disagrees with the truth is rebuilt.",
            ),
            Choice(
                "b",
                "The edit is kept, because it is the newest change.",
                False,
                "recency decides nothing: the declared authority decides which artifact "
                "wins, and here it is the events.",
            ),
            Choice(
                "c",
                "Nothing changes; `reconcile` lists steps for a person to decide.",
                False,
                "that is what happens under snapshot authority, where a replay may not "
                "overrule the truth; here the snapshot is only a cache.",
            ),
            Choice(
                "d",
                "The load fails with `CorruptRecord` until someone repairs the row.",
                False,
                "the edited row still decodes: drift is not corruption, which is why it "
                "needs `verify` to be noticed at all.",
            ),
        ),
    ),
    MultipleChoice(
        "05.4",
        "The property test in `tests/` decides which commands are allowed with a small "
        "`Model` class written without `Account` or `evolve`. Why not ask the `Account`?",
        (
            Choice(
                "a",
                "The model is faster, so Hypothesis can try more histories.",
                False,
                "speed is not the point: the model exists so that the expected answer does "
                "not share code with what is tested.",
            ),
            Choice(
                "b",
                "So that a bug in `evolve` cannot hide by being on both sides of the comparison.",
                True,
                "right: the same reason the first rebuild test uses expected_after - the "
                "expected answer must be independent of the code under test.",
            ),
            Choice(
                "c",
                "Hypothesis can only generate data for classes without methods.",
                False,
                "Hypothesis can drive any code; the model is there to be independent, not "
                "because of a Hypothesis limit.",
            ),
        ),
    ),
)

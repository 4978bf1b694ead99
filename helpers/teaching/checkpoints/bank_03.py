"""Checkpoints for notebook 03: no balance column, "as of", replay cost, what to store."""

from helpers.teaching.checkpoints.questions import Choice, MultipleChoice, Numeric

QUESTIONS = (
    MultipleChoice(
        "03.1",
        "Where does the events table keep Ada's current balance?",
        (
            Choice(
                "a",
                "In a balance column, updated on every save.",
                False,
                "the store never runs UPDATE on this table, and it has no balance column: rows "
                "are only ever appended.",
            ),
            Choice(
                "b",
                "In the payload of the newest event.",
                False,
                "an event records what happened, such as an amount withdrawn, not the balance "
                "that resulted from it.",
            ),
            Choice(
                "c",
                "Nowhere: the balance is computed by replaying the events.",
                True,
                "right: a load starts from nothing and applies every event in order; the next "
                "section does it by hand.",
            ),
            Choice(
                "d",
                "In the AccountOpened row, rewritten as money moves.",
                False,
                "stored events are never rewritten: the opening row still says exactly what it "
                "said at 09:00.",
            ),
        ),
    ),
    Numeric(
        "03.2",
        "You load Ada's account as of 09:05:30 on 2026-01-01. Which version do you get?",
        6,
        "right: the unfreeze at 09:05 is the last event at or before 09:05:30; the refund at "
        "09:06 had not happened yet.",
        known_wrong={
            5: "the unfreeze happened at 09:05:00, before 09:05:30: an 'as of' load includes "
            "every event at or before the moment.",
            7: "the refund happened at 09:06, after the moment: an 'as of' load stops at the "
            "cut and ignores what came later.",
            8: "that is the account now: an 'as of' load replays only the events up to the "
            "moment, not the whole history.",
        },
        otherwise="not this version: find the last event at or before 09:05:30 in the time line "
        "above.",
    ),
    MultipleChoice(
        "03.3",
        "An account's history grows from 10,000 to 20,000 events. What happens to the work of "
        "one load from this event store?",
        (
            Choice(
                "a",
                "It doubles: every stored event is applied once.",
                True,
                "right: one evolve call per stored event, so twice the history is twice the work.",
            ),
            Choice(
                "b",
                "It stays the same: a load reads only the latest state.",
                False,
                "that is a snapshot load (notebook 02); an event store keeps no state, so it "
                "replays the whole history.",
            ),
            Choice(
                "c",
                "It quadruples: each new event is checked against all the earlier ones.",
                False,
                "each event is applied once, to the state just before it: the work grows in "
                "step with the history, not faster.",
            ),
            Choice(
                "d",
                "It barely grows: SQLite's index finds the account's rows at once.",
                False,
                "the index finds the rows quickly, but every row must still be decoded and "
                "applied, and that is the work that grows.",
            ),
        ),
    ),
    MultipleChoice(
        "03.4",
        "Which of these is a good reason to store a new event type?",
        (
            Choice(
                "a",
                "The domain already publishes it in memory, so storing it costs nothing extra.",
                False,
                "existing in memory is no reason on its own: every stored type costs rows, "
                "replay work and a shape you must read for as long as the rows exist.",
            ),
            Choice(
                "b",
                "Someone needs its history, and it cannot be derived from the events already "
                "stored.",
                True,
                "right: an auditor, a temporal query or another program that reads the store is "
                "a need worth those costs; a derivable announcement is not.",
            ),
            Choice(
                "c",
                "Storing it would make loads faster.",
                False,
                "a load would decode every stored warning and then ignore it: stored "
                "announcements make replay slower, not faster.",
            ),
            Choice(
                "d",
                "It is small, so storing it is cheap.",
                False,
                "bytes are the smallest cost: the shape you must keep reading, and upcasting, "
                "for as long as the rows live is the larger one.",
            ),
        ),
    ),
)

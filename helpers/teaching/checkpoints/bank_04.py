"""Checkpoints for 04_hybrid_designs.ipynb: the snapshot as a cache, authority, the questions."""

from __future__ import annotations

from helpers.teaching.checkpoints.questions import Choice, MultipleChoice, Numeric

QUESTIONS = (
    Numeric(
        "04.1",
        "Design 1 takes a snapshot every 10 events. The account is at version 58. "
        "How many events does a load replay?",
        8,
        "right: the newest snapshot is at version 50, and the load replays events 51 to 58.",
        unit="events",
        known_wrong={
            58: "a load starts from the newest snapshot, not from the opening: the snapshot "
            "already holds events 1 to 50.",
            9: "the snapshot at version 50 already includes event 50: replay starts at 51.",
            7: "count both ends: events 51 to 58 are eight events.",
            10: "the load replays only the events after the newest snapshot, not a whole interval.",
            0: "a snapshot is taken every 10 events, not at every save: version 58 has none "
            "of its own.",
        },
        otherwise="not this number: find the newest snapshot at or before version 58, then "
        "count the events after it.",
    ),
    MultipleChoice(
        "04.2",
        "A ledger uses design 2: the snapshot is authoritative, the events are an audit log. "
        "One day `verify` shows that the snapshot's balance differs from a replay of the "
        "events. What should happen?",
        (
            Choice(
                "a",
                "Rebuild the snapshot from the events: they are the full history.",
                False,
                "that would make the events the truth after all: in design 2 a replay may "
                "not overrule the snapshot, which may hold a correction no event describes.",
            ),
            Choice(
                "b",
                "Nothing: the snapshot is authoritative, so it is right by definition.",
                False,
                "authoritative says which one wins, not that it cannot be wrong: a "
                "difference means something changed outside the normal flow, and someone "
                "must find out what.",
            ),
            Choice(
                "c",
                "A person finds out why they differ; if the snapshot is wrong, it is "
                "corrected by hand with a recorded reason and approver.",
                True,
                "right: under snapshot authority the answer is not mechanical; people "
                "investigate, and a correction leaves a paper trail.",
            ),
            Choice(
                "d",
                "Delete the events that disagree, so the two agree again.",
                False,
                "the audit log is the evidence: deleting the events that disagree hides "
                "the problem instead of explaining it.",
            ),
        ),
    ),
    MultipleChoice(
        "04.3",
        "A customer's notification settings: one small row per customer, and nobody ever "
        "asks what a setting used to be. The code already raises a `SettingsChanged` event "
        "in-process. How should the settings be stored?",
        (
            Choice(
                "a",
                "Snapshots only.",
                True,
                "right: no one needs the history and a load reads one row, so the default "
                "(snapshots first) holds.",
            ),
            Choice(
                "b",
                "Events: the code already raises `SettingsChanged`, so storing it costs "
                "nothing extra.",
                False,
                "an event raised in-process is not a reason to store history: stored events "
                "bring replay, upcasting and drift to look after.",
            ),
            Choice(
                "c",
                "Both, to be safe: a snapshot for loading and events just in case.",
                False,
                "two artifacts are not safer: they can drift, and someone must own that. "
                "Store history only when someone truly needs it.",
            ),
            Choice(
                "d",
                "Events, because replaying a handful of events is cheap.",
                False,
                "cheap replay makes events affordable, not necessary: the first question is "
                "whether anyone needs the history at all.",
            ),
        ),
    ),
)

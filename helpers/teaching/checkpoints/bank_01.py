"""Checkpoints for notebook 01, the Account aggregate: refusals, one path, the waiting warning."""

from helpers.teaching.checkpoints.questions import Choice, MultipleChoice, Numeric

QUESTIONS = (
    Numeric(
        "01.1",
        "acc-1 was opened, then took three money movements, then was frozen and unfrozen. "
        "Along the way, four commands on it were refused. What is its version now?",
        6,
        "right: a refused command checks its rules before it records anything, so only the "
        "six successful commands left an event, and the version counts events.",
        known_wrong={
            10: "a refused command leaves no trace: its rules are checked before anything is "
            "recorded, so it adds no event and does not move the version.",
            4: "the freeze and the unfreeze are events too: every successful command adds one "
            "to the version, not only the ones that move money.",
            3: "the opening, the freeze and the unfreeze are events too: every successful "
            "command adds one to the version, not only the ones that move money.",
            5: "the opening counts: it is the first event, version 1.",
            9: "a refused command leaves no trace, and the opening counts: it is version 1.",
        },
        otherwise="not this number: count one event per successful command, the opening "
        "included, and none for a refusal.",
    ),
    MultipleChoice(
        "01.2",
        "Someone edits evolve and gets withdrawals wrong: it now subtracts twice the amount. "
        "Which accounts show a wrong balance?",
        (
            Choice(
                "a",
                "Only accounts rebuilt from stored events; a live account keeps its own balance.",
                False,
                "the live account keeps no balance of its own: each command hands its event to "
                "evolve (the _record line above), so the live account goes wrong as well.",
            ),
            Choice(
                "b",
                "Only live accounts; a rebuild reads the balance that was stored.",
                False,
                "stored events hold amounts, not balances: a rebuild computes the balance by "
                "replaying them through the same evolve, and gets the same wrong answer.",
            ),
            Choice(
                "c",
                "Both live and rebuilt accounts, in the same way.",
                True,
                "right: there is one path from events to state, so the bug shows up everywhere "
                "at once, and one fix in evolve repairs every account.",
            ),
            Choice(
                "d",
                "Neither: events are frozen, so what they mean cannot change.",
                False,
                "frozen protects the recorded facts, not the code that interprets them: evolve "
                "decides what a withdrawal does to the balance.",
            ),
        ),
    ),
    MultipleChoice(
        "01.3",
        "A withdrawal leaves 6,500 cents, so a warning waits. The save then fails with "
        "ConcurrencyError because someone else saved first. What have the subscribers heard?",
        (
            Choice(
                "a",
                "One warning, sent when withdraw() ran.",
                False,
                "withdraw() only puts the warning in pending_notifications; it is published "
                "after a save commits, and this save did not.",
            ),
            Choice(
                "b",
                "Nothing: only mark_saved() publishes, and a failed save never calls it.",
                True,
                "right: a warning about a withdrawal that never reached the store would announce "
                "something that did not happen, so the pack announces only what is stored.",
            ),
            Choice(
                "c",
                "One warning, then a correction once the save failed.",
                False,
                "nothing was announced, so there is nothing to correct: publishing after the "
                "commit is what makes corrections unnecessary.",
            ),
            Choice(
                "d",
                "Nothing, because warnings are saved with the events and the save stored nothing.",
                False,
                "right outcome, wrong reason: warnings are never stored. They wait in memory and "
                "are published only after a save that succeeded.",
            ),
        ),
    ),
)

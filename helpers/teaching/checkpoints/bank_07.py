"""Checkpoints for 07, schema evolution: upcasters, committed migrations, skipped snapshots,
truncation."""

from __future__ import annotations

from helpers.teaching.checkpoints.questions import Choice, MultipleChoice, Numeric

QUESTIONS = (
    MultipleChoice(
        "07.1",
        "Release 3 adds an upcaster for MoneyDeposited from version 2 to version 3. "
        "What happens to the existing upcaster from version 1 to version 2?",
        (
            Choice(
                "a",
                "It stays exactly as it is: version-1 rows pass through it, then through the "
                "new step.",
                True,
                "right: each link turns one version into the next, and version-1 rows stay "
                "stored, so the first link is needed for as long as they exist.",
            ),
            Choice(
                "b",
                "It is changed to produce version 3 directly, so a row needs one step only.",
                False,
                "changing an old link is not harmless: the next link expects exactly version "
                "2, so every version-1 row would break in the step from 2 to 3.",
            ),
            Choice(
                "c",
                "It can be deleted once release 3 is deployed, because new rows are written "
                "in version 3.",
                False,
                "writers use the newest shape, but old rows are not rewritten: an upcaster "
                "lives as long as the oldest row of its version.",
            ),
            Choice(
                "d",
                "It is no longer needed, because release 3 rewrites version-1 rows when it "
                "first reads them.",
                False,
                "stored events are facts: a read brings them forward in memory and never "
                "rewrites the stored row.",
            ),
        ),
    ),
    MultipleChoice(
        "07.2",
        "The float migration has committed in the snapshot-only store. What can that store "
        "still do to find Grace's lost cent?",
        (
            Choice(
                "a",
                "Nothing: the old text is gone, and there is no history to compare with.",
                True,
                "right: after the commit, a wrong balance and a right one look alike; the "
                "dry-run report was the last place both stood side by side.",
            ),
            Choice(
                "b",
                "Load Grace's account: the load raises an error for a migrated row.",
                False,
                "a migrated row is a valid current-schema row: every load succeeds, whatever "
                "number it holds.",
            ),
            Choice(
                "c",
                "Compare the stored row with a replay of Grace's events.",
                False,
                "a snapshot-only store keeps no events: that comparison needs a store that "
                "kept the history.",
            ),
            Choice(
                "d",
                "Run the migration again with dry_run=True and read the report.",
                False,
                "the rows are already at schema 2, so a second run finds nothing to migrate: "
                "a dry run helps only before the commit.",
            ),
        ),
    ),
    Numeric(
        "07.3",
        "Grace's only snapshot, at version 48, is in the old state shape, and her history now "
        "holds 49 events. How many events does her next load replay?",
        49,
        "right: the stale snapshot is skipped, so the load starts from nothing and replays "
        "every event, the new deposit included.",
        unit="events",
        known_wrong={
            1: "a skipped snapshot is no starting point: replaying only the event after it "
            "would trust the very snapshot the store refused.",
            0: "a load that replays nothing reads a usable snapshot, and this one is stale.",
            48: "the snapshot is skipped, so the deposit after it is replayed too: count "
            "every stored event.",
        },
    ),
    MultipleChoice(
        "07.4",
        "After the clean-up job deleted the events his snapshot covers, what is the truth "
        "for Alan's account: the authoritative record, the one a rebuild has to trust?",
        (
            Choice(
                "a",
                "The snapshot at version 36, lost cent included, plus the one event after it.",
                True,
                "right: the events that could overrule the snapshot are gone, so it is the "
                "only record of those 36 versions, bugs and all.",
            ),
            Choice(
                "b",
                "The events, because the database declares authority='events'.",
                False,
                "a declaration is not a fact: the events that would overrule the snapshot "
                "were deleted, so the declaration is no longer true for Alan.",
            ),
            Choice(
                "c",
                "Nothing: verify found a difference, so the account can no longer be loaded.",
                False,
                "verify reports that the history is gone, not that the account is "
                "unreadable: loads still work, from the snapshot.",
            ),
            Choice(
                "d",
                "Both agree, because the load still returns a balance without an error.",
                False,
                "a load that works says nothing about whether its balance is right.",
            ),
        ),
    ),
)

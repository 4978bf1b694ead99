"""Checkpoints for notebook 06: a hybrid's tail, warm against cold, floors, the best interval."""

from helpers.teaching.checkpoints.questions import Choice, MultipleChoice, Numeric

QUESTIONS = (
    Numeric(
        "06.1",
        "A hybrid store takes a snapshot every 100 events. An account in it has 12,345 events. "
        "How many events does loading its latest state replay?",
        45,
        "right: the newest snapshot is at version 12,300, the last multiple of 100, so the "
        "load replays the 45 events after it.",
        unit="events",
        known_wrong={
            12_345: "that is a full replay: a hybrid starts from its newest snapshot and "
            "replays only the events after it.",
            0: "12,345 is not a multiple of 100, so no snapshot sits at the very end: the "
            "newest one is behind it.",
            99: "99 is the worst case, interval - 1; this history's tail is what is left "
            "after the last multiple of 100.",
            100: "the snapshot interval is how often a snapshot is taken, not how many events "
            "a load replays after it.",
        },
        otherwise="not this number: find the last multiple of 100 at or below 12,345 and count "
        "the events after it.",
    ),
    MultipleChoice(
        "06.2",
        "Warm, a snapshot load was hundreds of times faster than a full replay of the same "
        "account; cold, only a few times. Why does the gap shrink?",
        (
            Choice(
                "a",
                "A cold start adds the same cost to both loads: opening the store and reading "
                "its pages from disk.",
                True,
                "right: both pay to open the connection and fetch pages the cache has "
                "forgotten, so the ratio of the totals shrinks while the replay's own work "
                "stays.",
            ),
            Choice(
                "b",
                "A cold snapshot load replays the history to check the snapshot.",
                False,
                "a snapshot load reads one row, warm or cold; what a cold start adds is the "
                "opening and the disk, not a replay.",
            ),
            Choice(
                "c",
                "The warm timings are wrong: only cold timings count.",
                False,
                "both are measured and checked: warm is what a running server sees on every "
                "load, cold what the first load after a restart sees.",
            ),
            Choice(
                "d",
                "Replay gets faster when the store was just opened.",
                False,
                "replay does the same work either way; it is the fixed cost added to both "
                "that makes the ratio smaller.",
            ),
        ),
    ),
    MultipleChoice(
        "06.3",
        "The msgspec replay costs 1.6 us per event; the raw row fetch of the same rows costs "
        "0.8 us. What does that say about making replay faster still?",
        (
            Choice(
                "a",
                "Half the time is reading rows: the codec and the fold can save at most the "
                "other 0.8 us per event.",
                True,
                "right: the raw fetch is a floor for any replay of these rows; only the part "
                "above it belongs to decoding and applying.",
            ),
            Choice(
                "b",
                "The database is the bottleneck, so the code above it does not matter.",
                False,
                "the fetch is only half of the time here: the other half is the pack's own "
                "decoding and applying.",
            ),
            Choice(
                "c",
                "Replay cannot get faster: 1.6 us is the floor.",
                False,
                "the floor is what the raw fetch costs, 0.8 us; 1.6 us is what this replay "
                "costs on top of it.",
            ),
            Choice(
                "d",
                "It cannot be told: the two were measured separately.",
                False,
                "they were measured in the same run, interleaved in rounds on the same rows, "
                "which is what makes the comparison fair.",
            ),
        ),
    ),
    MultipleChoice(
        "06.4",
        "In the cost explorer, loads per write go up from 1 to 100. What happens to the best "
        "snapshot interval?",
        (
            Choice(
                "a",
                "It gets shorter: each replayed event is now paid for by many more loads.",
                True,
                "right: with more loads per write, a shorter tail saves more than the extra "
                "snapshot rows cost, so the optimum moves to smaller intervals.",
            ),
            Choice(
                "b",
                "It gets longer: more loads mean fewer snapshots are needed.",
                False,
                "snapshots exist to shorten loads; the more loads there are, the more a short "
                "tail is worth.",
            ),
            Choice(
                "c",
                "It stays the same: the interval depends only on the history length.",
                False,
                "the optimum balances the cost of snapshot rows against the replay they save "
                "per load, so the number of loads moves it.",
            ),
        ),
    ),
)

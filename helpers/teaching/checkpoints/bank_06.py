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
            12_300: "12,300 is the newest snapshot's version, where the load starts; the "
            "question asks how many events come after it.",
            123: "123 is how many snapshots the history has; a load reads only the newest one "
            "and replays the events after it.",
        },
        negative="a load cannot replay a negative number of events: subtract the snapshot's "
        "version from the account's, not the other way round.",
        otherwise="not this number: find the last multiple of 100 at or below 12,345 and count "
        "the events after it.",
    ),
    MultipleChoice(
        "06.2",
        "In one run, at 1,234 events, a full replay took 242 times as long as a snapshot load "
        "when both were warm and 14 times when both started cold. Warm, the snapshot load took "
        "55 us and the replay 13,358 us; cold, 1,211 us and 16,494 us. The cold start added "
        "1,156 us to the snapshot load and 3,136 us to the replay. Why did the ratio shrink?",
        (
            Choice(
                "a",
                "What a cold start adds is many times a warm snapshot load but small beside a "
                "long warm replay, so the snapshot load grew about 22 times and the replay by "
                "about a quarter.",
                True,
                "right: the replay gained more microseconds, but a ratio follows each load's "
                "growth relative to its own warm time, and the snapshot load's grew far more.",
            ),
            Choice(
                "b",
                "A cold start adds the same cost to both loads, so the ratio of the totals "
                "shrinks.",
                False,
                "not the same cost: the replay gained 3,136 us, the snapshot load 1,156 us, "
                "because a long replay reads more pages the cache has forgotten; the ratio "
                "shrinks because of the size of each addition beside each warm time.",
            ),
            Choice(
                "c",
                "A cold snapshot load replays the history to check the snapshot.",
                False,
                "a snapshot load reads one row, warm or cold; what a cold start adds is "
                "opening the store and reading pages from disk, not a replay.",
            ),
            Choice(
                "d",
                "The warm timings are wrong: only cold timings count.",
                False,
                "both are measured and checked: warm is what a running server sees on every "
                "load, cold what the first load after a restart sees.",
            ),
        ),
    ),
    MultipleChoice(
        "06.3",
        "In the reference run, at 1,000,000 events, the msgspec replay cost 3.94 us per event; "
        "the raw row fetch of the same rows, timed in the same rounds, cost 2.05 us per event. "
        "What does that say about making replay faster still?",
        (
            Choice(
                "a",
                "About half the time is reading rows: the codec and the fold can save at most "
                "the other 1.9 us per event.",
                True,
                "right: the raw fetch is a floor for any replay of these rows; only the part "
                "above it (3.94 - 2.05 = 1.89 us) belongs to decoding and applying.",
            ),
            Choice(
                "b",
                "The database is the bottleneck, so the code above it does not matter.",
                False,
                "the fetch is only about half of the time here: the other half, 1.9 us per "
                "event, is the pack's own decoding and applying.",
            ),
            Choice(
                "c",
                "Replay cannot get faster: 3.94 us is the floor.",
                False,
                "3.94 us is the whole replay, the fetch included; the floor is the raw fetch, "
                "2.05 us, and the 1.9 us above it is what decoding and applying cost.",
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

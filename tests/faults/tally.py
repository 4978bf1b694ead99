"""What the fault-injection tests did, counted, for the summary ``make stress`` prints.

The tests assert zero losses themselves; the tally only makes the figures visible (how many
rounds were killed, how many examples tried) so a run can be reported with numbers.
"""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()

LINES = (
    ("writer rounds killed (SIGKILL)", "writer_kills"),
    ("  of them mid-transaction", "writer_kills_mid_transaction"),
    ("acknowledged saves checked", "acknowledged_saves"),
    ("acknowledged saves lost", "acknowledged_saves_lost"),
    ("projection rounds killed (SIGKILL) mid-batch", "projection_kills"),
    ("projection rows checked after restarts", "projection_rows_checked"),
    ("projection rows wrong after restarts", "projection_rows_wrong"),
    ("corruption examples tried", "corruption_examples"),
    ("  loads that returned a state", "corruption_states"),
    ("  loads refused with a pack error naming a damaged row", "corruption_refusals"),
    ("raw (non-pack) exceptions seen", "raw_exceptions"),
)


def summary() -> list[str]:
    if not COUNTS:
        return []
    width = max(len(label) for label, _ in LINES)
    return [f"{label:<{width}}  {COUNTS[key]:>8,}" for label, key in LINES]

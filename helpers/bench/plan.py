"""What a configuration asks to measure, worked out before anything is timed.

Which version a hybrid's worst case loads, from which length each flat strategy is judged,
and how many events a load replays: plain arithmetic on the parameters, shared by the runner
(which measures it) and the summaries (which explain why something could not be measured).
"""

from __future__ import annotations

from helpers.bench.config import BenchConfig, variant_label


def worst_tail_version(length: int, interval: int) -> int | None:
    """The version ``interval - 1`` events past the newest real snapshot it can have.

    Snapshots sit at multiples of the interval; the worst load replays ``interval - 1``
    events after one of them. ``None`` when the history is too short to hold such a point
    (under ``2 * interval - 1`` events).
    """
    snapshot = (length - (interval - 1)) // interval * interval
    return snapshot + interval - 1 if snapshot >= interval else None


def flat_bases(config: BenchConfig) -> dict[str, int]:
    """Per flat variant, the length its flatness is judged from (absent: it cannot be).

    The base is the shortest measured length from ``config.flat_base`` up at which the load
    being compared exists: any length for a snapshot, a worst tail for a hybrid (so never
    below its interval). It must be shorter than the largest length, or there is nothing
    to compare.
    """
    bases = {}
    for strategy, interval in config.variants:
        if strategy == "event-sourced":
            continue
        need = 1 if interval is None else 2 * interval - 1
        candidates = [n for n in config.lengths if n >= max(config.flat_base, need)]
        if candidates and min(candidates) < config.largest:
            bases[variant_label(strategy, interval)] = min(candidates)
    return bases


def split_label(label: str) -> tuple[str, int | None]:
    """'hybrid-100' -> ('hybrid', 100); 'snapshot' -> ('snapshot', None)."""
    if label.startswith("hybrid-"):
        return "hybrid", int(label.split("-", 1)[1])
    return label, None


def events_replayed(strategy: str, interval: int | None, version: int, length: int) -> int:
    """Events a load applies after its starting point (the snapshot it found, if any)."""
    if strategy == "snapshot":
        return 0
    if strategy == "event-sourced" or interval is None or version < interval:
        return version
    return version % interval

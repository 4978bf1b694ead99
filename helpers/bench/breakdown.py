"""Where replay time goes: each stage of a replay timed on its own, over the same rows.

A replay does four things per event: fetch the row from SQLite, parse its JSON, build the
event object (checking field types), and apply it with ``evolve``. Timing them together
hides which one matters, so each is run alone over the same history:

``fetch rows``       iterate the replay query's cursor and drop the rows;
``parse JSON``       parse every payload into plain Python objects (``json`` or msgspec);
``build events``     the codec's full decode minus its parse: type checks and construction
                     (msgspec fuses both in C, so for it this is the difference of two runs);
``apply evolve``     fold already-built events into the state;
``loop and rest``    a real, checked full replay minus the four stages above.

Each stage keeps its fastest CPU time (see ``_best_cpu_ns``), in microseconds per event.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from helpers.bench.histories import ACCOUNT_ID, make_codec, open_repository
from helpers.bench.measure import check_load
from helpers.domain.state import fold
from helpers.samples.workload import Expected

REPLAY_SQL = (
    "SELECT event_type, schema_version, payload FROM events "
    "WHERE account_id = ? AND version > 0 ORDER BY version"
)
STAGES = ("fetch rows", "parse JSON", "build events", "apply evolve", "loop and rest")


def _msgspec_parse() -> Callable[[str], object]:
    import msgspec  # only when the msgspec codec is measured: it is an optional speed-up

    return msgspec.json.decode


def _best_cpu_ns(work: dict[str, Callable[[], object]], repeats: int) -> dict[str, int]:
    """Fastest CPU time of each piece of work over ``repeats`` rounds.

    The pieces take turns within each round, so a burst of other work on the machine hits
    them all alike rather than one stage; and the clock is this thread's CPU time, which
    does not count the time other processes held the core.
    """
    best: dict[str, int] = {}
    for _ in range(repeats):
        for name, run in work.items():
            start = time.thread_time_ns()
            run()
            elapsed = time.thread_time_ns() - start
            best[name] = min(best.get(name, elapsed), elapsed)
    return best


def replay_breakdown(
    path: Path, codec_name: str, expected: Expected, repeats: int
) -> dict[str, float]:
    """Microseconds per event for each stage in ``STAGES``, plus the measured total."""
    length = expected.version
    with open_repository(path, "event-sourced", None, codec_name) as repo:
        conn = repo.conn
        rows = conn.execute(REPLAY_SQL, (ACCOUNT_ID,)).fetchall()
        payloads = [payload for _, _, payload in rows]
        codec = make_codec(codec_name)
        decoders = {key: codec.decoder_for(*key) for key in {(t, s) for t, s, _ in rows}}
        events = [decoders[t, s](p) for t, s, p in rows]
        # the same parser the codec uses: raw_decode for json (see helpers.storage.codec)
        parse = json.JSONDecoder().raw_decode if codec_name == "json" else _msgspec_parse()

        def fetch() -> None:
            for _ in conn.execute(REPLAY_SQL, (ACCOUNT_ID,)):
                pass

        def total() -> None:
            check_load(repo.load(ACCOUNT_ID), expected, f"breakdown replay {codec_name}")

        def parse_all() -> None:
            for payload in payloads:  # each result dropped at once, as in a replay
                parse(payload)

        def decode_all() -> None:
            for type_name, schema_version, payload in rows:
                decoders[type_name, schema_version](payload)

        work = {
            "fetch rows": fetch,
            "parse JSON": parse_all,
            "decode": decode_all,
            "apply evolve": lambda: fold(events),
            "total": total,
        }
        stage_ns = _best_cpu_ns(work, repeats)
    per_event = {name: ns / 1_000 / length for name, ns in stage_ns.items()}
    result = {
        "fetch rows": per_event["fetch rows"],
        "parse JSON": per_event["parse JSON"],
        "build events": max(per_event["decode"] - per_event["parse JSON"], 0.0),
        "apply evolve": per_event["apply evolve"],
    }
    result["loop and rest"] = per_event["total"] - sum(result.values())
    result["full replay"] = per_event["total"]
    return result

"""Where replay time goes: each stage of a replay timed on its own, over the same rows.

A replay fetches each row from the database, parses its JSON, builds something from it
(the json codec builds the frozen event; the msgspec codec builds a light row struct for a
deposit or a withdrawal), checks it and applies it. Timing them together hides which one
matters, so the pieces are run alone over the same history:

``fetch rows``     iterate the replay query's cursor and drop the rows (the raw row fetch);
``parse JSON``     parse every payload into plain Python objects, with the codec's parser;
``build objects``  the codec's full decode of every row, minus the parse alone;
``check, apply``   the codec's ``fold_rows`` over rows already in a list, minus the decode:
                   the row checks, ``evolve`` (or the msgspec codec's adding up) and the loop;
``rest``           a real, checked load minus all of the above: the query's start, the
                   interplay of fetching and folding, building the Account.

Each piece keeps its fastest CPU time over the rounds (the least disturbed by other work on
the machine), in microseconds per event; the pieces take turns within each round.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from helpers.bench.floors import REPLAY_SQL
from helpers.bench.histories import ACCOUNT_ID, open_repository
from helpers.bench.measure import check_load
from helpers.samples.workload import Expected

STAGES = ("fetch rows", "parse JSON", "build objects", "check, apply", "rest")


def _msgspec_parse() -> Callable[[str], object]:
    import msgspec  # only when the msgspec codec is measured: it is an optional speed-up

    return msgspec.json.decode


def _best_cpu_ns(work: dict[str, Callable[[], object]], rounds: int) -> dict[str, int]:
    """Fastest CPU time of each piece of work over ``rounds`` rounds, taking turns."""
    best: dict[str, int] = {}
    for _ in range(rounds):
        for name, run in work.items():
            start = time.thread_time_ns()
            run()
            elapsed = time.thread_time_ns() - start
            best[name] = min(best.get(name, elapsed), elapsed)
    return best


def replay_breakdown(
    target: Path, codec_name: str, expected: Expected, rounds: int
) -> dict[str, float]:
    """Microseconds per event for each stage in ``STAGES``, plus the measured total."""
    length = expected.version
    with open_repository(target, "event-sourced", None, codec_name) as repo:
        db, codec = repo.db, repo.codec
        rows = list(db.stream(REPLAY_SQL, (ACCOUNT_ID, 0)))
        payloads = [row[3] for row in rows]
        # the same parser the codec uses: raw_decode for json (see helpers.storage.codec)
        parse = json.JSONDecoder().raw_decode if codec_name == "json" else _msgspec_parse()
        build = _builder(codec)

        def fetch() -> None:
            for _ in db.stream(REPLAY_SQL, (ACCOUNT_ID, 0)):
                pass

        def parse_all() -> None:
            for payload in payloads:  # each result dropped at once, as in a replay
                parse(payload)

        def decode_all() -> None:
            for row in rows:
                build(row)

        def fold_listed() -> None:
            codec.fold_rows(rows, None, ACCOUNT_ID)

        def total() -> None:
            check_load(repo.load(ACCOUNT_ID), expected, f"breakdown replay {codec_name}")

        work = {
            "fetch": fetch,
            "parse": parse_all,
            "decode": decode_all,
            "fold": fold_listed,
            "total": total,
        }
        ns = _best_cpu_ns(work, rounds)
    us = {name: value / 1_000 / length for name, value in ns.items()}
    result = {
        "fetch rows": us["fetch"],
        "parse JSON": us["parse"],
        "build objects": us["decode"] - us["parse"],
        "check, apply": us["fold"] - us["decode"],
    }
    result["rest"] = us["total"] - us["fetch"] - us["fold"]
    result["full replay"] = us["total"]
    return result


def _builder(codec) -> Callable[[tuple], object]:
    """What the codec's replay builds from one row (``Codec.replay_decoder``)."""
    decoders: dict[tuple[str, int], Callable[[str], object]] = {}

    def build(row: tuple) -> object:
        _, type_name, schema_version, payload = row
        decode = decoders.get((type_name, schema_version))
        if decode is None:
            decode = decoders[type_name, schema_version] = codec.replay_decoder(
                type_name, schema_version
            )
        return decode(payload)

    return build

"""The sentence that says every load was checked covers every engine the run measured."""

from __future__ import annotations

import pandas as pd

from helpers.bench import checked_lines


def loads(engines: tuple[str, ...]) -> pd.DataFrame:
    rows = [
        {"engine": engine, "cache": cache, "variant": variant}
        for engine in engines
        for cache in ("warm", "cold")
        for variant in ("snapshot", "event-sourced", "hybrid-10")
    ]
    return pd.DataFrame(rows)


def test_one_engine_gets_one_sentence_with_its_count():
    [line] = checked_lines({"loads": loads(("sqlite",))})
    assert line.startswith("every load was checked: 6 kinds of timed load (3 warm, 3 cold)")


def test_two_engines_get_one_sentence_each_so_the_second_engine_is_not_left_out():
    lines = checked_lines({"loads": loads(("sqlite", "postgres"))})
    assert [line.split(":")[0] for line in lines] == [
        "every load on SQLite was checked",
        "every load on PostgreSQL was checked",
    ]
    assert all("6 kinds of timed load (3 warm, 3 cold)" in line for line in lines)

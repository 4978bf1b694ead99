"""The warm-and-cold table compares a snapshot load with a full replay, or shows nothing."""

from __future__ import annotations

import pandas as pd

from helpers.bench import cold_warm_lines, cold_warm_table


def loads(*variants: str) -> pd.DataFrame:
    rows = [
        {
            "engine": "sqlite",
            "variant": v,
            "codec": "json",
            "events": 100,
            "cache": cache,
            "load": "latest",
            "median_us": 10.0 if v == "snapshot" else 500.0,
        }
        for v in variants
        for cache in ("warm", "cold")
    ]
    return pd.DataFrame(rows)


def test_without_both_strategies_the_table_is_empty_and_the_sentence_says_why():
    only_hybrid = loads("hybrid-25")
    assert cold_warm_table(only_hybrid).empty
    assert "needs both the snapshot and the event-sourced" in cold_warm_lines(only_hybrid)[0]


def test_with_both_strategies_each_length_gets_its_ratios():
    table = cold_warm_table(loads("snapshot", "event-sourced"))
    assert table.to_dict("records") == [
        {
            "engine": "sqlite",
            "codec": "json",
            "history (events)": "100",
            "snapshot warm (us)": "10",
            "replay warm (us)": "500",
            "replay / snapshot, warm": "50.0x",
            "snapshot cold (us)": "10",
            "replay cold (us)": "500",
            "replay / snapshot, cold": "50.0x",
        }
    ]

"""A flat strategy that could not be judged says which length the run would have needed."""

from __future__ import annotations

import pandas as pd

from helpers.bench import flatness_table


def test_an_unjudged_hybrid_names_the_length_it_needed_in_plain_words():
    table = flatness_table(pd.DataFrame(), {}, ["snapshot", "hybrid-100"], 1_234)
    reasons = dict(zip(table["strategy"], table["verdict"], strict=True))
    assert reasons["hybrid-100"] == (
        "not judged: needs a measured length below 1,234 events that is at least 199 "
        "(2 × interval − 1) and at least the flatness base"
    )
    assert reasons["snapshot"] == (
        "not judged: needs a measured length below 1,234 events that is at least the flatness base"
    )


def test_given_the_flatness_base_an_unjudged_strategy_names_the_one_length_it_needs():
    table = flatness_table(
        pd.DataFrame(), {}, ["snapshot", "hybrid-25", "hybrid-1000"], 3_000, 1_000
    )
    reasons = dict(zip(table["strategy"], table["verdict"], strict=True))
    assert reasons["hybrid-25"] == (
        "not judged: needs a measured length of at least 1,000 events "
        "(the flatness base, 1,000, and 2 × interval − 1 = 49) below 3,000"
    )
    assert reasons["hybrid-1000"].startswith(
        "not judged: needs a measured length of at least 1,999"
    )
    assert reasons["snapshot"] == (
        "not judged: needs a measured length of at least 1,000 events (the flatness base, 1,000) "
        "below 3,000"
    )

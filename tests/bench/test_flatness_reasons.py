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

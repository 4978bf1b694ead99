"""Checks on the *shape* of a run's results, stable enough to assert in a notebook.

Timings change from run to run and machine to machine, so the notebook never asserts a time.
It asserts what the benchmark is meant to show, with wide margins: event-sourced load time
grows roughly in proportion to history length (log-log slope near 1), snapshot and hybrid
loads do not grow with it (slope near 0), and every load in the table was checked.
"""

from __future__ import annotations

import pandas as pd

from helpers.bench.report import fit_costs

LINEAR_SLOPE = (0.7, 1.3)
FLAT_SLOPE = 0.25


def shape_checks(loads: pd.DataFrame) -> list[str]:
    """Assert the expected shapes; return one stable sentence per check that passed."""
    fits = fit_costs(loads)
    lines = [
        f"every load was checked: {len(loads)} timed cells, each matched the generator's "
        "balance, version and status (a wrong load raises WrongLoad instead)"
    ]
    low, high = LINEAR_SLOPE
    for row in fits.itertuples(index=False):
        if row.variant == "event-sourced":
            if not low <= row.loglog_slope <= high:
                raise AssertionError(
                    f"event-sourced ({row.codec}) log-log slope {row.loglog_slope:.2f} is "
                    f"outside {low}-{high}: replay should grow linearly with history"
                )
            lines.append(
                f"event-sourced load grows roughly linearly ({row.codec}): "
                f"log-log slope within {low}-{high}"
            )
        else:
            if abs(row.loglog_slope) > FLAT_SLOPE:
                raise AssertionError(
                    f"{row.variant} ({row.codec}) log-log slope {row.loglog_slope:.2f}: "
                    "its load should not grow with history length"
                )
            lines.append(
                f"{row.variant} load is flat ({row.codec}): |log-log slope| under {FLAT_SLOPE}"
            )
    return lines

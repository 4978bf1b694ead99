"""Figures for the lessons: each function takes data and an optional Axes, and returns None.

A notebook cell holds one call. The data is counted or drawn from the seeded workload, never
timed, so a figure is the same on every run; colours come from ``tab10`` and every series
also differs in marker or line style, so the figures read in grey and for colour-blind
readers. Nothing here changes matplotlib's settings on import.
"""

from helpers.teaching.figures.schema_timeline import (
    SchemaHistory,
    StoredRow,
    plot_schema_history,
    schema_history,
)
from helpers.teaching.figures.strategy_map import plot_strategy_map

__all__ = [
    "SchemaHistory",
    "StoredRow",
    "plot_schema_history",
    "plot_strategy_map",
    "schema_history",
]

"""Lesson figures: each a function that takes data and an optional matplotlib ``Axes``.

Without an ``Axes`` a function draws a new figure of about 7 by 3.5 inches; it returns None,
so a notebook cell holding one call shows the picture and no text repr of what it drew.
The data is counted or drawn from the seeded workload, never timed, so a figure is the same
on every run; colours come from ``tab10`` and every series also differs in marker or line
style, so the figures read in grey and for colour-blind readers. Nothing here changes
matplotlib's settings on import.
"""

from helpers.teaching.figures.balance import plot_balance_history, plot_snapshot_memory
from helpers.teaching.figures.cost_explorer import CostExplorer, cost_explorer, plot_cost_explorer
from helpers.teaching.figures.drift import plot_drift
from helpers.teaching.figures.engines import (
    plot_concurrency,
    plot_engine_ratios,
    plot_replay_by_engine,
)
from helpers.teaching.figures.event_stream import plot_as_of, plot_replay_work
from helpers.teaching.figures.schema_timeline import (
    SchemaHistory,
    StoredRow,
    plot_schema_history,
    schema_history,
)
from helpers.teaching.figures.snapshot_loads import (
    plot_load_path,
    plot_replay_sawtooth,
    replays_per_load,
)
from helpers.teaching.figures.strategy_map import plot_strategy_map

__all__ = [
    "CostExplorer",
    "SchemaHistory",
    "StoredRow",
    "cost_explorer",
    "plot_as_of",
    "plot_balance_history",
    "plot_concurrency",
    "plot_cost_explorer",
    "plot_drift",
    "plot_engine_ratios",
    "plot_load_path",
    "plot_replay_by_engine",
    "plot_replay_sawtooth",
    "plot_replay_work",
    "plot_schema_history",
    "plot_snapshot_memory",
    "plot_strategy_map",
    "replays_per_load",
    "schema_history",
]

"""Lesson figures: each a function that takes data and an optional matplotlib ``Axes``.

Without an ``Axes`` a function draws a new figure of about 7 by 3.5 inches; it returns None,
so a notebook cell holding one call shows the picture and no text repr of what it drew.
"""

from helpers.teaching.figures.balance import plot_balance_history, plot_snapshot_memory
from helpers.teaching.figures.drift import plot_drift
from helpers.teaching.figures.event_stream import plot_as_of, plot_replay_work
from helpers.teaching.figures.snapshot_loads import (
    plot_load_path,
    plot_replay_sawtooth,
    replays_per_load,
)

__all__ = [
    "plot_as_of",
    "plot_balance_history",
    "plot_drift",
    "plot_load_path",
    "plot_replay_sawtooth",
    "plot_replay_work",
    "plot_snapshot_memory",
    "replays_per_load",
]

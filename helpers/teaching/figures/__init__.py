"""Lesson figures: each a function that takes data and an optional matplotlib ``Axes``.

Without an ``Axes`` a function draws a new figure of about 7 by 3.5 inches; it returns None,
so a notebook cell holding one call shows the picture and no text repr of what it drew.
"""

from helpers.teaching.figures.balance import plot_balance_history, plot_snapshot_memory
from helpers.teaching.figures.event_stream import plot_as_of, plot_replay_work

__all__ = [
    "plot_as_of",
    "plot_balance_history",
    "plot_replay_work",
    "plot_snapshot_memory",
]

"""Figures for the lessons: one plotting function per picture, each taking data and an Axes.

A notebook cell holds one call; the function draws on the given ``Axes`` or, without one,
on a small new figure, and returns None so that no ``Line2D`` repr lands in the outputs.
"""

from helpers.teaching.figures.drift import plot_drift
from helpers.teaching.figures.snapshot_loads import (
    plot_load_path,
    plot_replay_sawtooth,
    replays_per_load,
)

__all__ = ["plot_drift", "plot_load_path", "plot_replay_sawtooth", "replays_per_load"]

"""Figures for the notebooks: one plotting function per figure, taking its data and an Axes."""

from helpers.teaching.figures.engines import (
    plot_concurrency,
    plot_engine_ratios,
    plot_replay_by_engine,
)

__all__ = ["plot_concurrency", "plot_engine_ratios", "plot_replay_by_engine"]

"""Figures for notebook 09 (and 06): the same costs on SQLite and on PostgreSQL, side by side.

The functions live in ``helpers.bench.engine_figures``, so that the benchmark's command line
draws the same pictures into its PNG files; this module keeps their place among the lesson
figures.
"""

from helpers.bench.engine_figures import (
    STYLE,
    plot_concurrency,
    plot_engine_ratios,
    plot_replay_by_engine,
    ratio_bars,
)

__all__ = [
    "STYLE",
    "plot_concurrency",
    "plot_engine_ratios",
    "plot_replay_by_engine",
    "ratio_bars",
]

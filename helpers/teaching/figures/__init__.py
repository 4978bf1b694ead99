"""Lesson figures: each a function that takes data and an optional matplotlib ``Axes``.

Without an ``Axes`` a function draws a new figure of about 7 by 3.5 inches; it returns None,
so a notebook cell holding one call shows the picture and no text repr of what it drew.
"""

from helpers.teaching.figures.cost_explorer import CostExplorer, cost_explorer, plot_cost_explorer

__all__ = ["CostExplorer", "cost_explorer", "plot_cost_explorer"]

"""The cost explorer of notebook 06: what one aggregate costs against its snapshot interval.

``plot_cost_explorer`` draws one case from measured unit costs (``helpers.bench.explorer``):
the expected load, the write and the time per event written (a write plus its share of
loads), with the storage on a second axis, and marks the interval where the time is least.
It is a plain function, so a notebook can store its figure and a test can call it.

``cost_explorer`` wraps it in sliders. The sliders' figure is drawn into an image widget
(rendered off screen), never printed into an ``ipywidgets.Output`` while a cell runs, and the
widget's stored text form is one fixed sentence: a stored notebook stays reproducible.
"""

from __future__ import annotations

import io

import ipywidgets as widgets

from helpers.bench.explorer import ExplorerUnits, cost_curves, costs_at, optimum_interval


def plot_cost_explorer(
    units: ExplorerUnits, events: int, interval: int | None, loads_per_write: float, ax=None
) -> None:
    """Costs of one aggregate of ``events`` events against the snapshot interval, log-log."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 3.5))
    curves = cost_curves(units, events, loads_per_write)
    best = optimum_interval(units, events, loads_per_write)
    none = costs_at(units, events, None, loads_per_write)
    x = curves["interval"]
    ax.plot(x, curves["total_us"], "-", color="black", label="write + loads per event written")
    ax.plot(x, curves["load_us"], "--", color="tab:blue", label="one load")
    ax.plot(x, curves["write_us"], ":", color="tab:orange", label="one write")
    ax.axhline(none.total_us, color="grey", lw=0.8, label="no snapshots at all")
    if best.interval is not None:
        label = f"optimum: every {best.interval:,}"
        ax.axvline(best.interval, color="tab:green", lw=1.2, label=label)
    if interval is not None and interval >= 1 and interval <= events:
        mine = costs_at(units, events, interval, loads_per_write)
        ax.plot([interval], [mine.total_us], "o", color="tab:red", label=f"your N = {interval:,}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("snapshot interval N (events, log scale)")
    ax.set_ylabel("microseconds (log scale)")
    storage = ax.twinx()
    storage.plot(x, curves["storage_bytes"] / 1_000, "-.", color="tab:purple", lw=0.9)
    storage.set_ylim(bottom=0)
    storage.set_ylabel("storage (KB, dash-dot)", color="tab:purple")
    every = f"a snapshot every {best.interval:,} events"
    choice = "no snapshots" if best.interval is None else every
    ax.set_title(
        f"{choice} is cheapest ({events:,} events, loads per write: {loads_per_write:g})\n"
        f"({units.engine}, {units.codec}; unit costs from {units.source})",
        fontsize="medium",
    )
    ax.legend(fontsize="x-small", loc="lower right", framealpha=0.9)


def _png(units: ExplorerUnits, events: int, interval: int, loads_per_write: float) -> bytes:
    """The figure as PNG bytes, drawn off screen (no pyplot: nothing appears in the cell)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.5), dpi=80)
    FigureCanvasAgg(figure)
    plot_cost_explorer(units, events, interval, loads_per_write, ax=figure.add_subplot())
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class CostExplorer(widgets.VBox):
    """Sliders for events, interval and loads per write, a choice of measured unit costs,
    and the figure, redrawn into an image whenever a value changes."""

    def __init__(
        self,
        choices: dict[str, ExplorerUnits],
        events: int = 10_000,
        interval: int = 100,
        loads_per_write: float = 1.0,
    ) -> None:
        if not choices:
            raise ValueError("the explorer needs at least one set of measured unit costs")
        self.choices = choices
        self.units = widgets.Dropdown(options=list(choices), description="unit costs")
        self.events = _log_slider("events", events, 1, 6)
        self.interval = _log_slider("interval N", interval, 0, 5)
        self.loads = _log_slider("loads/write", loads_per_write, -2, 3)
        self.image = widgets.Image(format="png")
        self.note = widgets.HTML("<em>Move a slider: the figure for your case is drawn here.</em>")
        for control in (self.units, self.events, self.interval, self.loads):
            control.observe(self.redraw, names="value")
        super().__init__(
            children=[self.units, self.events, self.interval, self.loads, self.note, self.image]
        )

    def redraw(self, _change: object = None) -> None:
        units = self.choices[self.units.value]
        events = max(1, round(self.events.value))
        interval = max(1, round(self.interval.value))
        self.image.value = _png(units, events, interval, float(self.loads.value))
        self.note.value = ""

    def __repr__(self) -> str:
        # The stored text form: fixed, so nbval compares it reliably, and readable where no
        # widget can be drawn (a static page, a text-only viewer).
        return "[interactive cost explorer: open the notebook in Jupyter to move the sliders]"


def _log_slider(label: str, value: float, low: int, high: int) -> widgets.FloatLogSlider:
    return widgets.FloatLogSlider(
        value=value,
        base=10,
        min=low,
        max=high,
        step=0.05,
        description=label,
        readout_format=".3g",
        continuous_update=False,
        layout=widgets.Layout(width="420px"),
    )


def cost_explorer(choices: dict[str, ExplorerUnits], **start: float) -> CostExplorer:
    """The explorer with these unit-cost choices (a label for each) and starting values."""
    return CostExplorer(choices, **start)

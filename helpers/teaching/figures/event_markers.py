"""How the lesson figures draw one account's events, so every figure reads the same way.

Each kind of event gets a colour from ``tab10`` *and* its own marker shape: a reader who prints
in grey, or who cannot tell orange from blue, still tells a deposit (triangle up) from a
withdrawal (triangle down). Figures are 7 by 3.5 inches unless the caller supplies an ``Axes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from helpers.domain import DomainEvent

FIGSIZE = (7.0, 3.5)


@dataclass(frozen=True)
class EventStyle:
    label: str
    marker: str
    colour: str


EVENT_STYLES: dict[str, EventStyle] = {
    "AccountOpened": EventStyle("opened", "s", "tab:gray"),
    "MoneyDeposited": EventStyle("deposit", "^", "tab:blue"),
    "MoneyWithdrawn": EventStyle("withdrawal", "v", "tab:orange"),
    "AccountFrozen": EventStyle("frozen", "D", "tab:purple"),
    "AccountUnfrozen": EventStyle("unfrozen", "P", "tab:green"),
    "AccountClosed": EventStyle("closed", "X", "tab:brown"),
}
"""Event type name -> how it is drawn. Every marker differs in shape, not only in size, so grey
prints stay readable and a hollow marker (an event after an "as of" cut) is still told apart."""

WARNING_STYLE = EventStyle("low-balance warning (heard, never stored)", "*", "tab:red")


def axes_or_new(ax: Axes | None) -> Axes:
    """The caller's axes, or a new figure of the pack's usual size."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=FIGSIZE)
    return ax


def style_of(event: DomainEvent) -> EventStyle:
    return EVENT_STYLES[type(event).__name__]


def kinds_in(events: Iterable[DomainEvent]) -> list[str]:
    """The event type names that occur, in the order of ``EVENT_STYLES`` (a stable legend)."""
    present = {type(event).__name__ for event in events}
    return [name for name in EVENT_STYLES if name in present]


def separate_thousands(ax: Axes, axis: str = "y") -> None:
    """Write tick labels with thousands separators (45,000 rather than 45000 or 4.5e4)."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}"))

"""Figures for notebooks 01 and 02: one account's balance over its versions.

Both are drawn from a history of domain events, read from a store or from an account, so the
picture shows what the data holds rather than what the prose claims. 01 adds what the account
announced but never stored (the low-balance warnings); 02 shows what a snapshot row keeps of
the same kind of history: its last point only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from helpers.domain import (
    LOW_BALANCE_THRESHOLD,
    AccountState,
    DomainEvent,
    LowBalanceWarning,
    MoneyDeposited,
    MoneyWithdrawn,
    evolve,
)
from helpers.teaching.figures.event_markers import (
    EVENT_STYLES,
    WARNING_STYLE,
    axes_or_new,
    kinds_in,
    separate_thousands,
)

MAX_LABELLED_EVENTS = 12
"""Beyond this many events, point labels would overlap, so none are written."""

WARNING_OFFSET = 0.3
"""How far right of its withdrawal (in versions) a warning is drawn: between two versions."""


def plot_balance_history(
    events: Iterable[DomainEvent],
    warnings: Iterable[LowBalanceWarning] = (),
    *,
    threshold: int = LOW_BALANCE_THRESHOLD,
    ax: Axes | None = None,
) -> None:
    """The balance after every stored event, each marked by its kind; warnings drawn apart.

    A warning is drawn at the balance it reports, just right of the withdrawal that caused it
    (matched by account and moment): beside the line, not on it, because it has no version of
    its own - it was heard by subscribers, never stored.
    """
    events = list(events)
    warnings = list(warnings)
    ax = axes_or_new(ax)
    versions, balances = _balances(events)
    _draw_path(ax, versions, balances, events, label="balance after each stored event")
    ax.axhline(threshold, linestyle="--", linewidth=1, color="tab:red", alpha=0.7)
    ax.annotate(
        f"warning threshold ({threshold:,} cents)",
        (versions[0], threshold),
        xytext=(0, 3),
        textcoords="offset points",
        fontsize="small",
        color="tab:red",
    )
    if warnings:
        _draw_warnings(ax, events, balances, warnings)
    _finish(ax, versions, ylabel="balance after the event (cents)")
    heard = f"{len(warnings)} warning{'' if len(warnings) == 1 else 's'}"
    ax.set_title(
        f"{len(events)} events stored; {heard} heard, none stored"
        if warnings
        else f"{len(events)} events stored"
    )


def plot_snapshot_memory(
    events: Iterable[DomainEvent], snapshot: AccountState, *, ax: Axes | None = None
) -> None:
    """A history drawn faint, and the one point a snapshot row keeps of it drawn solid."""
    events = list(events)
    ax = axes_or_new(ax)
    versions, balances = _balances(events)
    ax.plot(
        versions,
        balances,
        drawstyle="steps-post",
        linestyle="--",
        color="0.6",
        label="the path: forgotten at save",
    )
    ax.scatter(versions, balances, marker="o", facecolors="none", edgecolors="0.5", zorder=3)
    if len(events) <= MAX_LABELLED_EVENTS:
        _label_steps(ax, versions, balances, events)
    ax.scatter(
        [snapshot.version],
        [snapshot.balance],
        marker="o",
        s=120,
        color="tab:blue",
        edgecolors="black",
        zorder=4,
        label=f"the row keeps: version {snapshot.version}, {snapshot.balance:,} cents",
    )
    _finish(ax, versions, ylabel="balance (cents)")
    ax.set_title("A snapshot keeps the last point and forgets the path to it")


def _balances(events: Sequence[DomainEvent]) -> tuple[list[int], list[int]]:
    if not events:
        raise ValueError("there is nothing to draw: the history has no events")
    versions, balances, state = [], [], None
    for event in events:
        state = evolve(state, event)
        versions.append(event.version)
        balances.append(state.balance)
    return versions, balances


def _draw_path(
    ax: Axes, versions: list[int], balances: list[int], events: list[DomainEvent], label: str
) -> None:
    ax.plot(versions, balances, drawstyle="steps-post", color="0.6", linewidth=1, label=label)
    for kind in kinds_in(events):
        style = EVENT_STYLES[kind]
        points = [
            (v, b)
            for v, b, e in zip(versions, balances, events, strict=True)
            if type(e).__name__ == kind
        ]
        ax.scatter(
            [v for v, _ in points],
            [b for _, b in points],
            marker=style.marker,
            s=60,
            color=style.colour,
            edgecolors="black",
            linewidths=0.5,
            zorder=3,
            label=f"{style.label} (stored)",
        )


def _draw_warnings(
    ax: Axes, events: list[DomainEvent], balances: list[int], warnings: list[LowBalanceWarning]
) -> None:
    """Each warning a hollow star at its balance, beside its withdrawal, joined by a dotted line.

    The star's height is the balance the warning reports, so it reads correctly on the y-axis;
    its offset to the right says it sits between versions: it is no stored event.
    """
    for index, warning in enumerate(warnings):
        version = _version_of(warning, events)
        beside = version + WARNING_OFFSET
        ax.plot([version, beside], [warning.balance, warning.balance], ":", color="0.4")
        ax.scatter(
            [beside],
            [warning.balance],
            marker=WARNING_STYLE.marker,
            s=180,
            facecolors="none",
            edgecolors=WARNING_STYLE.colour,
            linewidths=1.5,
            zorder=4,
            label=WARNING_STYLE.label if index == 0 else None,
        )


def _label_steps(
    ax: Axes, versions: list[int], balances: list[int], events: list[DomainEvent]
) -> None:
    """Write what happened above each step of the path (the last one below, left of its point)."""
    for version, balance, event in zip(versions, balances, events, strict=True):
        last = version == versions[-1]
        ax.annotate(
            _what_happened(event),
            (version - 0.1 if last else version + 0.5, balance),
            xytext=(0, -3) if last else (0, 3),
            textcoords="offset points",
            ha="right" if last else "center",
            va="top" if last else "bottom",
            fontsize="x-small",
            linespacing=1.0,
            color="0.35",
        )
    ax.margins(y=0.15)


def _version_of(warning: LowBalanceWarning, events: list[DomainEvent]) -> int:
    for event in events:
        if (
            isinstance(event, MoneyWithdrawn)
            and event.account_id == warning.account_id
            and event.occurred_at == warning.occurred_at
        ):
            return event.version
    raise ValueError(
        f"no stored withdrawal of account {warning.account_id!r} at {warning.occurred_at} "
        "matches this warning: pass the history the warning was published for"
    )


def _what_happened(event: DomainEvent) -> str:
    if isinstance(event, MoneyDeposited):
        return f"+{event.amount:,}\n{event.reference}"
    if isinstance(event, MoneyWithdrawn):
        return f"−{event.amount:,}\n{event.reference}"
    return EVENT_STYLES[type(event).__name__].label


def _finish(ax: Axes, versions: list[int], ylabel: str) -> None:
    ax.set_xlabel("account version (events so far)")
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(min(versions) - 0.5, max(versions) + 0.5)
    separate_thousands(ax)
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)

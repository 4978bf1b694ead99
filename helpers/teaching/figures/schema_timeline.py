"""Figure (07): one account's stored rows by schema version, the upcast path, skipped snapshots.

The lesson's point is a shape: rows of several schema versions side by side in one history,
old events lifted to the current shape on every read, and an old-shape snapshot that is not
lifted but skipped. :func:`schema_history` reads that shape from a store - asking the store's
own codec which rows it upcasts and which snapshots it refuses, so the picture shows what the
code does, not what the lesson claims - and :func:`plot_schema_history` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.errors import StaleSnapshot
from helpers.storage.codec import DecodeError
from helpers.storage.event_store import EventSourcedRepository

OLD, STILL_CURRENT, CURRENT = "tab:orange", "tab:green", "tab:blue"
"""tab10 colours, each with its own marker shape too, so the groups part in grey as well."""

SNAPSHOT_DROP = 0.22
"""Snapshots are drawn this far below their schema's line: beside the event of their version,
not on top of it, and clear of the upcast arrows above the line."""


@dataclass(frozen=True)
class StoredRow:
    """One stored row: its version, what it is, its stored schema, and how a load treats it."""

    version: int
    kind: str  # the event type, or "snapshot"
    schema: int
    upcast: bool  # read through an upcaster (events only)
    skipped: bool = False  # refused on load (snapshots only)


@dataclass(frozen=True)
class SchemaHistory:
    """The stored rows of one account, events and snapshots, oldest first."""

    account_id: str
    events: tuple[StoredRow, ...]
    snapshots: tuple[StoredRow, ...]
    current_schema: int  # the newest schema version among the events the code writes


def schema_history(repo: EventSourcedRepository, account_id: str) -> SchemaHistory:
    """Read one account's rows and ask the store's codec how each one is treated on load."""
    registry = repo.codec.registry
    events = tuple(
        StoredRow(version, kind, schema, upcast=schema < registry.type_for(kind).schema_version)
        for version, kind, schema in repo.conn.execute(
            "SELECT version, event_type, schema_version FROM events WHERE account_id = ? "
            "ORDER BY version",
            (account_id,),
        )
    )
    snapshots = tuple(
        StoredRow(version, "snapshot", schema, upcast=False, skipped=_refused(repo, schema, text))
        for version, schema, text in repo.conn.execute(
            "SELECT version, schema_version, state FROM snapshots WHERE account_id = ? "
            "ORDER BY version",
            (account_id,),
        )
    )
    current = max(registry.type_for(name).schema_version for name in registry.names())
    return SchemaHistory(account_id, events, snapshots, current)


def _refused(repo: EventSourcedRepository, schema: int, text: str) -> bool:
    try:
        repo.codec.decode_state(schema, text)
    except (StaleSnapshot, DecodeError):
        return True
    return False


def plot_schema_history(history: SchemaHistory, ax=None) -> None:
    """Stored schema version against account version, with the upcast path and skipped snapshots.

    Events sit at the schema they were stored in: orange triangles for rows lifted by an
    upcaster on every read (the arrows), green diamonds for an old schema that is still its
    event type's current one (schema versions are counted per event type), blue circles for
    the newest. A snapshot sits just below its schema's line, at its version: a grey square
    with a cross when the load refuses it; the bracket below shows what the load replays
    instead.
    """
    import matplotlib.pyplot as plt
    from matplotlib.legend_handler import HandlerTuple

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
    _draw_events(ax, history)
    last = max((row.version for row in history.events), default=1)
    ax.set_xlim(0, last + 2)
    ax.set_ylim(0.2, history.current_schema + 1.5)  # room for the legend above the rows
    ax.set_yticks(range(1, history.current_schema + 1))
    ax.set_xlabel(f"version in {history.account_id}'s history (event number)")
    ax.set_ylabel("stored schema version")
    ax.set_title("Old events are upcast on every read; the old snapshot is skipped", fontsize=11)
    keys = _draw_snapshots(ax, history)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        [keys.get(label, handle) for handle, label in zip(handles, labels, strict=True)],
        labels,
        handler_map={tuple: HandlerTuple(ndivide=1)},
        loc="upper left",
        ncols=2,
        fontsize="small",
        framealpha=0.95,
    )
    ax.grid(axis="y", linestyle=":", linewidth=0.6)


EVENT_GROUPS = (
    ("upcast", "event in an old schema, upcast on read", OLD, "^"),
    ("old", "event whose type never changed shape", STILL_CURRENT, "D"),
    ("newest", "event in the newest schema", CURRENT, "o"),
)


def _group(row: StoredRow, current: int) -> str:
    if row.upcast:
        return "upcast"
    return "newest" if row.schema == current else "old"


def _draw_events(ax, history: SchemaHistory) -> None:
    current = history.current_schema
    for key, label, colour, marker in EVENT_GROUPS:
        rows = [row for row in history.events if _group(row, current) == key]
        if rows:
            ax.scatter(
                [row.version for row in rows],
                [row.schema for row in rows],
                s=18,
                color=colour,
                marker=marker,
                label=f"{label} ({len(rows)})",
                zorder=3,
            )
    upcast = [row for row in history.events if row.upcast]
    if upcast:  # one line and one arrow head per upcast row: cheap to draw, even for long histories
        versions = [row.version for row in upcast]
        ax.vlines(
            versions, [row.schema + 0.1 for row in upcast], current - 0.1, color="0.6", lw=0.6
        )
        ax.scatter(versions, [current - 0.12] * len(upcast), marker="^", s=12, color="0.6")
    if upcast:
        middle = (upcast[0].version + upcast[-1].version) / 2
        ax.text(
            middle,
            (upcast[0].schema + current) / 2,
            "upcaster, on every read",
            ha="center",
            va="center",
            fontsize=8,
            bbox={"facecolor": "white", "edgecolor": "0.6", "boxstyle": "round"},
        )


def _draw_snapshots(ax, history: SchemaHistory) -> dict[str, tuple]:
    """Draw the snapshots; return the legend keys drawn from two markers (square and cross)."""
    keys: dict[str, tuple] = {}
    for skipped, label, colour in (
        (False, "snapshot, used by a load", "black"),
        (True, "snapshot in an old shape, skipped", "0.35"),
    ):
        rows = [row for row in history.snapshots if row.skipped is skipped]
        if not rows:
            continue
        versions = [row.version for row in rows]
        lifted = [row.schema - SNAPSHOT_DROP for row in rows]
        square = ax.scatter(
            versions,
            lifted,
            s=90,
            marker="s",
            facecolor="none",
            edgecolor=colour,
            linewidth=1.2,
            label=label,
            zorder=4,
        )
        ax.vlines(versions, [row.schema - 0.08 for row in rows], lifted, color=colour, lw=0.6)
        if skipped:
            cross = ax.scatter(versions, lifted, s=60, marker="x", color=colour, zorder=4)
            keys[label] = (square, cross)
    if history.snapshots and history.snapshots[-1].skipped and history.events:
        _draw_replay(ax, history)
    return keys


def _draw_replay(ax, history: SchemaHistory) -> None:
    """The bracket under the events a load replays when the newest snapshot is skipped."""
    base = max((row.version for row in history.snapshots if not row.skipped), default=0)
    last = history.events[-1].version
    ax.annotate(
        "",
        xy=(last, 0.42),
        xytext=(base + 1, 0.42),
        arrowprops={"arrowstyle": "|-|", "color": "black", "lw": 0.8},
    )
    what = f"all {last} events" if base == 0 else f"events {base + 1} to {last}"
    ax.text(
        (base + 1 + last) / 2,
        0.48,
        f"so a load replays {what}",
        ha="center",
        va="bottom",
        fontsize=8,
    )

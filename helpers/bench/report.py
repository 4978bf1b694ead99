"""Writing and reading results: CSV files with the environment as header lines, PNG plots.

Each table goes to ``<out>/<table>.csv``. Its first lines are ``# key: value`` comments (the
machine, CPU, Python, SQLite and package versions, load average, preset and run time), so
``pandas.read_csv(path, comment="#")`` reads the table and ``read_header`` reads the rest.
The plotting functions draw on a given matplotlib Axes, so the notebook and the command line
draw the same pictures from the same code.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.bench import targets as target_rules

PLOT_DPI = 80
"""Small PNGs: the reference plots are committed to the repository."""


# --- CSV ------------------------------------------------------------------------------------


def write_tables(results, out: Path) -> list[Path]:
    """Write every table as CSV with the header comments; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    header = dict(results.environment)
    header["run_seconds"] = f"{results.seconds:.1f}"
    written = []
    for name, frame in results.tables.items():
        path = out / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            for key, value in header.items():
                handle.write(f"# {key}: {value}\n")
            frame.to_csv(handle, index=False, float_format="%.4g")
        written.append(path)
    return written


REFERENCE = Path(__file__).resolve().parents[2] / "data" / "bench" / "reference"
"""The committed reference run (``make bench-full`` with ``--out data/bench/reference``)."""


def reference_folder(override: str | Path = "") -> Path:
    """``override`` if given, else the pack's committed reference results."""
    return Path(override) if str(override) else REFERENCE


def read_header(path: Path) -> dict[str, str]:
    """The ``# key: value`` lines at the top of a result CSV."""
    header = {}
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("# "):
                break
            key, _, value = line[2:].rstrip("\n").partition(": ")
            header[key] = value
    return header


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every ``<table>.csv`` in ``folder`` as a DataFrame (comment lines skipped)."""
    return {
        path.stem: pd.read_csv(path, comment="#") for path in sorted(Path(folder).glob("*.csv"))
    }


# --- fitted costs ---------------------------------------------------------------------------


def fit_costs(loads: pd.DataFrame, min_events: int = 1_000) -> pd.DataFrame:
    """Per variant and codec: log-log slope and a linear fit ``time = fixed + cost * events``.

    The slope says how load time grows (1: linearly with history, 0: flat). Only lengths of
    at least ``min_events`` enter the fit when there are two or more, so the fixed cost of a
    query does not bend the line at the short end.
    """
    rows = []
    latest = loads[loads["load"] == "latest"]
    for (variant, codec), cell in latest.groupby(["variant", "codec"], sort=False):
        cell = cell.sort_values("events")
        if (cell["events"] >= min_events).sum() >= 2:
            cell = cell[cell["events"] >= min_events]
        if len(cell) < 2:
            continue
        x, y = cell["events"].to_numpy(float), cell["median_us"].to_numpy(float)
        slope = float(np.polyfit(np.log10(x), np.log10(y), 1)[0])
        per_event, fixed = (float(v) for v in np.polyfit(x, y, 1))
        rows.append(
            {
                "variant": variant,
                "codec": codec,
                "loglog_slope": slope,
                "fitted_us_per_event": per_event,
                "fitted_fixed_us": fixed,
                "lengths": f"{int(x.min()):,}-{int(x.max()):,}",
            }
        )
    return pd.DataFrame(rows)


# --- plots ----------------------------------------------------------------------------------


def plot_load_vs_length(loads: pd.DataFrame, ax, codec: str = "json", title: str = "") -> None:
    """Median load time against history length, log-log, one line per strategy."""
    latest = loads[(loads["load"] == "latest") & (loads["codec"] == codec)]
    fits = fit_costs(loads)
    for variant, cell in latest.groupby("variant", sort=False):
        cell = cell.sort_values("events")
        fit = fits[(fits["variant"] == variant) & (fits["codec"] == codec)]
        label = variant
        if not fit.empty and fit["loglog_slope"].iloc[0] > 0.5:
            label += f" (~{fit['fitted_us_per_event'].iloc[0]:.2f} us/event)"
        ax.errorbar(
            cell["events"],
            cell["median_us"],
            yerr=[cell["median_us"] - cell["min_us"], cell["max_us"] - cell["median_us"]],
            marker="o",
            markersize=3,
            capsize=2,
            label=label,
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("history length (events)")
    ax.set_ylabel("load time (us, median; bars: min-max)")
    ax.set_title(title or f"Load time against history length ({codec} codec)")
    ax.legend(fontsize="small")


def plot_writes_and_storage(writes: pd.DataFrame, storage: pd.DataFrame, axes) -> None:
    """Left: write cost per command; right: bytes per event at the largest length."""
    left, right = axes
    variants = list(writes["variant"].unique())
    codecs = list(writes["codec"].unique())
    width = 0.8 / max(len(codecs), 1)
    for index, codec in enumerate(codecs):
        cell = writes[writes["codec"] == codec].set_index("variant").reindex(variants)
        positions = np.arange(len(variants)) + (index - (len(codecs) - 1) / 2) * width
        left.bar(positions, cell["us_per_command"], width=width, label=f"{codec} codec")
    left.set_xticks(np.arange(len(variants)), variants)
    left.set_ylabel("write cost (us per command, own transaction)")
    left.set_title("Write cost per command")
    left.tick_params(axis="x", rotation=45)
    left.legend(fontsize="small")
    largest = storage["events"].max()
    cell = storage[storage["events"] == largest]
    right.bar(cell["variant"], cell["bytes_per_event"], color="tab:green")
    right.set_ylabel("bytes on disk per event")
    right.set_title(f"Storage at {largest:,} events")
    right.tick_params(axis="x", rotation=45)


def plot_breakdown(breakdown: pd.DataFrame, ax) -> None:
    """Stacked bars: microseconds per event in each replay stage, one bar per codec."""
    stages = [s for s in breakdown["stage"].unique() if s != "full replay"]
    table = breakdown.pivot(index="codec", columns="stage", values="us_per_event")
    bottom = np.zeros(len(table))
    for stage in stages:
        values = table[stage].clip(lower=0).to_numpy()
        ax.bar(table.index, values, bottom=bottom, label=stage)
        bottom += values
    events = int(breakdown["events"].iloc[0])
    ax.set_ylabel("us per event (CPU time, fastest round)")
    ax.set_xlabel("codec")
    ax.set_title(f"Where replay time goes ({events:,} events)")
    # beside the bars, not over them, and listed top to bottom in the order of the stack
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        handles[::-1], labels[::-1], fontsize="small", loc="center left", bbox_to_anchor=(1, 0.5)
    )


def plot_codecs(loads: pd.DataFrame, ax) -> None:
    """Event-sourced per-event load cost against length, one line per codec."""
    cell = loads[(loads["variant"] == "event-sourced") & (loads["load"] == "latest")]
    for codec, rows in cell.groupby("codec", sort=False):
        rows = rows.sort_values("events")
        ax.plot(rows["events"], rows["us_per_event"], marker="o", label=f"{codec} codec")
    for name, limit in (("json", 5.0), ("msgspec", 1.5)):
        ax.axhline(limit, linestyle=":", color="grey")
        # at the right-hand end, just above the line, where it does not sit on a data point
        ax.annotate(
            f"{name} target ({limit:g} us/event)",
            (cell["events"].max(), limit),
            fontsize="small",
            ha="right",
            va="bottom",
        )
    ax.set_xscale("log")
    ax.set_xlabel("history length (events)")
    ax.set_ylabel("load time per event (us)")
    ax.set_title("Event-sourced replay: codec comparison")
    ax.legend(fontsize="small")


def write_plots(results, out: Path) -> list[Path]:
    """Draw the standard figures into PNG files; return them."""
    import matplotlib.pyplot as plt

    tables = results.tables
    written = []

    def save(fig, name: str) -> None:
        path = out / name
        fig.tight_layout()
        fig.savefig(path, dpi=PLOT_DPI)
        plt.close(fig)
        written.append(path)

    codecs = list(tables["loads"]["codec"].unique())
    fig, axes = plt.subplots(1, len(codecs), figsize=(6 * len(codecs), 4), squeeze=False)
    for ax, codec in zip(axes[0], codecs, strict=True):
        plot_load_vs_length(tables["loads"], ax, codec)
    save(fig, "load_vs_length.png")
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    plot_writes_and_storage(tables["writes"], tables["storage"], axes)
    save(fig, "writes_and_storage.png")
    if not tables["breakdown"].empty:
        fig, ax = plt.subplots(figsize=(5, 4))
        plot_breakdown(tables["breakdown"], ax)
        save(fig, "replay_breakdown.png")
    fig, ax = plt.subplots(figsize=(6, 4))
    plot_codecs(tables["loads"], ax)
    save(fig, "codecs.png")
    fig, ax = plt.subplots(figsize=(9, 1.0 + 0.55 * len(tables["targets"])))
    plot_targets(tables["targets"], ax)
    save(fig, "targets.png")
    return written


def plot_targets(table: pd.DataFrame, ax) -> None:
    """Measured value as a fraction of its limit: below 1 passes (info rows are not drawn)."""
    judged = table[table["status"].isin(["PASS", "MISS"])]
    fractions = judged["measured"] / judged["limit"]
    colours = ["tab:green" if s == "PASS" else "tab:red" for s in judged["status"]]
    labels = [
        textwrap.fill(f"{t}: {m:.3g} (limit {lim:g} {u})", 48)
        for t, m, lim, u in zip(
            judged["target"], judged["measured"], judged["limit"], judged["unit"], strict=True
        )
    ]
    ax.barh(labels, fractions, color=colours)
    ax.axvline(1.0, color="black", linestyle="--")
    ax.set_xlabel("measured / limit (left of the dashed line: PASS)")
    ax.set_title("Targets from issue 4")
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.2, math.ceil(float(fractions.max() if len(fractions) else 1) * 10) / 10))


def summary_lines(results) -> list[str]:
    return target_rules.verdict_lines(results.tables["targets"])


# --- summaries for the notebook ------------------------------------------------------------


def payoff_table(tables: dict[str, pd.DataFrame], codec: str = "json") -> pd.DataFrame:
    """Per snapshot interval: when a hybrid beats a full replay, and what it costs to write.

    "Pays off from" is the shortest measured history at which the event-sourced load is
    slower than the hybrid's worst case (the newest snapshot ``interval - 1`` events behind).
    """
    loads, writes, storage = tables["loads"], tables["writes"], tables["storage"]
    es = loads[(loads["variant"] == "event-sourced") & (loads["codec"] == codec)]
    es = es[es["load"] == "latest"].set_index("events")["median_us"]
    largest = int(loads["events"].max())
    rows = []
    for variant in sorted(loads.loc[loads["strategy"] == "hybrid", "variant"].unique(), key=len):
        mine = loads[(loads["variant"] == variant) & (loads["codec"] == codec)]
        worst = mine[mine["load"] == "worst tail"].set_index("events")["median_us"]
        wins = [n for n in worst.index if n in es.index and es[n] > worst[n]]
        write = writes[(writes["variant"] == variant) & (writes["codec"] == codec)]
        size = storage[(storage["variant"] == variant) & (storage["events"] == largest)]
        rows.append(
            {
                "hybrid": variant,
                "pays off from (events)": min(wins) if wins else None,
                f"worst-case load at {largest:,} (us)": worst.get(largest),
                "write cost (us/command)": write["us_per_command"].mean(),
                "bytes per event on disk": size["bytes_per_event"].mean(),
            }
        )
    return pd.DataFrame(rows)


def compare_with_reference(
    mine: pd.DataFrame, reference: pd.DataFrame, variants: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Median load times of this run beside the reference run, where both measured a cell."""
    keys = ["variant", "codec", "events"]
    left = mine[mine["load"] == "latest"][[*keys, "median_us"]]
    right = reference[reference["load"] == "latest"][[*keys, "median_us"]]
    both = left.merge(right, on=keys, suffixes=(" here", " reference"))
    if variants:
        both = both[both["variant"].isin(variants)]
    both["here / reference"] = both["median_us here"] / both["median_us reference"]
    return both.rename(
        columns={"median_us here": "load here (us)", "median_us reference": "reference (us)"}
    ).reset_index(drop=True)


READABLE = {
    "variant": "strategy",
    "codec": "codec",
    "events": "history (events)",
    "load": "load",
    "median_us": "median (us)",
    "min_us": "min (us)",
    "max_us": "max (us)",
    "us_per_event": "us per event",
    "cpu_median_us": "CPU median (us)",
    "events_replayed": "events replayed",
    "repeats": "repeats",
    "loglog_slope": "log-log slope",
    "fitted_us_per_event": "fitted us per event",
    "fitted_fixed_us": "fitted fixed cost (us)",
    "lengths": "lengths fitted",
    "base_events": "base history (events)",
    "base_median_us": "median at base (us)",
    "ratio": "ratio",
    "how": "load",
    "peak_mb": "peak above baseline (MB)",
    "peak_kb": "peak above baseline (KB)",
    "stage": "stage",
}


def readable(
    frame: pd.DataFrame, columns: list[str] | None = None, decimals: int | None = None
) -> pd.DataFrame:
    """The given columns (default: all) with headers a reader understands.

    With ``decimals``, float columns are rounded, so that one tiny value (a slope of 0.007)
    does not switch a whole column to scientific notation; ``+ 0.0`` turns -0.0 into 0.0.
    """
    chosen = frame if columns is None else frame[columns]
    if decimals is not None:
        floats = chosen.select_dtypes("float").columns
        chosen = chosen.assign(**{c: chosen[c].round(decimals) + 0.0 for c in floats})
    return chosen.rename(columns=READABLE)

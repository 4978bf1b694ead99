"""Writing and reading results (CSV with the environment as header lines) and the plots.

Each table goes to ``<out>/<table>.csv``. Its first lines are ``# key: value`` comments (the
machine, CPU, Python, SQLite and package versions, load average, preset and run time), so
``pandas.read_csv(path, comment="#")`` reads the table and ``read_header`` reads the rest.
The plotting functions draw on a given matplotlib Axes, so the notebook and the command line
draw the same pictures from the same code. Every time axis is logarithmic, so a 20 us bar
stays visible beside a 2 s one, and bars carry their value as text.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.bench.marks import us

PLOT_DPI = 80
"""Small PNGs: the reference plots are committed to the repository."""
STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")


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
"""The committed reference run (see its README for the command that made it)."""


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
    tables = {}
    for path in sorted(Path(folder).glob("*.csv")):
        try:
            tables[path.stem] = pd.read_csv(path, comment="#")
        except pd.errors.EmptyDataError:  # a table the run had nothing for
            tables[path.stem] = pd.DataFrame()
    return tables


# --- plots ----------------------------------------------------------------------------------


def _style(index: int) -> dict[str, object]:
    return {"linestyle": STYLES[index % len(STYLES)], "marker": MARKERS[index % len(MARKERS)]}


def plot_load_vs_length(loads: pd.DataFrame, ax, codec: str, title: str = "") -> None:
    """Median load time against history length, log-log: warm solid, cold dashed.

    Each point is a median; its bar spans the middle half of the samples (quartiles).
    """
    chosen = loads[(loads["load"] == "latest") & (loads["codec"] == codec)]
    colours = _colours(chosen["variant"].unique())
    for variant, cell in chosen.groupby("variant", sort=False):
        for cache, style in (("warm", "-"), ("cold", "--")):
            points = cell[cell["cache"] == cache].sort_values("events")
            if points.empty:
                continue
            ax.errorbar(
                points["events"],
                points["median_us"],
                yerr=[points["median_us"] - points["q1_us"], points["q3_us"] - points["median_us"]],
                color=colours[variant],
                linestyle=style,
                marker=MARKERS[list(colours).index(variant) % len(MARKERS)],
                markersize=4,
                capsize=2,
                label=f"{variant}, {cache}",
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("history length (events, log scale)")
    ax.set_ylabel("load time (us, median; log scale)")
    ax.set_title(title or f"Load time against history length ({codec})", fontsize="medium")
    ax.legend(fontsize="x-small", ncol=2)


def _colours(names) -> dict[str, object]:
    import matplotlib

    palette = matplotlib.colormaps["tab10"]
    return {name: palette(index % 10) for index, name in enumerate(names)}


def plot_floors(loads: pd.DataFrame, floors: pd.DataFrame, ax) -> None:
    """Per event: each codec's full replay beside the floors, against history length."""
    replay = loads[
        (loads["variant"] == "event-sourced")
        & (loads["load"] == "latest")
        & (loads["cache"] == "warm")
    ]
    index = 0
    for codec, cell in replay.groupby("codec", sort=True):
        cell = cell.sort_values("events")
        ax.plot(cell["events"], cell["us_per_event"], label=f"{codec} replay", **_style(index))
        index += 1
    for floor, cell in floors.groupby("floor", sort=False):
        cell = cell.sort_values("events")
        ax.plot(cell["events"], cell["us_per_event"], label=floor, color="grey", **_style(index))
        index += 1
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("history length (events, log scale)")
    ax.set_ylabel("us per event (median; log scale)")
    ax.set_title("Replay per event beside its floors", fontsize="medium")
    ax.legend(fontsize="x-small")


def _bars(ax, labels, series: dict[str, list[float]], unit: str) -> None:
    """Grouped bars on a log axis, each bar labelled with its value."""
    width = 0.8 / max(len(series), 1)
    palette = _colours(series)
    hatches = ("", "//", "..", "xx")
    for index, (name, values) in enumerate(series.items()):
        positions = np.arange(len(labels)) + (index - (len(series) - 1) / 2) * width
        heights = [v if v and np.isfinite(v) and v > 0 else np.nan for v in values]
        hatch = hatches[index % len(hatches)]
        bars = ax.bar(
            positions,
            heights,
            width=width,
            label=name,
            color=palette[name],
            hatch=hatch,
            edgecolor="black",
            linewidth=0.3,
        )
        texts = [us(v) if np.isfinite(v) else "" for v in heights]
        for position, value in zip(positions, values, strict=True):
            if value is not None and np.isfinite(value) and value <= 0:
                # a log axis cannot draw it: say so where the bar would stand
                ax.annotate(
                    "≤ 0",
                    (position, 0),
                    xycoords=("data", "axes fraction"),
                    ha="center",
                    va="bottom",
                    fontsize="x-small",
                )
        crowded = len(labels) * len(series) > 8
        ax.bar_label(
            bars, labels=texts, fontsize="x-small", padding=2, rotation=90 if crowded else 0
        )
    ax.set_xticks(np.arange(len(labels)), labels, rotation=30, ha="right", fontsize="small")
    ax.set_yscale("log")
    ax.set_ylabel(f"{unit} (log scale)")
    low, high = ax.get_ylim()
    ax.set_ylim(low, high * 8)  # room for the value labels above the tallest bar


def plot_writes(writes: pd.DataFrame, ax) -> None:
    """Microseconds per command, each saved in its own transaction, at NORMAL and at FULL."""
    saved = writes[writes["variant"] != "snapshot row only"]
    labels = list(saved["variant"].unique())
    series = {}
    by = "setting" if "setting" in saved else "synchronous"
    for (codec, level), cell in saved.groupby(["codec", by], sort=False):
        mine = cell.set_index("variant").reindex(labels)
        name = level if by == "setting" else f"synchronous={level}"
        series[f"{codec}, {name}"] = list(mine["us_per_command"])
    _bars(ax, labels, series, "us per command")
    engine = saved["engine"].iloc[0] if "engine" in saved and not saved.empty else ""
    ax.set_title(
        f"Write cost per command{f' ({engine})' if engine else ''}:\ncommit without and with "
        "waiting for the disk",  # two lines: one would run into a neighbouring plot's title
        fontsize="medium",
    )
    ax.legend(fontsize="x-small", loc="upper left")


def plot_storage(storage: pd.DataFrame, ax) -> None:
    """Bytes the account tables occupy at the largest length, one bar per strategy."""
    largest = storage["events"].max()
    cell = storage[storage["events"] == largest]
    _bars(ax, list(cell["variant"]), {"table bytes": list(cell["table_bytes"])}, "bytes")
    ax.set_title(f"Storage of one account at {largest:,} events", fontsize="medium")
    ax.get_legend() and ax.get_legend().remove()


def plot_cold_warm(loads: pd.DataFrame, ax, codec: str, events: int | None = None) -> None:
    """Warm and cold latest loads of every strategy at one length (the largest by default)."""
    events = int(loads["events"].max()) if events is None else events
    cell = loads[
        (loads["codec"] == codec) & (loads["events"] == events) & (loads["load"] == "latest")
    ]
    labels = list(cell["variant"].unique())
    series = {
        cache: list(cell[cell["cache"] == cache].set_index("variant").reindex(labels)["median_us"])
        for cache in ("warm", "cold")
    }
    _bars(ax, labels, series, "load time (us, median)")
    ax.set_title(f"Warm and cold loads at {events:,} events ({codec})", fontsize="medium")
    ax.legend(fontsize="x-small", loc="upper left")


def plot_breakdown(breakdown: pd.DataFrame, ax) -> None:
    """Microseconds per event in each replay stage, one group of bars per codec."""
    stages = [s for s in breakdown["stage"].unique() if s != "full replay"]
    codecs = list(breakdown["codec"].unique())
    table = breakdown.pivot_table(index="stage", columns="codec", values="us_per_event")
    series = {codec: [float(table.loc[stage, codec]) for stage in stages] for codec in codecs}
    _bars(ax, stages, series, "us per event (fastest round, CPU time)")
    events = int(breakdown["events"].iloc[0])
    ax.set_title(f"Where a replay's time goes ({events:,} events)", fontsize="medium")
    ax.legend(fontsize="x-small", loc="upper right")


PLOT_STEMS = (
    "load_vs_length",
    "cold_and_warm",
    "floors",
    "writes_and_storage",
    "replay_breakdown",
)
"""The per-engine figures ``write_plots`` draws (``concurrency`` and ``engines`` are shared)."""
TABLE_NAMES = (
    "breakdown",
    "concurrency",
    "flatness",
    "floors",
    "loads",
    "memory",
    "storage",
    "units",
    "writes",
)
"""The CSV tables a run writes (``write_tables``)."""


def earlier_outputs(out: Path) -> list[Path]:
    """Files in ``out`` with the names a run of the benchmark writes, whatever its engines.

    A run writes only the figures its engines and strategies produce, so a folder reused
    from a two-engine run would otherwise keep ``engines.png`` and ``*_postgres.png`` beside
    the new tables, and a reader would take them for this run's. Only these names are
    touched: anything else the folder holds stays.
    """
    from helpers.bench.config import ENGINES

    suffixes = ["", *(f"_{engine}" for engine in ENGINES)]
    names = {f"{stem}{suffix}.png" for stem in PLOT_STEMS for suffix in suffixes}
    names |= {"concurrency.png", "engines.png"} | {f"{name}.csv" for name in TABLE_NAMES}
    return sorted(path for path in out.glob("*") if path.name in names and path.is_file())


def remove_earlier_outputs(out: Path) -> list[Path]:
    """Delete :func:`earlier_outputs` before a run writes its own; return what was removed."""
    removed = earlier_outputs(out) if out.is_dir() else []
    for path in removed:
        path.unlink()
    return removed


def write_plots(results, out: Path) -> list[Path]:
    """Draw the standard figures into PNG files; return them.

    The first engine of the run gets the plain names (``load_vs_length.png``), every other
    one the same figures with its name added (``load_vs_length_postgres.png``); then the
    concurrent writers (``concurrency.png``) and, with two engines, the engines side by side
    (``engines.png``).
    """
    import matplotlib.pyplot as plt

    from helpers.bench.engine_figures import (
        plot_concurrency,
        plot_engine_ratios,
        plot_replay_by_engine,
    )
    from helpers.bench.engines import EngineComparison, comparison_from_run

    written = []

    def save(fig, name: str) -> None:
        path = out / name
        fig.tight_layout()
        fig.savefig(path, dpi=PLOT_DPI)
        plt.close(fig)
        written.append(path)

    for index, engine in enumerate(results.engines):
        suffix = "" if index == 0 else f"_{engine}"
        _engine_plots(results.only(engine).tables, save, suffix)
    tables = results.tables
    if not tables["concurrency"].empty:
        empty = pd.DataFrame()
        fig, axes = plt.subplots(1, 2, figsize=(10.5, 3.5))
        plot_concurrency(
            EngineComparison(empty, empty, empty, empty, tables["concurrency"], 0), axes
        )
        save(fig, "concurrency.png")
    if len(results.engines) > 1:
        comparison = comparison_from_run(tables, results.config.codecs[0])
        fig, axes = plt.subplots(1, 2, figsize=(13, 3.8))
        plot_replay_by_engine(comparison, axes[0])
        plot_engine_ratios(comparison, axes[1])
        save(fig, "engines.png")
    return written


def _engine_plots(tables: dict[str, pd.DataFrame], save, suffix: str) -> None:
    """One engine's figures: loads, cold and warm, floors, writes and storage, breakdown."""
    import matplotlib.pyplot as plt

    codecs = list(tables["loads"]["codec"].unique())
    fig, axes = plt.subplots(1, len(codecs), figsize=(6 * len(codecs), 4), squeeze=False)
    for ax, codec in zip(axes[0], codecs, strict=True):
        plot_load_vs_length(tables["loads"], ax, codec)
    save(fig, f"load_vs_length{suffix}.png")
    fig, ax = plt.subplots(figsize=(7, 4))
    plot_cold_warm(tables["loads"], ax, codecs[0])
    save(fig, f"cold_and_warm{suffix}.png")
    if not tables["floors"].empty:
        fig, ax = plt.subplots(figsize=(7, 4))
        plot_floors(tables["loads"], tables["floors"], ax)
        save(fig, f"floors{suffix}.png")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    plot_writes(tables["writes"], axes[0])
    plot_storage(tables["storage"], axes[1])
    save(fig, f"writes_and_storage{suffix}.png")
    if not tables["breakdown"].empty:
        fig, ax = plt.subplots(figsize=(7, 4))
        plot_breakdown(tables["breakdown"], ax)
        save(fig, f"replay_breakdown{suffix}.png")


READABLE = {
    "variant": "strategy",
    "codec": "codec",
    "events": "history (events)",
    "load": "load",
    "cache": "cache",
    "median_us": "median (us)",
    "q1_us": "lower quartile (us)",
    "q3_us": "upper quartile (us)",
    "min_us": "min (us)",
    "max_us": "max (us)",
    "us_per_event": "us per event",
    "cpu_median_us": "CPU median (us)",
    "events_replayed": "events replayed",
    "samples": "samples",
    "how": "load",
    "peak_kb": "peak above baseline (KB)",
    "stage": "stage",
}


def readable(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """The given columns (default: all) with headers a reader understands."""
    chosen = frame if columns is None else frame[columns]
    return chosen.rename(columns=READABLE)

"""The same operations on a SQLite file and on a PostgreSQL server, measured side by side.

For notebook 09 and ``python -m helpers.bench.side_by_side``. Each engine gets one store (a file,
or a schema on a server) and the same seeded work:

* **replay**: an event-sourced load of a history of N events, for several N;
* **snapshot load**: one row read and decoded, whatever the history;
* **write**: one command saved per transaction (the commit is the price);
* **memory**: the peak of Python allocations (``tracemalloc``) during a streamed replay;
* **concurrent writers**: 1, 2 and 4 writer *processes*, each loading, changing and saving
  as a request would, on accounts of their own or all on one shared account, for a fixed
  time; reported as commands per second and ``ConcurrencyError``\\ s per 1,000 commands.

Every timed load is checked against the generator's own answer (``expected_after``) before
its time is kept, as in the main benchmark. Times are medians of repeats, in microseconds.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from helpers.bench.config import BenchParameterError
from helpers.bench.measure import WrongLoad, check_load
from helpers.bench.writers import WriterProcesses, concurrency_rows
from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.domain.state import AccountState, fold
from helpers.samples.workload import build_account, expected_after, generate_commands
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.repository import Repository
from helpers.storage.snapshot_store import SnapshotRepository

ENGINE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
ACCOUNTS = {"distinct": "distinct accounts", "shared": "one shared account"}
"""How the writers' two arrangements read in sentences, tables and legends."""
SAVE_CHUNK = 10_000
"""Events per save while setting up a long history."""


@dataclass(frozen=True)
class EngineSettings:
    """What to measure; the defaults take about a minute per engine."""

    lengths: tuple[int, ...] = (10, 100, 1_000, 10_000)
    repeats: int = 5
    writes: int = 200
    memory_lengths: tuple[int, ...] = (10_000, 40_000)
    writers: tuple[int, ...] = (1, 2, 4)
    seconds: float = 2.0
    seed: int = 7

    def __post_init__(self) -> None:
        """Refuse, in one line naming the parameter, what would fail deep inside a run.

        ``100,000`` reads as the two lengths 100 and 0: the 0 is refused here, not by the
        workload generator in the middle of a measurement.
        """
        for name in ("lengths", "memory_lengths", "writers"):
            values = getattr(self, name)
            if not values:
                raise BenchParameterError(name, "give at least one number")
            if min(values) < 1:
                raise BenchParameterError(
                    name,
                    f"{min(values)} is not a positive count; write long numbers without a "
                    "thousands separator (100000 or 100_000, not 100,000)",
                )
        for name in ("repeats", "writes"):
            if getattr(self, name) < 1:
                raise BenchParameterError(name, f"{getattr(self, name)} is not a positive count")
        if not self.seconds > 0:
            raise BenchParameterError("seconds", f"{self.seconds} is not a positive duration")


def settings_from(
    lengths: object,
    memory_lengths: object,
    writes: object,
    writers: object,
    seconds: object,
    repeats: object = 5,
) -> EngineSettings:
    """Settings from notebook parameters: text such as ``"10,100"`` or plain numbers."""

    def numbers(name: str, value: object) -> tuple[int, ...]:
        parts = [part.strip() for part in str(value).replace("_", "").split(",") if part.strip()]
        try:
            return tuple(int(part) for part in parts)
        except ValueError:
            raise BenchParameterError(name, f"{value!r} is not a list of whole numbers") from None

    def number(name: str, value: object, kind: type) -> int | float:
        try:
            return kind(str(value).replace("_", ""))
        except ValueError:
            raise BenchParameterError(name, f"{value!r} is not a number") from None

    return EngineSettings(
        lengths=numbers("lengths", lengths),
        repeats=number("repeats", repeats, int),
        writes=number("writes", writes, int),
        memory_lengths=numbers("memory_lengths", memory_lengths),
        writers=numbers("writers", writers),
        seconds=number("seconds", seconds, float),
    )


@dataclass
class EngineComparison:
    """One row per engine and measurement, in tables that share an ``engine`` column."""

    replay: pd.DataFrame
    snapshot_load: pd.DataFrame
    writes: pd.DataFrame
    memory: pd.DataFrame
    concurrency: pd.DataFrame
    checked_loads: int
    tables: dict[str, pd.DataFrame] = field(init=False)

    def __post_init__(self) -> None:
        self.tables = {
            "replay": self.replay,
            "snapshot_load": self.snapshot_load,
            "writes": self.writes,
            "memory": self.memory,
            "concurrency": self.concurrency,
        }

    def ratios(self, replay_events: int | None = None) -> pd.DataFrame:
        """PostgreSQL / SQLite for each headline cost (empty unless both engines ran)."""
        return headline_ratios(self, replay_events)


# --- setting up -------------------------------------------------------------------------------


def _chunks(events: tuple, size: int) -> Iterator[tuple]:
    for start in range(0, len(events), size):
        yield events[start : start + size]


def store_history(repo: Repository, account_id: str, length: int, seed: int) -> AccountState:
    """Save a generated history through the repository's own ``save``, in large chunks."""
    events = build_account(account_id, length, seed=seed).pending_events
    state: AccountState | None = None
    for chunk in _chunks(events, SAVE_CHUNK):
        state = fold(chunk, state)
        repo.save(Account(state, pending=chunk))
    assert state is not None
    return state


# --- timing -------------------------------------------------------------------------------------

LOAD_BUDGET_NS = 50_000_000
"""Fast loads are repeated until about this much time is spent (at most 200 times)."""


def time_checked_loads(
    load: Callable[[], Account], length: int, seed: int, repeats: int, what: str
) -> dict[str, float]:
    """Median, min and max of checked loads, after one untimed warm-up load."""
    expected = expected_after(length, seed=seed)
    start = time.perf_counter_ns()
    check_load(load(), expected, what)
    warm_ns = max(time.perf_counter_ns() - start, 1)
    repeats = max(repeats, min(200, LOAD_BUDGET_NS // warm_ns))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter_ns()
        account = load()
        samples.append((time.perf_counter_ns() - start) / 1_000)
        check_load(account, expected, what)
    return {
        "median_us": statistics.median(samples),
        "min_us": min(samples),
        "max_us": max(samples),
        "repeats": repeats,
    }


def replay_rows(engine: str, target, settings: EngineSettings) -> list[dict]:
    rows = []
    with EventSourcedRepository(target) as repo:
        for length in settings.lengths:
            account_id = f"replay-{length}"
            store_history(repo, account_id, length, settings.seed)
            timing = time_checked_loads(
                lambda a=account_id: repo.load(a),
                length,
                settings.seed,
                settings.repeats,
                f"{engine} replay of {length}",
            )
            rows.append({"engine": engine, "events": length, **timing})
    return rows


def snapshot_load_row(engine: str, target, settings: EngineSettings) -> dict:
    """A snapshot load of the longest history: one row, whatever the length."""
    length = max(settings.lengths)
    with SnapshotRepository(target) as repo:
        account = build_account("snapshot", length, seed=settings.seed)
        repo.save(account)
        timing = time_checked_loads(
            lambda: repo.load("snapshot"),
            length,
            settings.seed,
            settings.repeats,
            f"{engine} snapshot load",
        )
    return {"engine": engine, "events": length, **timing}


def write_row(engine: str, target, settings: EngineSettings) -> dict:
    """Microseconds per command when each command is saved in its own transaction."""
    with EventSourcedRepository(target) as repo:
        account = Account.open("writes", "Ada Lovelace", clock=TickingClock())
        repo.save(account)
        start = time.perf_counter_ns()
        for command in generate_commands(settings.writes + 1, seed=settings.seed):
            command.apply_to(account)
            repo.save(account)
        elapsed_us = (time.perf_counter_ns() - start) / 1_000
        if repo.load("writes").state != account.state:
            raise WrongLoad(f"{engine}: the written account does not load as it was saved")
    return {
        "engine": engine,
        "commands": settings.writes,
        "us_per_command": elapsed_us / settings.writes,
    }


def memory_rows(engine: str, target, settings: EngineSettings) -> list[dict]:
    """Peak traced bytes of one replay per length: flat when rows are streamed."""
    rows = []
    with EventSourcedRepository(target) as repo:
        for length in settings.memory_lengths:
            account_id = f"memory-{length}"
            store_history(repo, account_id, length, settings.seed)
            repo.load(account_id)  # warm-up: caches that outlive a load are not the load's
            tracemalloc.start()
            try:
                before = tracemalloc.get_traced_memory()[0]
                account = repo.load(account_id)
                peak = tracemalloc.get_traced_memory()[1] - before
            finally:
                tracemalloc.stop()
            expected = expected_after(length, seed=settings.seed)
            check_load(account, expected, f"{engine} memory load of {length}")
            rows.append({"engine": engine, "events": length, "peak_bytes": peak})
    return rows


# --- putting it together ------------------------------------------------------------------------

STEPS = ("replay", "snapshot load", "writes", "memory", "concurrent writers")


def compare_engines(
    stores: Mapping[str, str | Path],
    settings: EngineSettings | None = None,
    *,
    progress: bool = True,
) -> EngineComparison:
    """Measure every engine in ``stores`` (engine name -> empty store) with the same work."""
    settings = settings or EngineSettings()
    found: dict[str, list] = {step: [] for step in STEPS}
    bar = tqdm(total=len(stores) * len(STEPS), disable=not progress, unit="step", desc="engines")
    with WriterProcesses(max(settings.writers)) as writers:
        for engine, target in stores.items():
            for step in STEPS:
                bar.set_postfix_str(f"{engine}: {step}")
                found[step] += _measure(step, engine, target, settings, writers)
                bar.update()
    bar.close()
    replay, snapshot = pd.DataFrame(found["replay"]), pd.DataFrame(found["snapshot load"])
    memory = pd.DataFrame(found["memory"])
    return EngineComparison(
        replay=replay,
        snapshot_load=snapshot,
        writes=pd.DataFrame(found["writes"]),
        memory=memory,
        concurrency=pd.DataFrame(found["concurrent writers"]),
        checked_loads=int(replay["repeats"].sum() + snapshot["repeats"].sum() + len(memory)),
    )


def _measure(step: str, engine: str, target, settings: EngineSettings, writers) -> list[dict]:
    if step == "replay":
        return replay_rows(engine, target, settings)
    if step == "snapshot load":
        return [snapshot_load_row(engine, target, settings)]
    if step == "writes":
        return [write_row(engine, target, settings)]
    if step == "memory":
        return memory_rows(engine, target, settings)
    return concurrency_rows(engine, target, settings.writers, settings.seconds, writers)


def headline_ratios(comparison: EngineComparison, replay_events: int | None = None) -> pd.DataFrame:
    """PostgreSQL / SQLite for replay at the longest length (or at ``replay_events`` if it was
    measured), a snapshot load, a write, the replay memory at the longest memory length, and
    throughput with the most writers."""
    c = comparison
    longest, most = c.replay["events"].max(), c.concurrency["writers"].max()
    if replay_events in set(c.replay["events"]):
        longest = replay_events
    replay = c.replay[c.replay["events"] == longest].set_index("engine")["median_us"]
    deepest = c.memory["events"].max()
    memory = c.memory[c.memory["events"] == deepest].set_index("engine")["peak_bytes"]
    busiest = c.concurrency[c.concurrency["writers"] == most]
    measures = {
        f"replay of {longest:,} events (us)": replay,
        "snapshot load (us)": c.snapshot_load.set_index("engine")["median_us"],
        "write per command (us)": c.writes.set_index("engine")["us_per_command"],
        f"replay memory at {deepest:,} events (bytes)": memory,
    }
    for sharing in ("distinct", "shared"):
        rows = busiest[busiest["accounts"] == sharing].set_index("engine")["commands_per_s"]
        measures[f"{most} writers, {ACCOUNTS[sharing]} (commands/s)"] = rows
    table = pd.DataFrame(measures).T.reindex(columns=list(ENGINE_NAMES))
    table["postgres / sqlite"] = table["postgres"] / table["sqlite"]
    return table.rename_axis("measure").reset_index()


def comparison_from_run(tables: Mapping[str, pd.DataFrame], codec: str) -> EngineComparison:
    """The headline tables of a ``helpers.bench.run`` (``Results.tables``), shaped as here.

    So that the main benchmark's engine comparison is computed, printed and drawn by the same
    functions as this module's own: replay is the warm event-sourced load of each length,
    the snapshot load the warm snapshot load at the largest length, a write the event-sourced
    save per command at each engine's default durability (SQLite ``synchronous=NORMAL``,
    PostgreSQL ``synchronous_commit=on``), memory the streamed event-sourced load.
    """
    loads, writes = tables["loads"], tables["writes"]
    warm = loads[(loads["cache"] == "warm") & (loads["load"] == "latest")]
    warm = warm[warm["codec"] == codec]
    replay = warm[warm["variant"] == "event-sourced"][["engine", "events", "median_us"]]
    snapshot = warm[warm["variant"] == "snapshot"]
    snapshot = snapshot[snapshot["events"] == snapshot["events"].max()]
    write = writes[
        (writes["variant"] == "event-sourced") & (writes["codec"] == codec) & writes["default"]
    ]
    memory = tables["memory"]
    memory = memory[
        (memory["variant"] == "event-sourced")
        & (memory["how"] == "streamed load")
        & (memory["codec"] == codec)
    ]
    return EngineComparison(
        replay=replay.reset_index(drop=True),
        snapshot_load=snapshot[["engine", "events", "median_us"]].reset_index(drop=True),
        writes=write[["engine", "commands", "us_per_command", "setting"]].reset_index(drop=True),
        memory=pd.DataFrame(
            {
                "engine": memory["engine"],
                "events": memory["events"],
                "peak_bytes": memory["peak_kb"] * 1_000,
            }
        ).reset_index(drop=True),
        concurrency=tables["concurrency"],
        checked_loads=int(loads["samples"].sum()),
    )


def replay_breakdown(comparison: EngineComparison) -> pd.DataFrame:
    """Per engine: the fixed cost of a replay, its cost per event, and the snapshot load.

    The fixed cost is the replay of the shortest history (mostly round trips and query
    set-up); the cost per event is the least-squares slope over the lengths of 100 events and
    more. ``history_outweighs_fixed_at`` is the length from which the events themselves cost
    more than the fixed part. It is not where a snapshot starts to pay: a hybrid load pays the
    fixed part too (for the events after its snapshot), so a snapshot pays once the events it
    skips cost more than one snapshot load (``snapshot_load_us / us_per_event``).
    """
    rows = []
    for engine, replay in comparison.replay.groupby("engine", sort=False):
        fixed = float(replay.loc[replay["events"].idxmin(), "median_us"])
        long = replay[replay["events"] >= 100]
        per_event = _slope(long["events"], long["median_us"]) if len(long) > 1 else float("nan")
        snapshot = comparison.snapshot_load.set_index("engine").loc[engine, "median_us"]
        rows.append(
            {
                "engine": engine,
                "fixed_us": fixed,
                "us_per_event": per_event,
                "snapshot_load_us": float(snapshot),
                "history_outweighs_fixed_at": fixed / per_event if per_event > 0 else None,
            }
        )
    return pd.DataFrame(rows)


def breakdown_lines(comparison: EngineComparison) -> list[str]:
    """The replay breakdown in words, one line per engine (measured numbers marked "≈")."""
    lines = []
    for row in replay_breakdown(comparison).itertuples(index=False):
        outweighs = row.history_outweighs_fixed_at
        tail = (
            "" if outweighs is None else f"; the events outweigh it from {about(outweighs)} events"
        )
        lines.append(
            f"{ENGINE_NAMES[row.engine]}: fixed part {about(row.fixed_us, 'us')}, each event "
            f"{about(row.us_per_event, 'us')}, a snapshot load {about(row.snapshot_load_us, 'us')}"
            f"{tail}"
        )
    return lines


def conflict_lines(comparison: EngineComparison) -> list[str]:
    """Conflicts per 1,000 commands when the most writers share one account, per engine."""
    shared = comparison.concurrency.query("accounts == 'shared'")
    busiest = shared[shared["writers"] == shared["writers"].max()]
    return [
        f"{row.writers} writers on one account, {ENGINE_NAMES[row.engine]}: "
        f"{about(row.conflicts_per_1000)} conflicts per 1,000 commands"
        for row in busiest.itertuples()
    ]


def _slope(x: pd.Series, y: pd.Series) -> float:
    x_mean, y_mean = x.mean(), y.mean()
    return float(((x - x_mean) * (y - y_mean)).sum() / ((x - x_mean) ** 2).sum())


def about(value: float, unit: str = "") -> str:
    """A measured number, marked with "≈" so that readers (and the notebook's sanitiser) can
    tell it from the fixed numbers around it: times in us, ms or s; bytes in KB or MB."""
    if unit == "us":
        if value >= 1_000_000:
            return f"≈ {value / 1_000_000:,.2f} s"
        if value >= 1_000:
            return f"≈ {value / 1_000:,.2f} ms"
        return f"≈ {value:,.1f} us"
    if unit == "bytes":
        if value >= 1_000_000:
            return f"≈ {value / 1_000_000:,.2f} MB"
        return f"≈ {value / 1_000:,.1f} KB"
    if unit == "x":
        return f"≈ {value:,.2f}x"
    return f"≈ {value:,.0f}{unit}"


def summary_lines(comparison: EngineComparison, replay_events: int | None = None) -> list[str]:
    """One line per headline measure: both engines and the ratio PostgreSQL / SQLite."""
    units = {"(us)": "us", "(bytes)": "bytes", "(commands/s)": " commands/s"}
    lines = []
    for row in headline_ratios(comparison, replay_events).itertuples(index=False):
        measure = str(row.measure)
        unit_label = measure[measure.rindex("(") :]
        unit = units[unit_label]
        name = measure[: -len(unit_label)].strip()
        if name == "snapshot load" and "events" in comparison.snapshot_load:
            longest = int(comparison.snapshot_load["events"].max())
            name = f"snapshot load of a history of {longest:,} events"
        if pd.isna(row.postgres):
            lines.append(f"{name}: SQLite {about(row.sqlite, unit)}, PostgreSQL not measured")
            continue
        lines.append(
            f"{name}: SQLite {about(row.sqlite, unit)}, PostgreSQL {about(row.postgres, unit)}"
            f" (PostgreSQL / SQLite {about(row[-1], 'x')})"
        )
    return lines


def write_tables(comparison: EngineComparison, folder: Path) -> list[Path]:
    """Every table as a CSV file with an ``engine`` column, plus the ratios."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in {**comparison.tables, "ratios": comparison.ratios()}.items():
        path = folder / f"engines_{name}.csv"
        table.to_csv(path, index=False)
        written.append(path)
    return written

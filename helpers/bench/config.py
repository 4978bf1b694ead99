"""Every benchmark parameter in one place: a dataclass, the named presets, and their parsing.

People change these in class, so every value is checked when a configuration is made, and
a wrong one raises ``BenchParameterError`` naming the parameter the way the reader wrote it
(``LENGTHS`` in the notebook, ``--lengths`` on the command line) and what it accepts.

Presets: ``tiny`` answers in seconds (the notebook's default, so that it runs in class and
under the test suite), ``quick`` in a minute or two on a 2-core machine, ``full`` reaches a
million events for the committed reference run. The command line and the notebook both
start from a preset and override fields.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from helpers.errors import RebuildLabError

STRATEGIES = ("snapshot", "event-sourced", "hybrid")
CODECS = ("json", "msgspec")
ENGINES = ("sqlite", "postgres")
"""Engines the benchmark can measure. SQLite always runs; PostgreSQL needs the psycopg driver
and a server (``REBUILD_LAB_POSTGRES_URL``, or the embedded one the tests use)."""
DEFAULT_ENGINES = ("sqlite",)
"""What runs everywhere: PostgreSQL is measured when asked for."""
MAX_WRITERS = 8
"""More writer processes than this only queue for the machine's cores."""
MIN_REPEATS = 5
"""Fewer rounds cannot show a spread worth reading."""
DEFAULT_OUT = Path("data/bench/latest")


class BenchParameterError(RebuildLabError, ValueError):
    """A benchmark parameter that cannot be used; the message names it and what is allowed."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        self.problem = problem
        super().__init__(f"{name}: {problem}")


@dataclass(frozen=True)
class BenchConfig:
    """What to measure. Lengths are numbers of events in one account's history."""

    preset: str = "quick"
    lengths: tuple[int, ...] = (10, 100, 1_000, 12_345, 100_000)
    """12,345 is a multiple of no interval, so hybrid loads there replay a tail of events."""
    strategies: tuple[str, ...] = STRATEGIES
    intervals: tuple[int, ...] = (10, 100, 1_000)
    """Snapshot intervals (every N events) for the hybrid strategy."""
    codecs: tuple[str, ...] = CODECS
    engines: tuple[str, ...] = DEFAULT_ENGINES
    repeats: int = MIN_REPEATS
    """Rounds: every load, floor and write series is timed once per round, in a new order."""
    write_commands: int = 200
    """Commands per timed write series at synchronous=NORMAL, one transaction each."""
    full_sync_commands: int = 20
    """The same at synchronous=FULL, where every commit waits for the disk (milliseconds)."""
    flat_base: int = 1_000
    """Flat loads are compared between the shortest length from here up and the largest."""
    breakdown_length: int = 100_000
    """History length for the replay breakdown (the largest length if this one is absent)."""
    library_max_length: int = 12_345
    """The eventsourcing library is timed at the lengths up to this one (0: never)."""
    writers: tuple[int, ...] = (1, 2, 4)
    """Writer processes run at once in the concurrency measurement, one round per count."""
    writer_seconds: float = 2.0
    """How long each round of concurrent writers runs (distinct and shared accounts each)."""
    seed: int = 42
    out: Path = field(default=DEFAULT_OUT)
    changed: tuple[str, ...] = ()
    """The fields set by hand on top of the preset, for the run's one-line summary."""

    def __post_init__(self) -> None:
        _check_names("strategies", self.strategies, STRATEGIES)
        _check_names("codecs", self.codecs, CODECS)
        _check_names("engines", self.engines, ENGINES)
        if "postgres" in self.engines:
            _check_postgres_available()
        _check_counts("lengths", self.lengths, "history lengths")
        if "hybrid" in self.strategies:
            _check_counts("intervals", self.intervals, "snapshot intervals")
        if self.repeats < MIN_REPEATS:
            raise BenchParameterError(
                "repeats", f"{self.repeats} is too few; give {MIN_REPEATS} or more rounds"
            )
        for name in ("write_commands", "full_sync_commands", "flat_base"):
            if getattr(self, name) < 1:
                raise BenchParameterError(name, "must be a whole number of 1 or more")
        _check_counts("writers", self.writers, "numbers of writer processes")
        if max(self.writers) > MAX_WRITERS:
            raise BenchParameterError(
                "writers", f"at most {MAX_WRITERS} writer processes (more only queue for a core)"
            )
        seconds = self.writer_seconds
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not (0.1 <= seconds <= 600)
        ):
            raise BenchParameterError(
                "writer_seconds", f"{seconds!r} is not a number of seconds from 0.1 to 600"
            )

    @property
    def largest(self) -> int:
        return max(self.lengths)

    @property
    def variants(self) -> list[tuple[str, int | None]]:
        """(strategy, snapshot interval) pairs: one per hybrid interval, None otherwise."""
        out: list[tuple[str, int | None]] = []
        for strategy in self.strategies:
            if strategy == "hybrid":
                out.extend(("hybrid", n) for n in self.intervals)
            else:
                out.append((strategy, None))
        return out

    def with_overrides(self, **changes: object) -> BenchConfig:
        """A copy with the given fields changed (``None`` values are ignored)."""
        given = {k: v for k, v in changes.items() if v is not None}
        marked = tuple(dict.fromkeys([*self.changed, *(k for k in given if k != "out")]))
        return replace(self, **given, changed=marked)


def _check_names(name: str, given: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    if not given:
        raise BenchParameterError(name, f"give at least one of {', '.join(allowed)}")
    unknown = [value for value in given if value not in allowed]
    if unknown:
        raise BenchParameterError(
            name, f"unknown {', '.join(map(repr, unknown))}; choose from {', '.join(allowed)}"
        )
    if len(set(given)) != len(given):
        raise BenchParameterError(name, "a name is given twice")


def _check_postgres_available() -> None:
    """Refuse ``postgres`` here, with the reason, where its driver or server is missing."""
    from helpers.storage.postgres_server import why_unavailable

    reason = why_unavailable()
    if reason is not None:
        if os.environ.get("REBUILD_LAB_POSTGRES_URL", "").strip():
            advice = "leave it out, or point REBUILD_LAB_POSTGRES_URL at a server that answers"
        else:
            advice = "leave it out, or set REBUILD_LAB_POSTGRES_URL to a server of your own"
        raise BenchParameterError(
            "engines",
            f"'postgres' cannot run on this machine ({reason}); {advice} (see README: PostgreSQL)",
        )


def _check_counts(name: str, given: tuple[int, ...], what: str) -> None:
    if not given or any(type(n) is not int or n < 1 for n in given):
        raise BenchParameterError(name, f"{what} must be whole numbers of 1 or more")
    if len(set(given)) != len(given):
        raise BenchParameterError(name, "a number is given twice")


PRESETS: dict[str, BenchConfig] = {
    "tiny": BenchConfig(
        preset="tiny",
        lengths=(10, 100, 1_234),
        intervals=(10, 100),
        write_commands=30,
        full_sync_commands=4,
        flat_base=100,
        breakdown_length=1_234,
        library_max_length=100,
        writers=(1, 2),
        writer_seconds=0.3,
    ),
    "quick": BenchConfig(),
    "full": BenchConfig(
        preset="full",
        lengths=(10, 100, 1_000, 12_345, 100_000, 1_000_000),
        write_commands=500,
        full_sync_commands=40,
        library_max_length=100_000,
        writer_seconds=5.0,
    ),
}


def preset(name: object) -> BenchConfig:
    """The preset called ``name`` (text; case and surrounding spaces do not matter)."""
    key = str(name).strip().lower()
    if key not in PRESETS:
        raise BenchParameterError("preset", f"unknown {name!r}; choose from {', '.join(PRESETS)}")
    return PRESETS[key]


# --- parsing values given as text, numbers or lists ----------------------------------------

_NUMBER = re.compile(r"[0-9][0-9_]*")


def parse_counts(value: object, name: str) -> tuple[int, ...] | None:
    """Whole numbers from ``"10,1000"``, ``10000`` (papermill), ``[10, 100]`` or ``""`` (None).

    Commas (or spaces) separate numbers, so ``"100,000"`` cannot mean one hundred thousand:
    it is refused, with the two ways to write it, rather than read as 100 and 0.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BenchParameterError(name, f"{value!r} is not a whole number")
    if isinstance(value, int | float):
        return (_one_count(value, name),)
    if isinstance(value, list | tuple):
        return tuple(_one_count(item, name) for item in value) or None
    if not isinstance(value, str):
        raise BenchParameterError(name, f"expected text such as '10,1000', not {value!r}")
    parts = [part for part in re.split(r"[,\s]+", value.strip()) if part]
    for part in parts[1:]:
        if re.fullmatch(r"0[0-9]*", part) and len(part) == 3:
            raise BenchParameterError(
                name,
                f"{value.strip()!r}: commas separate lengths, so thousands are written "
                "without them (100000 or 100_000)",
            )
    return tuple(_one_count(part, name) for part in parts)


def _one_count(item: object, name: str) -> int:
    if isinstance(item, bool):
        raise BenchParameterError(name, f"{item!r} is not a whole number")
    if isinstance(item, int):
        number = item
    elif isinstance(item, float) and math.isfinite(item) and item.is_integer():
        number = int(item)
    elif isinstance(item, str) and _NUMBER.fullmatch(item.strip()):
        number = int(item.strip().replace("_", ""))
    else:
        raise BenchParameterError(name, f"{item!r} is not a whole number of 1 or more")
    if number < 1:
        raise BenchParameterError(name, f"{number} is not a whole number of 1 or more")
    return number


def parse_names(value: object, name: str) -> tuple[str, ...] | None:
    """Names from ``"json,msgspec"``, ``["json"]`` or ``""`` (None: keep the preset's)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    example = NAME_EXAMPLES.get(name, "json,msgspec")
    if isinstance(value, list | tuple):
        items = [str(item).strip() for item in value]
    elif isinstance(value, str):
        if any(not part.strip() for part in value.strip().split(",")):
            raise BenchParameterError(
                name, f"{value.strip()!r} has an empty name between commas; write e.g. {example!r}"
            )
        items = re.split(r"[,\s]+", value.strip())
    else:
        raise BenchParameterError(name, f"expected names such as {example!r}, not {value!r}")
    return tuple(item.lower() for item in items if item) or None


NAME_EXAMPLES = {
    "strategies": "snapshot,event-sourced,hybrid",
    "codecs": "json,msgspec",
    "engines": "sqlite,postgres",
}
"""An example of a valid list for each parameter that takes names (for error messages)."""


def _ascending(counts: tuple[int, ...] | None) -> tuple[int, ...] | None:
    """Writer counts in ascending order: the tables, plots and 'the most writers' sentences
    read them from fewest to most, whatever order they were given in (a count given twice is
    still refused by the config's own check)."""
    return None if counts is None else tuple(sorted(counts))


def parse_count(value: object, name: str) -> int | None:
    """One whole number from ``"5"``, ``5`` or ``""`` (None: keep the preset's)."""
    counts = parse_counts(value, name)
    if counts is None:
        return None
    if len(counts) != 1:
        raise BenchParameterError(name, f"give one whole number, not {len(counts)}")
    return counts[0]


def parse_seconds(value: object, name: str) -> float | None:
    """A number of seconds from ``"2.5"``, ``2`` (papermill) or ``""`` (None: the preset's)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BenchParameterError(name, f"{value!r} is not a number of seconds")
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            raise BenchParameterError(name, f"{value!r} is not a number of seconds") from None
    if not math.isfinite(number):
        raise BenchParameterError(name, f"{value!r} is not a number of seconds")
    return number


NOTEBOOK_NAMES: Mapping[str, str] = {
    "preset": "PRESET",
    "lengths": "LENGTHS",
    "strategies": "STRATEGIES",
    "intervals": "INTERVALS",
    "codecs": "CODECS",
    "engines": "ENGINES",
    "repeats": "REPEATS",
    "writers": "WRITERS",
    "writer_seconds": "WRITER_SECONDS",
}
"""How the notebook's parameters cell calls each field (errors use these names)."""


def config_from_parameters(
    preset_name: object = "quick",
    lengths: object = "",
    strategies: object = "",
    intervals: object = "",
    codecs: object = "",
    repeats: object = "",
    engines: object = "",
    writers: object = "",
    writer_seconds: object = "",
    *,
    names: Mapping[str, str] = NOTEBOOK_NAMES,
    out: Path | None = None,
) -> BenchConfig:
    """A preset with overrides given as text, numbers or lists (empty: keep the preset's).

    The notebook's parameters arrive as text from environment variables, or as numbers and
    text from papermill; the command line passes its flags' text. ``names`` says how the
    caller spells each parameter, so that an error names the variable or flag to fix.
    """
    try:
        base = preset(preset_name)
        return base.with_overrides(
            lengths=parse_counts(lengths, "lengths"),
            strategies=parse_names(strategies, "strategies"),
            intervals=parse_counts(intervals, "intervals"),
            codecs=parse_names(codecs, "codecs"),
            engines=parse_names(engines, "engines"),
            repeats=parse_count(repeats, "repeats"),
            writers=_ascending(parse_counts(writers, "writers")),
            writer_seconds=parse_seconds(writer_seconds, "writer_seconds"),
            out=out,
        )
    except BenchParameterError as error:
        raise BenchParameterError(names.get(error.name, error.name), error.problem) from None


def variant_label(strategy: str, interval: int | None) -> str:
    """'snapshot', 'event-sourced' or 'hybrid-100': the name used in tables and plots."""
    return strategy if interval is None else f"{strategy}-{interval}"


def describe_config(config: BenchConfig) -> str:
    """A short, stable description of what a run will measure (no machine details)."""
    changed = f" (changed: {', '.join(config.changed)})" if config.changed else ""
    intervals = ", ".join(f"{n:,}" for n in config.intervals)
    return "\n".join(
        [
            f"preset:            {config.preset}{changed}",
            f"history lengths:   {', '.join(f'{n:,}' for n in config.lengths)} events",
            f"strategies:        {', '.join(config.strategies)}",
            f"hybrid intervals:  every {intervals} events"
            + ("" if "hybrid" in config.strategies else " (no hybrid measured)"),
            f"codecs:            {', '.join(config.codecs)}",
            f"engines:           {', '.join(config.engines)}",
            f"rounds:            {config.repeats} (loads, floors and writes interleaved)",
            f"writes timed:      {config.write_commands} commands with a commit that does not "
            f"wait for the disk, {config.full_sync_commands} with one that does, per round",
            f"flat loads from:   {config.flat_base:,} events",
            f"library reference: lengths up to {config.library_max_length:,} events (SQLite)",
            f"concurrent writers: {', '.join(map(str, config.writers))} processes, "
            f"{config.writer_seconds:g} s for each count, once on distinct accounts and once on "
            "one shared account",
        ]
    )


def preset_table() -> str:
    """Every preset's values, for ``--help``."""
    keys = [f.name for f in fields(BenchConfig) if f.name not in ("preset", "out", "changed")]
    lines = []
    for name, config in PRESETS.items():
        values = ", ".join(f"{key}={_shown(getattr(config, key))}" for key in keys)
        lines.append(f"  {name:<6} {values}")
    return "\n".join(lines)


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return str(value)

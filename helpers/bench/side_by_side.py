"""Command line: ``python -m helpers.bench.side_by_side [--lengths 10,1000,100000] ...``.

Measures the same work on a SQLite file and on PostgreSQL (an embedded server, or the one
named by ``REBUILD_LAB_POSTGRES_URL``) with ``helpers.bench.engines``, prints one line per
headline cost with the ratio PostgreSQL / SQLite, and writes the tables as CSV into ``--out``.
"""

from __future__ import annotations

import argparse
import tempfile
from contextlib import ExitStack
from pathlib import Path

from helpers.bench.engines import (
    ENGINE_NAMES,
    EngineSettings,
    compare_engines,
    summary_lines,
    write_tables,
)
from helpers.bench.environment import load_average
from helpers.storage.postgres_server import postgres_server, scratch_schema


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = EngineSettings()
    parser = argparse.ArgumentParser(
        prog="python -m helpers.bench.side_by_side",
        description="The same loads, writes and concurrent writers on SQLite and PostgreSQL.",
        epilog="Lists are separated by commas: write 100000 or 100_000, never 100,000.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add = parser.add_argument
    add("--engines", type=_names, default=tuple(ENGINE_NAMES), help="engines to measure")
    add("--lengths", type=_ints, default=defaults.lengths, help="history lengths replayed")
    add(
        "--memory-lengths",
        type=_ints,
        default=defaults.memory_lengths,
        help="history lengths whose streamed replay has its peak memory measured",
    )
    add("--writes", type=int, default=defaults.writes, help="commands saved one per commit")
    add("--writers", type=_ints, default=defaults.writers, help="writer process counts")
    add("--seconds", type=float, default=defaults.seconds, help="duration of each writers' round")
    add("--repeats", type=int, default=defaults.repeats, help="rounds of every timed load")
    add("--out", type=Path, help="folder for the CSV tables (none: print only)")
    return parser.parse_args(argv)


def _ints(text: str) -> tuple[int, ...]:
    """A comma-separated list of positive whole numbers; anything else is refused in one line."""
    try:
        values = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of whole numbers") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give positive whole numbers separated by commas "
            "(100000 or 100_000, not 100,000)"
        )
    return values


def _names(text: str) -> tuple[str, ...]:
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(set(names) - set(ENGINE_NAMES))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown engine(s) {unknown}; known: {ENGINE_NAMES}")
    return names


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = EngineSettings(
        args.lengths, args.repeats, args.writes, args.memory_lengths, args.writers, args.seconds
    )
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rebuild-lab-")))
        stores: dict[str, str | Path] = {}
        for engine in args.engines:
            if engine == "sqlite":
                stores[engine] = folder / "engines.db"
            else:
                server = stack.enter_context(postgres_server())
                stores[engine] = stack.enter_context(scratch_schema(server, "rebuild_lab_engines"))
        print(f"load average at start: {load_average()} (1, 5, 15 min)")
        comparison = compare_engines(stores, settings)
    print(f"{comparison.checked_loads:,} loads, each checked against the generator")
    if len(stores) == len(ENGINE_NAMES):
        print("\n".join(summary_lines(comparison)))
    if args.out:
        files = write_tables(comparison, args.out)
        print(f"wrote {len(files)} CSV files to {args.out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Command line: ``python -m helpers.bench [--preset quick] [--lengths 10,1000] ...``.

Runs the chosen preset (with any overrides), prints what the results say (the same verdicts,
tables and sentences notebook 06 shows), and writes CSV tables and PNG plots into ``--out``.
A bad value stops the run with one line naming the flag and what it accepts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.bench.config import (
    CODECS,
    DEFAULT_OUT,
    ENGINES,
    MIN_REPEATS,
    PRESETS,
    STRATEGIES,
    BenchParameterError,
    config_from_parameters,
    describe_config,
    preset_table,
)

FLAGS = {
    "preset": "--preset",
    "lengths": "--lengths",
    "strategies": "--strategies",
    "intervals": "--intervals",
    "codecs": "--codecs",
    "engines": "--engines",
    "repeats": "--repeats",
    "writers": "--writers",
    "writer_seconds": "--writer-seconds",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr (no usage block, no traceback)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = _Parser(
        prog="python -m helpers.bench",
        description="How the cost of loading an account grows with its history, per strategy. "
        "Every value below starts from the preset's; the flags override it.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"presets:\n{preset_table()}\n\n"
        "Lists are comma-separated. Write thousands without commas: 100000 or 100_000.",
    )
    parser.add_argument(
        "--preset", default="quick", help=f"one of {', '.join(PRESETS)} (default: quick)"
    )
    parser.add_argument("--lengths", default="", help="history lengths, e.g. 10,1000,100000")
    parser.add_argument("--strategies", default="", help=f"from {','.join(STRATEGIES)}")
    parser.add_argument("--intervals", default="", help="hybrid snapshot intervals, e.g. 10,100")
    parser.add_argument("--codecs", default="", help=f"from {','.join(CODECS)}")
    parser.add_argument(
        "--engines",
        default="",
        help=f"from {','.join(ENGINES)} (default: sqlite; postgres needs its driver and a "
        "server: REBUILD_LAB_POSTGRES_URL, or the embedded one)",
    )
    parser.add_argument(
        "--repeats", default="", help=f"rounds of timing, {MIN_REPEATS} or more (preset: 5)"
    )
    parser.add_argument(
        "--writers",
        default="",
        help="counts of concurrent writer processes, each measured once, e.g. 1,2,4",
    )
    parser.add_argument(
        "--writer-seconds", default="", help="seconds each count of concurrent writers runs"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"folder for CSV and PNG ({DEFAULT_OUT})"
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        config = config_from_parameters(
            args.preset,
            args.lengths,
            args.strategies,
            args.intervals,
            args.codecs,
            args.repeats,
            args.engines,
            args.writers,
            args.writer_seconds,
            names=FLAGS,
            out=args.out,
        )
    except BenchParameterError as error:
        print(f"python -m helpers.bench: error: {error}", file=sys.stderr)
        return 2
    import matplotlib

    matplotlib.use("Agg")
    from helpers.bench.report import remove_earlier_outputs, write_plots, write_tables
    from helpers.bench.runner import run
    from helpers.bench.summary import summary_text

    print(describe_config(config))
    command = "python -m helpers.bench " + " ".join(sys.argv[1:] if argv is None else argv)
    try:
        results = run(config, progress=not args.no_progress, command=command.strip())
    except BenchParameterError as error:  # a server that would not start, say
        print(
            f"python -m helpers.bench: error: {FLAGS.get(error.name, error.name)}: {error.problem}",
            file=sys.stderr,
        )
        return 2
    removed = remove_earlier_outputs(config.out)
    if removed:
        print(f"removed {len(removed)} files an earlier run had written to {config.out}/")
    files = write_tables(results, config.out) + write_plots(results, config.out)
    changed = f", changed: {', '.join(config.changed)}" if config.changed else ""
    print(f"\nrebuild-lab benchmark, preset {config.preset!r}{changed}, {results.seconds:.1f} s")
    print(f"load average at start: {results.environment['load_average_at_start']}")
    for line in summary_text(results):
        print(line)
    print(f"\nwrote {len(files)} files to {config.out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Command line: ``python -m helpers.bench [--preset quick] [--lengths 10,1000] ...``.

Runs the chosen preset (with any overrides), prints the targets as PASS/MISS lines with the
measured numbers, and writes CSV tables and PNG plots into ``--out``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

from helpers.bench.config import CODECS, PRESETS, STRATEGIES, _ints, _names, preset
from helpers.bench.report import write_plots, write_tables
from helpers.bench.runner import run
from helpers.bench.targets import verdict_lines


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.bench",
        description="How the cost of loading an account grows with its history, per strategy.",
    )
    parser.add_argument("--preset", default="quick", choices=sorted(PRESETS))
    parser.add_argument("--lengths", type=_ints, help="history lengths, e.g. 10,1000,100000")
    parser.add_argument(
        "--strategies", type=_names, help=f"comma-separated, from {','.join(STRATEGIES)}"
    )
    parser.add_argument("--intervals", type=_ints, help="hybrid snapshot intervals, e.g. 10,100")
    parser.add_argument("--codecs", type=_names, help=f"comma-separated, from {','.join(CODECS)}")
    parser.add_argument("--repeats", type=int, help="timed loads per cell")
    parser.add_argument("--out", type=Path, help="folder for CSV and PNG (data/bench/latest)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    config = preset(args.preset).with_overrides(
        lengths=args.lengths,
        strategies=args.strategies,
        intervals=args.intervals,
        codecs=args.codecs,
        repeats=args.repeats,
        out=args.out,
    )
    command = "python -m helpers.bench " + " ".join(sys.argv[1:] if argv is None else argv)
    results = run(config, progress=not args.no_progress, command=command.strip())
    matplotlib.use("Agg")
    files = write_tables(results, config.out) + write_plots(results, config.out)
    print(f"\nrebuild-lab benchmark, preset {config.preset!r}, {results.seconds:.1f} s")
    print(f"load average at start: {results.environment['load_average_at_start']}")
    for line in verdict_lines(results.tables["targets"]):
        print(line)
    print(f"wrote {len(files)} files to {config.out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

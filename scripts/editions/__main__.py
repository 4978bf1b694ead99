"""Build the pack's editions: ``python -m scripts.editions {student,site,instructors,...}``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.editions", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    student = commands.add_parser("student", help="write the student edition and its zip")
    student.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    site = commands.add_parser("site", help="write the static HTML reading edition")
    site.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    commands.add_parser(
        "instructors", help="rewrite the generated sections of INSTRUCTORS.md from the sources"
    )
    commands.add_parser("checkpoint-answers", help="print every checkpoint with its answer")
    commands.add_parser("runtimes", help="time strict nbval on each notebook, one at a time")
    check = commands.add_parser(
        "check-student", help="run the student notebooks and compare outputs with the full ones"
    )
    check.add_argument("notebooks", nargs="*", help="notebook file names (default: all)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = _run(args)
    print(f"{args.command}: done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return result


def _run(args: argparse.Namespace) -> int:
    if args.command == "student":
        from scripts.editions.student import build_student

        print(f"wrote {build_student(ROOT, args.out)}")
    elif args.command == "site":
        from scripts.editions.site import build_site

        pages = build_site(ROOT, args.out)
        print(f"wrote {len(pages)} pages and index.html to {args.out}")
    elif args.command == "instructors":
        from scripts.editions.instructors import update_instructors

        update_instructors(ROOT / "INSTRUCTORS.md")
        print("INSTRUCTORS.md: generated sections rewritten")
    elif args.command == "checkpoint-answers":
        from scripts.editions.instructors import checkpoint_answers

        print(checkpoint_answers(), end="")
    elif args.command == "runtimes":
        from scripts.editions.runtimes import runtimes_table

        print(runtimes_table(ROOT), end="")
    elif args.command == "check-student":
        from scripts.editions.compare import check_student_edition

        return 0 if check_student_edition(ROOT, args.notebooks) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

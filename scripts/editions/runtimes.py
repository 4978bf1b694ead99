"""How long each notebook takes to run under strict nbval, measured one notebook at a time.

Each notebook runs in its own ``pytest --nbval`` process, exactly as ``make test`` checks it
(fresh kernel, ``--nbval-current-env``, the pack's sanitize file), and the wall-clock time of
the whole process is reported: kernel start-up included, pytest's own start-up included.
These are the numbers to quote when someone asks "how long does the notebook take to run?".
Times depend on the machine and on what else it is doing, so the table also prints the load
average before and after.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from scripts.editions.notebooks import find_notebooks

NBVAL = [
    "--nbval",
    "--nbval-current-env",
    "--nbval-sanitize-with",
    "notebooks/nbval_sanitize.cfg",
    "-q",
    "-p",
    "no:cacheprovider",
]


def time_notebook(root: Path, notebook: Path) -> tuple[float, bool]:
    """Seconds of wall-clock time for strict nbval on one notebook, and whether it passed."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *NBVAL, str(notebook.relative_to(root))],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - started, done.returncode == 0


def runtimes_table(root: Path) -> str:
    rows = [
        f"load average before: {os.getloadavg()[0]:.1f}",
        "",
        "| Notebook | Strict nbval, wall clock | Passed |",
        "|----------|-------------------------:|--------|",
    ]
    for notebook in find_notebooks(root):
        seconds, passed = time_notebook(root, notebook)
        rows.append(f"| `{notebook.stem}` | {seconds:.1f} s | {'yes' if passed else 'NO'} |")
    rows += ["", f"load average after: {os.getloadavg()[0]:.1f}"]
    return "\n".join(rows) + "\n"

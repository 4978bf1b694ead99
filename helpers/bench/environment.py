"""What the numbers were measured on: machine, CPU, Python, SQLite, packages, load average.

Written as comment lines at the top of every CSV, so a result file is never separated from
the conditions that produced it. The load average matters on shared machines: other work on
the same cores makes every timing slower.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from datetime import UTC, datetime
from importlib import metadata

PACKAGES = ("msgspec", "eventsourcing", "pandas", "matplotlib", "tqdm")


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or what ``platform`` knows elsewhere."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unavailable"


def describe(preset: str, command: str = "") -> dict[str, str]:
    """Key -> value lines for the CSV headers."""
    info = {
        "benchmark": "rebuild-lab replay cost (helpers.bench)",
        "preset": preset,
        "started_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "load_average_at_start": load_average() + " (1, 5, 15 min)",
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "sqlite": sqlite3.sqlite_version,
    }
    for package in PACKAGES:
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = "not installed"
    if command:
        info["command"] = command
    return info

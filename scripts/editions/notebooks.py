"""Finding the lesson notebooks and reading what every edition needs from them."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
"""The lessons: every notebook named with two digits first, e.g. ``03_event_sourcing.ipynb``."""

SOLUTION_TAG = "solution"
CHECKPOINT_TAG = "checkpoint"

_MARKUP = re.compile(r"(\*\*|\*|`)(.+?)\1")
"""Markdown emphasis and code around a word: ``*and*`` -> ``and``."""
_ASK = re.compile(r"""\bask\(\s*["']([^"']+)["']\s*\)""")


def find_notebooks(root: Path) -> list[Path]:
    """The lesson notebooks under ``root/notebooks``, in their numbered order."""
    found = sorted((root / "notebooks").glob(NOTEBOOK_GLOB))
    if not found:
        raise FileNotFoundError(f"no notebooks matching {NOTEBOOK_GLOB} in {root / 'notebooks'}")
    return found


def read(path: Path) -> NotebookNode:
    return nbformat.read(path, as_version=4)


def tags(cell: NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def is_solution(cell: NotebookNode) -> bool:
    return SOLUTION_TAG in tags(cell)


def checkpoint_id(cell: NotebookNode) -> str | None:
    """The question a ``checkpoint`` cell asks (``ask("02.1")`` -> ``"02.1"``), else None."""
    if CHECKPOINT_TAG not in tags(cell):
        return None
    match = _ASK.search(cell.source)
    return match.group(1) if match else None


def title(nb: NotebookNode, fallback: str) -> str:
    """The notebook's H1 heading as plain text, which names it in indexes and browser tabs."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return _MARKUP.sub(r"\2", line[2:].strip())
    return fallback


def questions(nb: NotebookNode) -> list[str]:
    """The bullet list under the first cell's **Questions** heading (the lesson's promise)."""
    for cell in nb.cells[:2]:
        if cell.cell_type != "markdown" or "**Questions**" not in cell.source:
            continue
        lines = cell.source.split("**Questions**", 1)[1].splitlines()
        found: list[str] = []
        for line in lines:
            if line.startswith("- "):
                found.append(line[2:].strip())
            elif (found and not line.strip()) or line.strip().startswith("**"):
                break
        return found
    return []

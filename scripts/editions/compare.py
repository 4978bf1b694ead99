"""Do the student notebooks, run top to bottom, give the same results as the full ones?

A student notebook is the full notebook minus its ``solution`` cells, with outputs cleared.
Running it must reproduce, cell by cell, the outputs stored in the full notebook: otherwise a
later cell depended on a worked solution (a student would see an error or a different
result), or the student edition lost something it needs.

Outputs are compared the way strict nbval compares them, with nbval's own helpers: streams
coalesced, the patterns of ``notebooks/nbval_sanitize.cfg`` replaced on both sides, images,
widget ids, metadata and execution counts left out, and cells marked ``NBVAL_IGNORE_OUTPUT``
or ``NBVAL_SKIP`` (comment or tag) not compared. The kernel imports ``helpers`` from the
student edition's own copy (``PYTHONPATH``), which the last check confirms.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from nbclient import NotebookClient
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell
from nbval.plugin import (
    coalesce_streams,
    find_comment_markers,
    find_metadata_tags,
    get_sanitize_patterns,
    transform_streams_for_comparison,
)

from scripts.editions.notebooks import find_notebooks, read
from scripts.editions.student import build_student

SKIPPED_KEYS = frozenset(
    {
        "metadata",
        "traceback",
        "prompt_number",
        "output_type",
        "name",
        "execution_count",
        "application/vnd.jupyter.widget-view+json",
        "image/png",
        "image/jpeg",
    }
)
"""What strict nbval leaves out of a comparison (its ``skip_compare`` without nbdime)."""

_PROBE = "import helpers as _probe; print(_probe.__file__); del _probe"


@dataclass
class Comparison:
    """The outcome for one notebook: which cells differ, and how."""

    notebook: str
    compared: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not self.differences


def sanitize_patterns(root: Path) -> list[tuple[str, str]]:
    config = root / "notebooks" / "nbval_sanitize.cfg"
    return get_sanitize_patterns(config.read_text(encoding="utf-8")) if config.exists() else []


def nbval_options(cell: NotebookNode) -> dict[str, bool]:
    """The nbval markers of a cell, from its tags and then its comments (comments win)."""
    options = dict(find_metadata_tags(cell.metadata))
    options.update(dict(find_comment_markers(cell.source)))
    return options


def comparable(outputs: list, patterns: list[tuple[str, str]]) -> dict[str, list]:
    """Outputs flattened by key, sanitised, without what nbval leaves out."""

    def clean(value: object) -> object:
        if not isinstance(value, str):
            return value
        for regex, replace in patterns:
            value = re.sub(regex, replace, value)
        return value

    flat: dict[str, list] = defaultdict(list)
    for output in transform_streams_for_comparison(coalesce_streams(outputs)):
        for key, value in output.items():
            if key in SKIPPED_KEYS:
                continue
            if key == "data":
                for mime, content in value.items():
                    if mime not in SKIPPED_KEYS:
                        flat[mime].append(clean(_text(content)))
            else:
                flat[key].append(clean(_text(value)))
    return dict(flat)


def _text(value: object) -> object:
    return "".join(value) if isinstance(value, list) else value


def run_student_notebook(edition: Path, name: str, timeout: int = 600) -> NotebookNode:
    """Execute one student notebook in a fresh kernel that imports the edition's ``helpers``."""
    nb = read(edition / "notebooks" / name)
    nb.cells.append(new_code_cell(_PROBE, id="editions-probe"))
    env = {**os.environ, "PYTHONPATH": str(edition)}
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(edition / "notebooks")}},
    )
    client.execute(env=env)
    return nb


def compare(
    full: NotebookNode, ran: NotebookNode, name: str, root: Path, edition: Path | None = None
) -> Comparison:
    """Compare each code cell of the ran student notebook with the same cell of the full one.

    With ``edition``, also require that the kernel imported that edition's ``helpers``.
    """
    result = Comparison(name)
    probed = False
    patterns = sanitize_patterns(root)
    reference = {cell.get("id"): cell for cell in full.cells if cell.cell_type == "code"}
    for cell in ran.cells:
        if cell.get("id") == "editions-probe":
            probed = True
            if edition is not None:
                _check_probe(cell, result, edition)
            continue
        if cell.cell_type != "code" or cell.get("id") not in reference:
            continue
        stored = reference[cell.id]
        options = nbval_options(stored)
        if options.get("skip") or options.get("check") is False or stored.execution_count is None:
            continue
        result.compared += 1
        want, got = comparable(stored.outputs, patterns), comparable(cell.outputs, patterns)
        if want != got:
            result.differences.append(_describe(cell, want, got))
    if edition is not None and not probed:
        result.differences.append("no record of where the kernel imported helpers from")
    return result


def _check_probe(cell: NotebookNode, result: Comparison, edition: Path) -> None:
    """The kernel must have imported the edition's own ``helpers``, not the pack's."""
    printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    imported = Path(printed.strip() or ".").resolve()
    if not imported.is_relative_to(edition.resolve()):
        result.differences.append(f"the kernel imported helpers from {printed.strip()!r}")


def _describe(cell: NotebookNode, want: dict, got: dict) -> str:
    first_line = cell.source.splitlines()[0] if cell.source else "(empty)"
    keys = sorted(set(want) | set(got))
    changed = [k for k in keys if want.get(k) != got.get(k)]
    detail = "; ".join(
        f"{k}: stored {_short(want.get(k))} but got {_short(got.get(k))}" for k in changed
    )
    return f"cell {cell.id} ({first_line!r}): {detail}"


def _short(values: list | None) -> str:
    text = repr(values)
    return text if len(text) < 300 else text[:300] + "..."


def check_student_edition(root: Path, names: list[str] | None = None) -> bool:
    """Build the student edition in a temporary folder, run notebooks, report; True if same."""
    paths = {p.name: p for p in find_notebooks(root)}
    chosen = names or list(paths)
    all_same = True
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-student-") as folder:
        edition = Path(folder) / "student"
        build_student(root, edition)
        for name in chosen:
            ran = run_student_notebook(edition, name)
            result = compare(read(paths[name]), ran, name, root, edition)
            verdict = "same" if result.same else "DIFFERENT"
            print(f"{name}: {verdict} ({result.compared} cells compared)")
            for line in result.differences:
                print(f"  - {line}")
            all_same &= result.same
    return all_same

"""Turning a lesson notebook into its student form: no worked solutions, no outputs.

Worked solutions are whole cells tagged ``solution``, so removing them is a tag filter (the
job nbconvert's ``TagRemovePreprocessor`` does; nbgrader's ``ClearSolutions`` instead cuts
``### BEGIN SOLUTION`` regions out of cells, which this pack does not use). Removing the cell
alone would leave its introduction behind ("Worked solution (click the cell below to reveal
it)") pointing at nothing, so :class:`RemoveSolutions` also rewrites that introduction into a
note saying where the solution is. Outputs and execution counts go with nbconvert's
``ClearOutputPreprocessor``, and the stored widget state with them.
"""

from __future__ import annotations

import copy
import re

from nbconvert.preprocessors import ClearOutputPreprocessor, Preprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell

from scripts.editions.notebooks import is_solution

SOLUTION_NOTE = (
    "It is not in the student edition: try the exercise first; your instructor shares the "
    "worked solutions after the session."
)
_INTRO_LINE = re.compile(r"^(?P<lead>#+\s+|\*\*)?\s*worked solution\b", re.IGNORECASE)


class RemoveSolutions(Preprocessor):
    """Remove every cell tagged ``solution`` and turn its introduction into a note."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        kept: list[NotebookNode] = []
        for cell in nb.cells:
            if not is_solution(cell):
                kept.append(cell)
                continue
            intro = kept[-1] if kept and kept[-1].cell_type == "markdown" else None
            if intro is None or not _rewrite_intro(intro):
                kept.append(_note_cell(cell))
        nb.cells = kept
        return nb, resources


def _rewrite_intro(cell: NotebookNode) -> bool:
    """Replace the cell's lines from "Worked solution ..." on with the note; False if none."""
    lines = cell.source.splitlines()
    for index, line in enumerate(lines):
        match = _INTRO_LINE.match(line)
        if match is None:
            continue
        lead = match.group("lead") or ""
        heading = f"{lead.strip()} Worked solution" if lead.startswith("#") else None
        note = [heading, SOLUTION_NOTE] if heading else [f"**Worked solution.** {SOLUTION_NOTE}"]
        cell.source = "\n".join([*lines[:index], *note])
        return True
    return False


def _note_cell(solution: NotebookNode) -> NotebookNode:
    """A note in the solution's place, with an id derived from it so builds are repeatable."""
    note_id = f"{solution.get('id', 'solution')}-note"[:64]
    return new_markdown_cell(f"**Worked solution.** {SOLUTION_NOTE}", id=note_id)


def student_notebook(nb: NotebookNode) -> NotebookNode:
    """A copy of ``nb`` as students get it: solutions removed, every output cleared."""
    nb = copy.deepcopy(nb)
    RemoveSolutions().preprocess(nb, {})
    ClearOutputPreprocessor().preprocess(nb, {})
    nb.metadata.pop("widgets", None)
    return nb

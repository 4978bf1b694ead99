"""07 and 08 as students get them: solutions that hide their answers, and no cell that needs one."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
FILES = ["07_schema_evolution.ipynb", "08_choosing_a_strategy.ipynb"]


def cells(name: str) -> list[dict]:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]


def is_solution(cell: dict) -> bool:
    return "solution" in cell.get("metadata", {}).get("tags", [])


def top_level_names(source: str) -> set[str]:
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        for target in getattr(node, "targets", []):
            names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


@pytest.mark.parametrize("name", FILES)
def test_a_worked_solution_defines_only_solution_names_and_prints_nothing(name):
    solutions = [cell for cell in cells(name) if is_solution(cell)]
    assert solutions
    for cell in solutions:
        source = "".join(cell["source"])
        assert all(n.startswith("solution_") for n in top_level_names(source)), source
        assert cell["outputs"] == []
        assert cell["metadata"]["jupyter"]["source_hidden"] is True


@pytest.mark.parametrize("name", FILES)
def test_no_cell_outside_a_solution_uses_a_solution_name(name):
    """The student edition drops solution cells; every other cell must still run without them."""
    for cell in cells(name):
        if cell["cell_type"] == "code" and not is_solution(cell):
            assert "solution_" not in "".join(cell["source"])


def test_the_first_mention_of_the_course_page_links_to_its_summary():
    for name in FILES:
        text = "\n".join(
            "".join(c["source"]) for c in cells(name) if c["cell_type"] == "markdown"
        ).lower()
        first = text.find("the course page")
        if first >= 0:
            assert text[first - 1 : first + 60].startswith(
                "[the course page](00_start_here.ipynb#the-course-page)"
            ), name

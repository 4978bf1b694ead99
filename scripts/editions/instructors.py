"""The generated parts of ``INSTRUCTORS.md``: checkpoint answers and per-notebook estimates.

Parts of the guide that are facts about the sources are written by this module, between
``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->`` markers, so they
cannot drift from the notebooks and the checkpoint banks: ``make instructors`` rewrites them,
and a test fails when the file differs from what this module prints. The rest of the guide is
written by people.

* ``checkpoint-answers``: every checkpoint of ``helpers.teaching.checkpoints.all_questions()``
  with its right answer, why, and the misconception behind each wrong option.
* ``reading-estimates``: for each notebook, its words, code cells and checkpoints, the time it
  states for itself, and an estimate from those counts (see :data:`WORDS_PER_MINUTE`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scripts.editions.answers import right_answer, why, wrong_answers
from scripts.editions.notebooks import (
    CHECKPOINT_TAG,
    find_notebooks,
    read,
    tags,
    title,
)

ROOT = Path(__file__).resolve().parents[2]

WORDS_PER_MINUTE = 150
"""Reading speed for technical prose with code in it (plain prose is read at about 250)."""
MINUTES_PER_CODE_CELL = 1.0
"""Reading a cell, running it and looking at what it printed."""
MINUTES_PER_CHECKPOINT = 1.5

_BLOCK = re.compile(
    r"(<!-- BEGIN GENERATED: (?P<name>[\w-]+) -->\n)(?P<body>.*?)"
    r"(<!-- END GENERATED: (?P=name) -->)",
    re.DOTALL,
)
_STATED_TIME = re.compile(r"\*\*Time:\*\*\s*([^\n]+)")


def checkpoint_answers(root: Path = ROOT) -> str:
    """Every checkpoint with its answer, grouped by notebook, as Markdown."""
    from helpers.teaching.checkpoints import all_questions

    titles = {path.name[:2]: title(read(path), path.stem) for path in find_notebooks(root)}
    lines: list[str] = []
    current = None
    for question_id, question in all_questions().items():
        number = question_id.split(".")[0]
        if number != current:
            current = number
            lines += ["", f"#### {titles.get(number, f'Notebook {number}')}", ""]
        lines.append(f"- **{question_id}** {question.prompt}")
        lines.append(f"  - Answer: **{right_answer(question)}**. {why(question)}")
        for given, misconception in wrong_answers(question):
            lines.append(f"  - `{given}`: {misconception}")
    if not lines:
        lines = ["", "No checkpoint questions yet."]
    return "\n".join(lines).lstrip("\n") + "\n"


@dataclass(frozen=True)
class Estimate:
    notebook: str
    words: int
    code_cells: int
    checkpoints: int
    stated: str

    @property
    def minutes(self) -> int:
        """Reading and working time, rounded up to 5 minutes (exercises not included)."""
        raw = (
            self.words / WORDS_PER_MINUTE
            + self.code_cells * MINUTES_PER_CODE_CELL
            + self.checkpoints * MINUTES_PER_CHECKPOINT
        )
        return max(5, -(-round(raw) // 5) * 5)


def estimates(root: Path = ROOT) -> list[Estimate]:
    found = []
    for path in find_notebooks(root):
        nb = read(path)
        markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
        stated = _STATED_TIME.search("\n".join(markdown[:2]))
        found.append(
            Estimate(
                notebook=path.stem,
                words=sum(len(text.split()) for text in markdown),
                code_cells=sum(c.cell_type == "code" for c in nb.cells),
                checkpoints=sum(CHECKPOINT_TAG in tags(c) for c in nb.cells),
                stated=stated.group(1).strip().rstrip(".") if stated else "-",
            )
        )
    return found


def reading_estimates(root: Path = ROOT) -> str:
    rows = [
        "| Notebook | Markdown words | Code cells | Checkpoints | Estimate | The notebook says |",
        "|----------|---------------:|-----------:|------------:|---------:|-------------------|",
    ]
    rows += [
        f"| `{e.notebook}` | {e.words:,} | {e.code_cells} | {e.checkpoints} | "
        f"{e.minutes} min | {e.stated} |"
        for e in estimates(root)
    ]
    return "\n".join(rows) + "\n"


GENERATORS = {
    "checkpoint-answers": checkpoint_answers,
    "reading-estimates": reading_estimates,
}


NOTES_PLACEHOLDER = (
    "*The notes for this notebook are still to come: objectives, stumbles and what to say, "
    "exercise answers, what to demonstrate live. Until then, the notebook's own Questions, "
    "Objectives and Key points, and its checks' feedback, are the guide; its checkpoint "
    "answers are below.*"
)
SECTIONS_END = "\n## Checkpoint answers\n"
"""Per-notebook sections go before this heading."""


def render(text: str, root: Path = ROOT) -> str:
    """``text`` with every generated block rewritten and a section for every notebook."""

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in GENERATORS:
            raise KeyError(f"INSTRUCTORS.md names an unknown generated block {name!r}")
        return match.group(1) + GENERATORS[name](root) + match.group(4)

    return _add_missing_sections(_BLOCK.sub(fill, text), root)


def section_heading(path: Path) -> str:
    """``### 03 · Event sourcing: ...``: the notebook's own title, numbered."""
    name = title(read(path), path.stem)
    number = path.name[:2]
    return f"### {name}" if name.startswith(number) else f"### {number} · {name}"


def _add_missing_sections(text: str, root: Path) -> str:
    """Give a notebook without a section one with a placeholder, where the sections end."""
    missing = [path for path in find_notebooks(root) if f"\n### {path.name[:2]} " not in text]
    if not missing or SECTIONS_END not in text:
        return text
    added = "".join(f"{section_heading(path)}\n\n{NOTES_PLACEHOLDER}\n\n" for path in missing)
    head, tail = text.split(SECTIONS_END, 1)
    return head.rstrip("\n") + "\n\n" + added + SECTIONS_END.lstrip("\n") + tail


def blocks(text: str) -> dict[str, str]:
    """The generated blocks of ``text`` by name, as they stand."""
    return {m.group("name"): m.group("body") for m in _BLOCK.finditer(text)}


def update_instructors(path: Path) -> None:
    path.write_text(render(path.read_text(encoding="utf-8"), path.parent), encoding="utf-8")

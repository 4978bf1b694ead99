"""INSTRUCTORS.md: its generated sections always match the notebooks and the checkpoint banks."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

from helpers.teaching.checkpoints import Choice, MultipleChoice, Numeric
from scripts.editions import instructors
from scripts.editions.instructors import Estimate, blocks, checkpoint_answers, render
from tests.editions.conftest import ROOT

GUIDE = ROOT / "INSTRUCTORS.md"


def test_the_generated_sections_of_the_guide_match_what_the_generators_print():
    text = GUIDE.read_text(encoding="utf-8")
    assert set(blocks(text)) == set(instructors.GENERATORS)
    assert render(text) == text, "INSTRUCTORS.md is stale: run `make instructors` and commit it"


def test_the_guide_has_a_section_for_every_notebook():
    text = GUIDE.read_text(encoding="utf-8")
    for path in instructors.find_notebooks(ROOT):
        assert f"\n### {path.stem[:2]} " in text, f"no section for {path.name}: make instructors"


def test_a_new_notebook_gets_a_section_with_a_placeholder_before_the_answers(tmp_path):
    (tmp_path / "notebooks").mkdir()
    for name in ("00_start.ipynb", "01_next.ipynb"):
        nb = new_notebook(cells=[new_markdown_cell(f"# {name[:2]} · A title")])
        nbformat.write(nb, tmp_path / "notebooks" / name)
    text = "## The notebooks\n\n### 00 · A title\n\nnotes\n\n## Checkpoint answers\n\nx\n"
    rendered = instructors._add_missing_sections(text, tmp_path)
    assert rendered == (
        "## The notebooks\n\n### 00 · A title\n\nnotes\n\n### 01 · A title\n\n"
        f"{instructors.NOTES_PLACEHOLDER}\n\n## Checkpoint answers\n\nx\n"
    )


QUESTIONS = {
    "01.1": MultipleChoice(
        "01.1",
        "Which event is stored?",
        (
            Choice("a", "MoneyDeposited", True, "right: the state needs it."),
            Choice("b", "LowBalanceWarning", False, "an announcement is not a fact to store."),
        ),
    ),
    "01.2": Numeric(
        "01.2",
        "How many events after the snapshot?",
        30,
        "right: 101 to 130.",
        unit="events",
        known_wrong={130: "the snapshot already holds the first 100."},
    ),
}


def test_the_answers_name_the_right_option_and_every_misconception(monkeypatch):
    import helpers.teaching.checkpoints as checkpoints

    monkeypatch.setattr(checkpoints, "all_questions", lambda: QUESTIONS)
    text = checkpoint_answers(ROOT)
    assert "- **01.1** Which event is stored?" in text
    assert "  - Answer: **a: MoneyDeposited**. right: the state needs it." in text
    assert "  - `b`: an announcement is not a fact to store." in text
    assert "  - Answer: **30 events**. right: 101 to 130." in text
    assert "  - `130`: the snapshot already holds the first 100." in text
    assert text.index("01.1") < text.index("01.2")


def test_a_notebook_estimate_rounds_up_to_five_minutes_and_counts_each_part():
    assert Estimate("x", words=0, code_cells=0, checkpoints=0, stated="-").minutes == 5
    assert Estimate("x", words=1500, code_cells=10, checkpoints=2, stated="-").minutes == 25
    assert Estimate("x", words=1500, code_cells=11, checkpoints=2, stated="-").minutes == 25
    assert Estimate("x", words=1500, code_cells=14, checkpoints=2, stated="-").minutes == 30

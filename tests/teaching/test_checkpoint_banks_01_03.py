"""The checkpoint banks of notebooks 01-03: each question asked once, in its notebook, and fair.

Fair means the right answer passes and every wrong answer a student could pick fails with
feedback of its own, so a wrong click teaches something.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from helpers.teaching.checkpoints.questions import MultipleChoice, Numeric

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
BANKS = {
    "01": "01_the_account_aggregate.ipynb",
    "02": "02_snapshots.ipynb",
    "03": "03_event_sourcing.ipynb",
}


def bank(number: str) -> tuple:
    return importlib.import_module(f"helpers.teaching.checkpoints.bank_{number}").QUESTIONS


def checkpoint_cells(notebook: str) -> list[str]:
    cells = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]
    return [
        "".join(cell["source"]).strip()
        for cell in cells
        if "checkpoint" in cell.get("metadata", {}).get("tags", [])
    ]


ALL = [(number, item) for number in BANKS for item in bank(number)]


@pytest.mark.parametrize("number", BANKS)
def test_each_notebook_has_two_to_four_questions_numbered_after_it(number):
    ids = [item.id for item in bank(number)]
    assert 2 <= len(ids) <= 4
    assert ids == [f"{number}.{k}" for k in range(1, len(ids) + 1)]


@pytest.mark.parametrize("number", BANKS)
def test_every_question_is_asked_in_exactly_one_checkpoint_cell_of_its_notebook(number):
    cells = checkpoint_cells(BANKS[number])
    assert sorted(cells) == sorted(f'ask("{item.id}")' for item in bank(number))


@pytest.mark.parametrize(("number", "item"), ALL, ids=[item.id for _, item in ALL])
def test_the_right_answer_passes_and_every_wrong_one_fails_with_its_own_feedback(number, item):
    if isinstance(item, MultipleChoice):
        for choice in item.choices:
            feedback = item.judge(choice.key)
            assert feedback.passed is choice.correct, choice.key
            assert choice.why in str(feedback)
        assert sum(choice.correct for choice in item.choices) == 1
        assert len(item.choices) >= 3
    else:
        assert isinstance(item, Numeric)
        assert item.judge(item.answer).passed
        assert item.judge(str(item.answer)).passed
        for wrong, misconception in item.known_wrong.items():
            feedback = item.judge(wrong)
            assert not feedback.passed and misconception in str(feedback)
        assert len(item.known_wrong) >= 2

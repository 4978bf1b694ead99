"""The checkpoints of notebooks 04 and 05: each asked once, right answers pass, wrong ones fail."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.teaching.checkpoints import bank_04, bank_05
from helpers.teaching.checkpoints.questions import MultipleChoice

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
BANKS = {
    "04_hybrid_designs.ipynb": bank_04.QUESTIONS,
    "05_rebuild_tests_and_drift.ipynb": bank_05.QUESTIONS,
}
QUESTIONS = [question for questions in BANKS.values() for question in questions]


def checkpoint_cells(notebook: str) -> list[str]:
    cells = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]
    return [
        "".join(cell["source"]).strip()
        for cell in cells
        if "checkpoint" in cell.get("metadata", {}).get("tags", [])
    ]


@pytest.mark.parametrize("notebook", list(BANKS))
def test_every_question_is_asked_in_exactly_one_checkpoint_cell_of_its_notebook(notebook):
    cells = checkpoint_cells(notebook)
    asked = [re.fullmatch(r'ask\("(\d\d\.\d+)"\)', cell) for cell in cells]
    assert all(asked), f"a checkpoint cell holds more than ask(...): {cells}"
    ids = [match.group(1) for match in asked]
    assert sorted(ids) == sorted(question.id for question in BANKS[notebook])
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("notebook", list(BANKS))
def test_each_notebook_has_two_to_four_checkpoints_numbered_after_it(notebook):
    questions = BANKS[notebook]
    assert 2 <= len(questions) <= 4
    assert all(question.id.startswith(notebook[:2] + ".") for question in questions)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_the_right_answer_passes_and_every_wrong_option_fails(question):
    if isinstance(question, MultipleChoice):
        for choice in question.choices:
            assert question.judge(choice.key).passed is choice.correct, choice.key
    else:
        assert question.judge(question.answer).passed
        for wrong, why in question.known_wrong.items():
            feedback = question.judge(wrong)
            assert not feedback.passed and why in str(feedback)

"""The checkpoints of 07 and 08: each asked once, in its place, and each wrong answer refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.teaching.checkpoints import all_questions
from helpers.teaching.checkpoints.questions import MultipleChoice, Numeric

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
FILES = {"07": "07_schema_evolution.ipynb", "08": "08_choosing_a_strategy.ipynb"}
QUESTIONS = [q for q in all_questions().values() if q.id.split(".")[0] in FILES]


def checkpoint_cells(number: str) -> list[str]:
    cells = json.loads((NOTEBOOKS / FILES[number]).read_text(encoding="utf-8"))["cells"]
    return [
        "".join(cell["source"])
        for cell in cells
        if "checkpoint" in cell.get("metadata", {}).get("tags", [])
    ]


@pytest.mark.parametrize("number", sorted(FILES))
def test_each_notebook_asks_two_to_four_questions_each_in_a_cell_of_its_own(number):
    asked = [
        re.fullmatch(r'ask\("(\d\d\.\d+)"\)', source.strip()) for source in checkpoint_cells(number)
    ]
    assert all(asked), "a checkpoint cell holds only ask(...)"
    ids = [match.group(1) for match in asked]
    bank = sorted(q.id for q in QUESTIONS if q.id.startswith(number))
    assert sorted(ids) == bank and len(set(ids)) == len(ids)
    assert 2 <= len(ids) <= 4


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_the_right_answer_passes_and_every_wrong_one_names_its_misconception(question):
    if isinstance(question, MultipleChoice):
        for choice in question.choices:
            feedback = question.judge(choice.key)
            assert feedback.passed is choice.correct
            assert choice.why in str(feedback)
    else:
        assert isinstance(question, Numeric)
        assert question.judge(question.answer).passed
        for wrong, why in question.known_wrong.items():
            feedback = question.judge(wrong)
            assert not feedback.passed and why in str(feedback)

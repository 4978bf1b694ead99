"""The pack's example decision records: the copy check knows exactly what 04 shows."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from helpers.teaching.exercises.decision_examples import COPIED_FIELDS, PACK_EXAMPLES, copied_from

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04_hybrid_designs.ipynb"


def records_in_notebook() -> list[dict[str, str]]:
    """The text fields of every ``DecisionRecord(...)`` written out in notebook 04's cells."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    records = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "DecisionRecord":
                records.append({k.arg: ast.literal_eval(k.value) for k in node.keywords})
    return records


@pytest.mark.parametrize("where", list(PACK_EXAMPLES))
def test_each_example_is_written_in_notebook_04_word_for_word(where):
    example = PACK_EXAMPLES[where]
    shown = [{name: record.get(name) for name in COPIED_FIELDS} for record in records_in_notebook()]
    assert example in shown


def test_every_record_notebook_04_writes_out_is_recognised_as_a_copy():
    records = records_in_notebook()
    assert len(records) == len(PACK_EXAMPLES)
    for record in records:
        assert copied_from(record) is not None


def test_a_record_in_the_students_own_words_is_no_copy():
    own = {"history_reason": "Nurses must see who changed a dose and when, for every patient."}
    assert copied_from(own) is None


def test_a_copy_is_recognised_through_changes_of_case_spacing_and_punctuation():
    reason = PACK_EXAMPLES["the ledger example in 04_hybrid_designs.ipynb"]["history_reason"]
    assert copied_from({"history_reason": "  " + reason.upper() + ". "}) is not None

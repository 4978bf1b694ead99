"""The teaching layer: lesson conveniences, exercise checks and decision records.

It may import every other layer, and nothing imports it. Notebooks import from here, e.g.
``from helpers.teaching import Workspace, check_rebuild_test``. Checkpoint questions live in
``checkpoints/bank_NN.py``; a notebook shows one with ``ask("02.1")``.
"""

from helpers.teaching.checkpoints import answer, ask
from helpers.teaching.decisions import WrittenDecision, save_decision
from helpers.teaching.exercises.capstone import (
    SWITCHED_AT,
    check_capstone,
    make_snapshot_bank,
    month_end,
    review_capstone,
)
from helpers.teaching.exercises.decision_record import (
    DecisionRecord,
    check_decision,
    decision_path,
    review_decision,
    review_markdown,
    starter_record,
)
from helpers.teaching.exercises.feedback import Feedback
from helpers.teaching.exercises.in_process_events import check as check_in_process_event
from helpers.teaching.exercises.in_process_events import review as review_in_process_event
from helpers.teaching.exercises.in_process_events import starter_answer
from helpers.teaching.exercises.rebuild_test import check_rebuild_test, review_rebuild_test
from helpers.teaching.figures import CostExplorer, cost_explorer, plot_cost_explorer
from helpers.teaching.lesson import Workspace, expect_error, table
from helpers.teaching.measured import findings, measured_table

__all__ = [
    "SWITCHED_AT",
    "CostExplorer",
    "DecisionRecord",
    "Feedback",
    "Workspace",
    "WrittenDecision",
    "answer",
    "ask",
    "check_capstone",
    "check_decision",
    "check_in_process_event",
    "check_rebuild_test",
    "cost_explorer",
    "decision_path",
    "expect_error",
    "findings",
    "make_snapshot_bank",
    "measured_table",
    "month_end",
    "plot_cost_explorer",
    "review_capstone",
    "review_decision",
    "review_in_process_event",
    "review_markdown",
    "review_rebuild_test",
    "save_decision",
    "starter_answer",
    "starter_record",
    "table",
]

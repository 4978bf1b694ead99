"""The teaching layer: lesson conveniences, exercise checks and decision records.

It may import every other layer, and nothing imports it. Notebooks import from here, e.g.
``from helpers.teaching import Workspace, check_rebuild_test``. Checkpoint questions live in
``checkpoints/bank_NN.py``; a notebook shows one with ``ask("02.1")``.
"""

from helpers.teaching.checkpoints import answer, ask
from helpers.teaching.decisions import SavedDecision, WrittenDecision, save_decision
from helpers.teaching.engine_lines import (
    ROUND_TRIP_MEASURED,
    conflict_rate_lines,
    fixed_part_lines,
    ratio_lines,
    replay_shape_lines,
    round_trip_table,
    writer_lines,
)
from helpers.teaching.exercises.capstone import (
    SWITCHED_AT,
    check_capstone,
    make_snapshot_bank,
    month_end,
    review_capstone,
)
from helpers.teaching.exercises.capstone_bank import bank_differences, carry_over
from helpers.teaching.exercises.decision_record import (
    DecisionRecord,
    check_decision,
    decision_path,
    review_decision,
    review_markdown,
    starter_record,
)
from helpers.teaching.exercises.deploy_day import check_deploy_day, review_deploy_day
from helpers.teaching.exercises.feedback import Feedback
from helpers.teaching.exercises.in_process_events import check as check_in_process_event
from helpers.teaching.exercises.in_process_events import review as review_in_process_event
from helpers.teaching.exercises.in_process_events import starter_answer
from helpers.teaching.exercises.lost_cents import check_lost_cents, review_lost_cents
from helpers.teaching.exercises.rebuild_test import check_rebuild_test, review_rebuild_test
from helpers.teaching.exercises.retry_on_conflict import check_retry, review_retry
from helpers.teaching.exercises.truncation_plan import (
    TruncationPlan,
    check_truncation_plan,
    review_truncation_plan,
)
from helpers.teaching.exercises.upcaster_chain import check_upcaster, review_upcaster
from helpers.teaching.figures import (
    CostExplorer,
    cost_explorer,
    plot_as_of,
    plot_balance_history,
    plot_concurrency,
    plot_cost_explorer,
    plot_drift,
    plot_engine_ratios,
    plot_load_path,
    plot_replay_by_engine,
    plot_replay_sawtooth,
    plot_replay_work,
    plot_schema_history,
    plot_snapshot_memory,
    plot_strategy_map,
    replays_per_load,
    schema_history,
)
from helpers.teaching.lesson import Workspace, expect_error, table
from helpers.teaching.measured import findings, measured_table

__all__ = [
    "ROUND_TRIP_MEASURED",
    "SWITCHED_AT",
    "CostExplorer",
    "DecisionRecord",
    "Feedback",
    "SavedDecision",
    "TruncationPlan",
    "Workspace",
    "WrittenDecision",
    "answer",
    "ask",
    "bank_differences",
    "carry_over",
    "check_capstone",
    "check_decision",
    "check_deploy_day",
    "check_in_process_event",
    "check_lost_cents",
    "check_rebuild_test",
    "check_retry",
    "check_truncation_plan",
    "check_upcaster",
    "conflict_rate_lines",
    "cost_explorer",
    "decision_path",
    "expect_error",
    "findings",
    "fixed_part_lines",
    "make_snapshot_bank",
    "measured_table",
    "month_end",
    "plot_as_of",
    "plot_balance_history",
    "plot_concurrency",
    "plot_cost_explorer",
    "plot_drift",
    "plot_engine_ratios",
    "plot_load_path",
    "plot_replay_by_engine",
    "plot_replay_sawtooth",
    "plot_replay_work",
    "plot_schema_history",
    "plot_snapshot_memory",
    "plot_strategy_map",
    "ratio_lines",
    "replay_shape_lines",
    "replays_per_load",
    "review_capstone",
    "review_decision",
    "review_deploy_day",
    "review_in_process_event",
    "review_lost_cents",
    "review_markdown",
    "review_rebuild_test",
    "review_retry",
    "review_truncation_plan",
    "review_upcaster",
    "round_trip_table",
    "save_decision",
    "schema_history",
    "starter_answer",
    "starter_record",
    "table",
    "writer_lines",
]

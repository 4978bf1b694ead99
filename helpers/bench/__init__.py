"""The bench layer: what rebuilding costs, measured, and a cost model fed by the measurements.

Imports ``domain``, ``storage`` and ``samples``. Run it as ``python -m helpers.bench`` (see
``__main__``) or from a notebook::

    from helpers.bench import preset, run
    results = run(preset("quick"))
    results["loads"]          # a DataFrame: one row per strategy x length x codec

Modules, one job each: ``config`` (parameters and presets), ``histories`` (generating and
storing histories), ``measure`` (checked load timings, writes, memory), ``breakdown`` (where
replay time goes), ``library`` (the eventsourcing library reference), ``environment`` (what
it ran on), ``targets`` (measured values against the pack's engineering targets), ``shape``
(assertions on the shape of the results), ``report`` (CSV, tables and plots), ``runner``
(puts them together) and ``costmodel`` (how often to snapshot, from measured unit costs).
``engines`` and ``writers`` measure the same work on SQLite and PostgreSQL side by side,
concurrent writer processes included (``python -m helpers.bench.side_by_side``).
"""

from helpers.bench.breakdown import STAGES
from helpers.bench.config import PRESETS, BenchConfig, config_from_strings, describe_config, preset
from helpers.bench.costmodel import (
    Suggestion,
    UnitCosts,
    Workload,
    cost_table,
    daily_cost_ms,
    events_replayed_per_load,
    formula_interval,
    measure_unit_costs,
    plot_cost_curve,
    slowest_load_ms,
    suggest_interval,
)
from helpers.bench.engines import (
    EngineComparison,
    EngineSettings,
    breakdown_lines,
    compare_engines,
    conflict_lines,
    replay_breakdown,
    settings_from,
    summary_lines,
)
from helpers.bench.measure import WrongLoad, check_load
from helpers.bench.report import (
    compare_with_reference,
    fit_costs,
    payoff_table,
    plot_breakdown,
    plot_codecs,
    plot_load_vs_length,
    plot_writes_and_storage,
    read_header,
    read_tables,
    readable,
    reference_folder,
)
from helpers.bench.runner import Results, run
from helpers.bench.shape import shape_checks
from helpers.bench.targets import verdict_lines

__all__ = [
    "PRESETS",
    "STAGES",
    "BenchConfig",
    "EngineComparison",
    "EngineSettings",
    "Results",
    "Suggestion",
    "UnitCosts",
    "Workload",
    "WrongLoad",
    "breakdown_lines",
    "check_load",
    "compare_engines",
    "compare_with_reference",
    "config_from_strings",
    "conflict_lines",
    "cost_table",
    "daily_cost_ms",
    "describe_config",
    "events_replayed_per_load",
    "fit_costs",
    "formula_interval",
    "measure_unit_costs",
    "payoff_table",
    "plot_breakdown",
    "plot_codecs",
    "plot_cost_curve",
    "plot_load_vs_length",
    "plot_writes_and_storage",
    "preset",
    "read_header",
    "read_tables",
    "readable",
    "reference_folder",
    "replay_breakdown",
    "run",
    "settings_from",
    "shape_checks",
    "slowest_load_ms",
    "suggest_interval",
    "summary_lines",
    "verdict_lines",
]

"""The bench layer: what rebuilding costs, measured and checked, and models fed by it.

Imports ``domain``, ``storage`` and ``samples``. Run it as ``python -m helpers.bench`` (see
``__main__``) or from a notebook::

    from helpers.bench import preset, run
    results = run(preset("tiny"))
    results["loads"]          # a DataFrame: one row per strategy x length x codec x cache

Modules, one job each: ``config`` (parameters, presets and their parsing), ``histories``
(generating and storing histories, per engine), ``measure`` (checked loads, writes and
memory, timed in rounds), ``floors`` (the raw fetch and json.loads a replay is compared
with), ``library`` (the eventsourcing library reference), ``breakdown`` (where replay time
goes), ``environment`` (what it ran on), ``runner`` (puts them together), ``summary``
(verdicts and sentences made from the numbers), ``tables`` (results for reading), ``marks``
(measured parts marked, times formatted), ``plan`` (what a configuration asks to measure),
``writes`` (write cost), ``report`` (CSV and plots),
``explorer`` (the cost explorer's model) and ``costmodel`` (how often to snapshot).
``engines`` and ``writers`` measure the same work on SQLite and PostgreSQL side by side,
concurrent writer processes included (``python -m helpers.bench.side_by_side``); the main
benchmark runs on either engine or both (``ENGINES``), and ``engines.comparison_from_run``
puts its tables side by side with the same functions; ``engine_figures`` draws them.
"""

from helpers.bench.breakdown import STAGES
from helpers.bench.config import (
    PRESETS,
    BenchConfig,
    BenchParameterError,
    config_from_parameters,
    describe_config,
    preset,
)
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
    comparison_from_run,
    conflict_lines,
    replay_breakdown,
    settings_from,
    summary_lines,
)
from helpers.bench.explorer import (
    Costs,
    ExplorerUnits,
    cost_curves,
    costs_at,
    explorer_choices,
    explorer_units,
    optimum_interval,
)
from helpers.bench.marks import as_html, as_text, table_html
from helpers.bench.measure import WrongLoad, check_load
from helpers.bench.plan import flat_bases, worst_tail_version
from helpers.bench.report import (
    plot_breakdown,
    plot_cold_warm,
    plot_floors,
    plot_load_vs_length,
    plot_storage,
    plot_writes,
    read_header,
    read_tables,
    readable,
    reference_folder,
)
from helpers.bench.runner import Results, only_engine, run
from helpers.bench.summary import (
    checked_lines,
    codec_lines,
    cold_warm_lines,
    cold_warm_table,
    flatness_table,
    floor_lines,
    floors_table,
    growth_table,
    payoff_lines,
    payoff_table,
    run_lines,
    write_lines,
)
from helpers.bench.tables import (
    breakdown_table,
    concurrency_table,
    durability_table,
    loads_table,
    memory_table,
    reference_table,
    storage_table,
    writes_table,
)

__all__ = [
    "PRESETS",
    "STAGES",
    "BenchConfig",
    "BenchParameterError",
    "Costs",
    "EngineComparison",
    "EngineSettings",
    "ExplorerUnits",
    "Results",
    "Suggestion",
    "UnitCosts",
    "Workload",
    "WrongLoad",
    "as_html",
    "as_text",
    "breakdown_lines",
    "breakdown_table",
    "check_load",
    "checked_lines",
    "codec_lines",
    "cold_warm_lines",
    "cold_warm_table",
    "compare_engines",
    "comparison_from_run",
    "concurrency_table",
    "config_from_parameters",
    "conflict_lines",
    "cost_curves",
    "cost_table",
    "costs_at",
    "daily_cost_ms",
    "describe_config",
    "durability_table",
    "events_replayed_per_load",
    "explorer_choices",
    "explorer_units",
    "flat_bases",
    "flatness_table",
    "floor_lines",
    "floors_table",
    "formula_interval",
    "growth_table",
    "loads_table",
    "measure_unit_costs",
    "memory_table",
    "only_engine",
    "optimum_interval",
    "payoff_lines",
    "payoff_table",
    "plot_breakdown",
    "plot_cold_warm",
    "plot_cost_curve",
    "plot_floors",
    "plot_load_vs_length",
    "plot_storage",
    "plot_writes",
    "preset",
    "read_header",
    "read_tables",
    "readable",
    "reference_folder",
    "reference_table",
    "replay_breakdown",
    "run",
    "run_lines",
    "settings_from",
    "slowest_load_ms",
    "storage_table",
    "suggest_interval",
    "summary_lines",
    "table_html",
    "worst_tail_version",
    "write_lines",
    "writes_table",
]

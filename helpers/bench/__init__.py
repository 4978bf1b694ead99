"""The replay-cost benchmark: how loading an account costs under each storage strategy.

Run it as ``python -m helpers.bench`` (see ``__main__``) or from a notebook::

    from helpers.bench import preset, run
    results = run(preset("quick"))
    results["loads"]          # a DataFrame: one row per strategy x length x codec

Modules, one job each: ``config`` (parameters and presets), ``histories`` (generating and
storing histories), ``measure`` (checked load timings, writes, memory), ``breakdown`` (where
replay time goes), ``library`` (the eventsourcing library reference), ``environment`` (what
it ran on), ``targets`` (PASS/MISS against the issue's targets), ``report`` (CSV and plots),
``runner`` (puts them together).
"""

from helpers.bench.config import PRESETS, BenchConfig, preset
from helpers.bench.measure import WrongLoad, check_load
from helpers.bench.runner import Results, run

__all__ = ["PRESETS", "BenchConfig", "Results", "WrongLoad", "check_load", "preset", "run"]

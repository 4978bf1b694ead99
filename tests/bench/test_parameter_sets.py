"""Any sensible parameters give a complete, true set of results.

Each parameter set runs the real benchmark (small, so the suite stays quick) and then every
view notebook 06 and the command line show (``notebook_views``): each must give its result or
a sentence saying why there is none, and what it says must match the tables. No time is
asserted anywhere: only what was measured, how it was checked and what was concluded.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.bench import (
    as_text,
    checked_lines,
    codec_lines,
    cold_warm_lines,
    cold_warm_table,
    config_from_parameters,
    flat_bases,
    flatness_table,
    floor_lines,
    floors_table,
    growth_table,
    loads_table,
    payoff_lines,
    payoff_table,
    preset,
    run,
    storage_table,
    worst_tail_version,
    write_lines,
    writes_table,
)
from helpers.bench.explorer import explorer_choices
from helpers.bench.summary import summary_text
from helpers.bench.tables import breakdown_table, memory_table

SMALL = {"write_commands": 5, "full_sync_commands": 1, "library_max_length": 60}


def small(**changes) -> object:
    return preset("tiny").with_overrides(**{**SMALL, **changes})


def notebook_views(results) -> dict[str, object]:
    """Every table and sentence notebook 06 shows, computed the way its cells compute them."""
    tables, config = results.tables, results.config
    variants = list(tables["loads"]["variant"].unique())
    intervals = config.intervals if "hybrid" in config.strategies else ()
    return {
        "checked": checked_lines(tables),
        "growth": growth_table(tables["loads"]),
        "flat": flatness_table(
            tables["flatness"], flat_bases(config), variants, config.largest, config.flat_base
        ),
        "cold and warm": cold_warm_table(tables["loads"]),
        "cold and warm lines": cold_warm_lines(tables["loads"]),
        "floors": floors_table(tables["loads"], tables["floors"]),
        "floor lines": floor_lines(tables["loads"], tables["floors"]),
        "codec lines": codec_lines(tables["loads"]),
        "payoff": payoff_table(tables["loads"], config.codecs[0]),
        "payoff lines": payoff_lines(tables["loads"], intervals, config.codecs[0]),
        "writes": writes_table(tables["writes"]),
        "write lines": write_lines(tables["writes"]),
        "storage": storage_table(tables["storage"]),
        "breakdown": breakdown_table(tables["breakdown"]),
        "memory": memory_table(tables["memory"]),
        "all loads": loads_table(tables["loads"]),
        "explorer": explorer_choices({"this run": tables["units"]}),
        "summary": summary_text(results),
    }


def _says_something(view) -> bool:
    if isinstance(view, pd.DataFrame | dict):
        return len(view) > 0
    return bool(view) and all(as_text(line).strip() for line in view)


def _run_and_view(config):
    results = run(config, progress=False)
    views = notebook_views(results)
    allowed_empty = {"payoff", "breakdown", "memory", "explorer", "cold and warm"}  # lines say why
    for name, view in views.items():
        if name not in allowed_empty:
            assert _says_something(view), f"{name} shows nothing and says nothing"
    return results, views


@pytest.fixture(scope="module")
def tiny():
    """The tiny preset exactly as notebook 06 runs it by default."""
    return _run_and_view(config_from_parameters("tiny"))


def test_tiny_times_every_strategy_codec_and_cache_with_an_engine_column(tiny):
    results, _ = tiny
    loads = results["loads"]
    for table in ("loads", "floors", "flatness", "writes", "storage", "memory", "breakdown"):
        assert set(results[table]["engine"]) == {"sqlite"}, table
    latest = loads[loads["load"] == "latest"]
    assert len(latest) == 4 * 3 * 2 * 2  # variants x lengths x codecs x (warm, cold)
    assert (loads["samples"] >= 5).all()
    assert (loads["q1_us"] <= loads["median_us"]).all()
    assert (loads["median_us"] <= loads["q3_us"]).all()


def test_tiny_hybrid_latest_loads_replay_real_tails_and_worst_tails_interval_minus_one(tiny):
    loads = tiny[0]["loads"]
    warm = loads[(loads["cache"] == "warm") & (loads["codec"] == "json")]
    latest = warm[(warm["load"] == "latest") & (warm["events"] == 1_234)]
    replayed = latest.set_index("variant")["events_replayed"].to_dict()
    assert replayed == {"snapshot": 0, "event-sourced": 1_234, "hybrid-10": 4, "hybrid-100": 34}
    worst = warm[warm["load"] == "worst tail"]
    assert set(zip(worst["variant"], worst["events_replayed"], strict=True)) == {
        ("hybrid-10", 9),
        ("hybrid-100", 99),
    }
    assert set(worst["version"]) == {99, 1_229, 1_199}


def test_tiny_judges_flatness_from_the_configured_base_and_says_why_hybrid_100_cannot_be(tiny):
    flat = tiny[1]["flat"]
    judged = flat[flat["verdict"].isin(["flat", "grows"])]
    assert set(judged["strategy"]) == {"snapshot", "hybrid-10"}
    assert set(judged["from (events)"]) == {"100"}
    reason = flat[flat["strategy"] == "hybrid-100"]["verdict"].iloc[0]
    assert reason == (
        "not judged: needs a measured length of at least 199 events "
        "(the flatness base, 100, and 2 × interval − 1 = 199) below 1,234"
    )


def test_tiny_measures_the_floors_writes_at_both_settings_and_complete_unit_costs(tiny):
    results, views = tiny
    floors = results["floors"]
    assert set(floors[floors["events"] == 10]["floor"]) == {
        "raw row fetch",
        "json.loads alone",
        "eventsourcing library",
    }
    writes = results["writes"]
    assert set(writes["synchronous"]) == {"NORMAL", "FULL"}
    assert "snapshot row only" in set(writes["variant"])
    assert len(views["explorer"]) == 2  # json and msgspec, every unit cost measured


def test_a_single_length_says_that_nothing_can_be_judged_from_one_length():
    results, views = _run_and_view(small(lengths=(60,)))
    assert set(views["growth"]["verdict"]) <= {
        "not judged: fewer than two measured lengths",
        "not judged: fewer than two measured lengths from its interval up",
    }
    assert all(v.startswith("not judged") for v in views["flat"]["verdict"])
    assert results["flatness"].empty


def test_one_codec_says_there_is_nothing_to_compare():
    _, views = _run_and_view(small(lengths=(10, 150), codecs=("msgspec",)))
    assert views["codec lines"] == [
        "only the msgspec codec was measured, so there is nothing to compare"
    ]


def test_one_strategy_gives_a_reason_for_every_comparison_it_cannot_make():
    _, views = _run_and_view(small(lengths=(10, 150), strategies=("snapshot",)))
    assert "needs both the snapshot and the event-sourced" in views["cold and warm lines"][0]
    assert views["cold and warm"].empty
    assert "left out event-sourced" in views["floor lines"][0]
    assert "no hybrid was measured" in views["payoff lines"][0]
    assert views["breakdown"].empty


def test_intervals_that_do_not_divide_the_lengths_replay_the_remainder():
    results, views = _run_and_view(small(lengths=(25, 60), intervals=(7,), codecs=("json",)))
    loads = results["loads"]
    hybrid = loads[(loads["variant"] == "hybrid-7") & (loads["cache"] == "warm")]
    latest = hybrid[hybrid["load"] == "latest"].set_index("events")["events_replayed"]
    assert latest.to_dict() == {25: 25 % 7, 60: 60 % 7}
    worst = hybrid[hybrid["load"] == "worst tail"].set_index("events")["version"]
    assert worst.to_dict() == {25: 20, 60: 55}
    assert set(hybrid[hybrid["load"] == "worst tail"]["events_replayed"]) == {6}
    assert views["payoff lines"][0].startswith("hybrid-7: its worst case (json)")


def test_lengths_below_every_interval_replay_everything_and_say_no_worst_case_exists():
    results, views = _run_and_view(small(lengths=(5, 8), intervals=(10, 100)))
    loads = results["loads"]
    hybrids = loads[loads["strategy"] == "hybrid"]
    assert set(hybrids["load"]) == {"latest"}
    assert (hybrids["events_replayed"] == hybrids["events"]).all()
    assert views["payoff lines"] == [
        "hybrid-10: no measured length reaches 19 events, where a worst case "
        "(interval - 1 events past a snapshot) first exists",
        "hybrid-100: no measured length reaches 199 events, where a worst case "
        "(interval - 1 events past a snapshot) first exists",
    ]


def test_papermill_integers_run_like_text():
    config = config_from_parameters("tiny", 40, "", 7, "json", 5)
    results, _ = _run_and_view(config.with_overrides(**SMALL))
    assert set(results["loads"]["events"]) == {40}
    assert set(results["loads"]["variant"]) == {"snapshot", "event-sourced", "hybrid-7"}


@pytest.mark.parametrize(
    ("length", "interval", "expected"),
    [(1_234, 100, 1_199), (100, 10, 99), (199, 100, 199), (198, 100, None), (60, 7, 55)],
)
def test_the_worst_tail_sits_interval_minus_one_events_past_a_real_snapshot(
    length, interval, expected
):
    version = worst_tail_version(length, interval)
    assert version == expected
    if version is not None:
        assert version % interval == interval - 1 and version - (interval - 1) >= interval


def test_generated_sentences_agree_with_the_tables_they_come_from(tiny):
    results, views = tiny
    loads = results["loads"]
    warm = loads[(loads["cache"] == "warm") & (loads["load"] == "latest")]
    top = warm[warm["events"] == 1_234].set_index(["variant", "codec"])["median_us"]
    ratio = top["event-sourced", "json"] / top["snapshot", "json"]
    line = as_text(views["cold and warm lines"][0])
    assert f"took {ratio:,.1f}x as long as a snapshot load when both were warm" in line
    es = warm[warm["variant"] == "event-sourced"].pivot_table(
        index="events", columns="codec", values="median_us"
    )
    every = bool((es["msgspec"] < es["json"]).all())
    assert ("at every measured length" in as_text(views["codec lines"][0])) == every
    assert not math.isnan(ratio)

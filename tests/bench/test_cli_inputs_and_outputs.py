"""The command line and the notebook's parameters: names and counts are read sensibly, a
misconfigured server gets advice that fits, and a reused --out folder keeps no stale files."""

from __future__ import annotations

import importlib

import pytest

from helpers.bench import BenchParameterError, config_from_parameters
from helpers.bench.report import TABLE_NAMES, earlier_outputs, remove_earlier_outputs
from helpers.bench.runner import TABLES

# helpers.storage exports a function of the module's name, so fetch the module itself.
postgres_server = importlib.import_module("helpers.storage.postgres_server")


def test_an_engines_value_that_is_not_names_is_refused_with_engine_names_as_the_example():
    with pytest.raises(BenchParameterError, match="'sqlite,postgres', not 5"):
        config_from_parameters("tiny", engines=5)


def test_an_empty_name_between_commas_is_refused_rather_than_skipped():
    with pytest.raises(BenchParameterError, match="empty name between commas"):
        config_from_parameters("tiny", engines="sqlite,,postgres")


def test_names_and_presets_are_read_whatever_their_case():
    config = config_from_parameters("Tiny", engines="SQLite", codecs="JSON")
    assert (config.preset, config.engines, config.codecs) == ("tiny", ("sqlite",), ("json",))


def test_writer_counts_are_kept_from_fewest_to_most():
    assert config_from_parameters("tiny", writers="4,2,1").writers == (1, 2, 4)


def test_a_set_but_unreachable_server_url_is_not_answered_with_advice_to_set_it(monkeypatch):
    monkeypatch.setattr(postgres_server, "why_unavailable", lambda: "no answer")
    monkeypatch.setenv("REBUILD_LAB_POSTGRES_URL", "postgresql://nobody@127.0.0.1:9/x")
    with pytest.raises(BenchParameterError) as raised:
        config_from_parameters("tiny", engines="postgres")
    assert "point REBUILD_LAB_POSTGRES_URL at a server that answers" in str(raised.value)
    assert "to a server of your own" not in str(raised.value)


def test_an_unset_server_url_is_answered_with_advice_to_set_one(monkeypatch):
    monkeypatch.setattr(postgres_server, "why_unavailable", lambda: "no server")
    monkeypatch.delenv("REBUILD_LAB_POSTGRES_URL", raising=False)
    with pytest.raises(BenchParameterError, match="set REBUILD_LAB_POSTGRES_URL to a server"):
        config_from_parameters("tiny", engines="postgres")


def test_the_table_names_removed_are_the_tables_a_run_writes():
    assert sorted(TABLE_NAMES) == sorted(TABLES)


def test_a_reused_out_folder_loses_only_the_files_an_earlier_run_wrote(tmp_path):
    earlier = ["engines.png", "floors_postgres.png", "load_vs_length.png", "loads.csv"]
    kept = ["notes.txt", "my_plot.png", "results.csv"]
    for name in earlier + kept:
        (tmp_path / name).write_text("x")
    assert [path.name for path in earlier_outputs(tmp_path)] == sorted(earlier)
    assert sorted(path.name for path in remove_earlier_outputs(tmp_path)) == sorted(earlier)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(kept)


def test_a_missing_out_folder_has_nothing_to_remove(tmp_path):
    assert remove_earlier_outputs(tmp_path / "new") == []

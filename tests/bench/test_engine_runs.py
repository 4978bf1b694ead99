"""The benchmark on both engines in one run: an engine on every row of every table, concurrent
writers whose counts add up, and a clear refusal where PostgreSQL cannot run.

The run borrows the test session's PostgreSQL server (``REBUILD_LAB_POSTGRES_URL`` pointed at
it), so no second server starts; without PostgreSQL these tests are skipped with the reason,
as the storage tests are. Nothing here asserts a time.
"""

from __future__ import annotations

import importlib
import math

import psycopg
import pytest

from helpers.bench.__main__ import main
from helpers.bench.config import BenchParameterError, config_from_parameters, preset
from helpers.bench.engines import comparison_from_run, summary_lines
from helpers.bench.runner import TABLES, run
from helpers.bench.summary import floors_table, summary_text
from helpers.bench.writers import WrongCount, check_saved_commands, open_writer_accounts

postgres_server = importlib.import_module("helpers.storage.postgres_server")
"""The module (``helpers.storage.postgres_server`` the name is also its function's)."""

SMALL = preset("tiny").with_overrides(
    lengths=(10, 100, 240),
    intervals=(7,),
    codecs=("json",),
    engines=("sqlite", "postgres"),
    writers=(1, 2),
    writer_seconds=0.2,
)


@pytest.fixture(scope="module")
def both(server_stores):
    """One tiny run on SQLite and on the session's PostgreSQL server."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(postgres_server.ENV_VAR, server_stores.server_url)
        yield run(SMALL, progress=False)


def test_every_table_has_both_engines_on_its_rows_and_never_a_blank(both):
    for name in TABLES:
        frame = both[name]
        assert not frame.empty, name
        assert "engine" in frame, name
        assert set(frame["engine"]) == {"sqlite", "postgres"}, name
        assert frame["engine"].notna().all(), name


def test_each_engine_measures_the_same_loads(both):
    loads = both["loads"]
    keys = ["variant", "codec", "events", "load", "cache"]
    sqlite = loads[loads["engine"] == "sqlite"][keys].reset_index(drop=True)
    postgres = loads[loads["engine"] == "postgres"][keys].reset_index(drop=True)
    assert sqlite.equals(postgres)


def test_the_concurrency_rows_add_up(both):
    rows = both["concurrency"]
    assert len(rows) == 2 * 2 * 2  # engines x writer counts x (distinct, shared)
    for row in rows.itertuples():
        assert row.attempted == row.saved + row.conflicts
        assert row.saved >= 1
        assert math.isclose(row.conflicts_per_1000, 1000 * row.conflicts / row.attempted)
        assert math.isclose(row.commands_per_s, row.saved / row.seconds)
    distinct = rows[rows["accounts"] == "distinct"]
    assert (distinct["conflicts"] == 0).all()
    assert (rows[rows["writers"] == 1]["conflicts"] == 0).all()


def test_writes_name_each_engines_own_durability_setting(both):
    writes = both["writes"]
    settings = set(
        zip(
            writes["engine"],
            writes["synchronous"],
            writes["setting"],
            writes["default"],
            strict=True,
        )
    )
    assert settings == {
        ("sqlite", "NORMAL", "synchronous=NORMAL", True),
        ("sqlite", "FULL", "synchronous=FULL", False),
        ("postgres", "NORMAL", "synchronous_commit=off", False),
        ("postgres", "FULL", "synchronous_commit=on", True),
    }


def test_postgres_storage_is_counted_by_the_server(both):
    storage = both["storage"]
    mine = storage[storage["engine"] == "postgres"]
    assert len(mine) == len(storage) / 2
    assert (mine["file_bytes"] >= mine["table_bytes"]).all()
    assert (mine["table_bytes"] > mine["row_bytes"]).all()
    assert (mine["row_bytes"] > 0).all()
    assert "pg_total_relation_size" in both.environment["storage"]


def test_memory_is_measured_at_every_length_on_each_engine(both):
    memory = both["memory"]
    streamed = memory[(memory["variant"] == "event-sourced") & (memory["how"] == "streamed load")]
    for engine in ("sqlite", "postgres"):
        assert sorted(streamed[streamed["engine"] == engine]["events"]) == [10, 100, 240]


def test_the_library_floor_says_sqlite_only_on_postgres(both):
    table = floors_table(both["loads"], both["floors"])
    on_postgres = table[table["engine"] == "postgres"]
    assert set(on_postgres["eventsourcing library"]) == {"SQLite only"}
    assert "SQLite only" not in set(table[table["engine"] == "sqlite"]["eventsourcing library"])


def test_the_summary_compares_the_engines_and_shows_the_writers(both):
    text = "\n".join(summary_text(both))
    for part in (
        "=== sqlite ===",
        "=== postgres ===",
        "engines side by side",
        "concurrent writers",
    ):
        assert part in text
    comparison = comparison_from_run(both.tables, "json")
    lines = summary_lines(comparison, 100_000)
    assert lines[0].startswith("replay of 240 events: SQLite ≈")  # 100,000 was not measured
    assert all("PostgreSQL / SQLite ≈" in line for line in lines)
    assert len(lines) == 6


def test_the_run_leaves_no_schema_on_the_server(both, server_stores):
    with psycopg.connect(server_stores.server_url) as conn:
        left = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild_lab_bench_%'"
        ).fetchall()
    assert left == []


def test_a_lost_save_makes_the_writers_counts_refused(tmp_path):
    target = tmp_path / "writers.db"
    open_writer_accounts(target, 2)
    rows = [{"saved": 1, "conflicts": 0}]
    with pytest.raises(WrongCount, match="reported 1 saved commands, but the store holds 0"):
        check_saved_commands(target, rows, 2)
    check_saved_commands(target, [{"saved": 0}], 2)


# --- where PostgreSQL cannot run ---------------------------------------------------------------


def test_an_unknown_engine_is_refused_with_the_choices():
    with pytest.raises(
        BenchParameterError, match=r"^ENGINES: unknown 'oracle'; choose from sqlite, postgres"
    ):
        config_from_parameters("tiny", engines="sqlite,oracle")


def test_postgres_without_its_driver_or_server_is_refused_saying_why(monkeypatch):
    monkeypatch.setattr(postgres_server, "why_unavailable", lambda: "no server package here")
    with pytest.raises(BenchParameterError) as error:
        config_from_parameters("tiny", engines="sqlite,postgres")
    message = str(error.value)
    assert message.startswith("ENGINES: 'postgres' cannot run on this machine")
    assert "no server package here" in message and "REBUILD_LAB_POSTGRES_URL" in message
    config_from_parameters("tiny", engines="sqlite")  # the default still runs


def test_the_command_line_says_so_in_one_line(monkeypatch, capsys):
    monkeypatch.setattr(postgres_server, "why_unavailable", lambda: "no server package here")
    assert main(["--preset", "tiny", "--engines", "postgres", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("python -m helpers.bench: error: --engines: 'postgres' cannot run")


def test_a_server_that_cannot_start_is_one_line_naming_the_flag(monkeypatch, capsys):
    def broken(**_):
        raise RuntimeError("initdb failed")

    monkeypatch.setattr(postgres_server, "why_unavailable", lambda: None)
    monkeypatch.setattr(postgres_server, "postgres_server", broken)
    monkeypatch.delenv(postgres_server.ENV_VAR, raising=False)
    assert main(["--preset", "tiny", "--engines", "postgres", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (
        "python -m helpers.bench: error: --engines: 'postgres' was asked for, but its server "
        "could not start (initdb failed)"
    )
    assert not any("Traceback" in line for line in err)


def test_papermill_numbers_set_the_writers():
    config = config_from_parameters("tiny", writers=4, writer_seconds=1)
    assert (config.writers, config.writer_seconds) == ((4,), 1.0)

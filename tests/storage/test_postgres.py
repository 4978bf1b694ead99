"""The PostgreSQL engine's own rules, tested on a real server (the session's, see conftest).

The contract tests already run every strategy on PostgreSQL; these check what is particular to
the server: the tables and their types, the write lock and what it does not block, the
transaction rules, the server-side cursor, the global position, and the URL helpers.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

try:
    import psycopg
    from psycopg import pq
except ImportError as missing:  # where no wheel exists: skipped, saying why
    pytest.skip(
        f"PostgreSQL is skipped: the psycopg driver cannot be imported ({missing})",
        allow_module_level=True,
    )

from helpers.domain.clock import TickingClock
from helpers.errors import CorruptRecord, SchemaVersionError
from helpers.samples.workload import build_account
from helpers.storage.database import open_database
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.postgres import (
    LAYOUT_VERSION,
    PostgresDatabase,
    describe_url,
    to_pyformat,
)
from helpers.storage.postgres_server import (
    ENV_VAR,
    configured_url,
    postgres_server,
    scratch_schema,
    with_search_path,
    with_settings,
)
from helpers.storage.snapshot_store import SnapshotRepository
from tests.storage.contract import (
    insert_event_row,
    opened_with_deposits,
    query,
    run_sql,
    stored_rows,
)

PACK_ROOT = Path(__file__).parents[2]


@pytest.fixture
def pg_store(server_stores):
    url = server_stores.create()
    yield url
    server_stores.drop(url)


@pytest.fixture
def db(pg_store):
    database = open_database(pg_store)  # the engine, prepared as a repository prepares it
    yield database
    database.close()


def other_connection(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True)


# --- tables ----------------------------------------------------------------------------------


def test_a_url_opens_the_postgresql_engine_and_a_path_the_sqlite_one(pg_store, tmp_path):
    server, file = open_database(pg_store), open_database(tmp_path / "x.db")
    try:
        assert (server.engine, file.engine) == ("postgres", "sqlite")
    finally:
        server.close()
        file.close()


def test_a_new_database_gets_every_table_and_records_its_layout_version(db, pg_store):
    names = query(pg_store, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    assert {name for (name,) in names} == {"meta", "accounts", "events", "snapshots", "corrections"}
    assert db.read_meta("layout_version") == str(LAYOUT_VERSION) == "2"


def test_payloads_and_states_are_stored_as_text_not_jsonb(db, pg_store):
    types = dict(
        query(
            pg_store,
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_name IN ('payload', 'state')",
        )
    )
    assert types == {"events.payload": "text", "accounts.state": "text", "snapshots.state": "text"}


def test_the_same_history_is_stored_as_the_same_bytes_on_both_engines(pg_store, db_path):
    clock = TickingClock(datetime(2026, 3, 1, 8, 0, tzinfo=UTC), timedelta(seconds=30))
    for target in (db_path, pg_store):
        account = build_account("acc-twin", 40, seed=11)
        with HybridRepository(target, snapshot_every=7) as hybrid:
            hybrid.save(account)
        with SnapshotRepository(target, clock=clock) as snapshots:
            snapshots.save(build_account("acc-solo", 12, seed=4))
    on_sqlite, on_postgres = stored_rows(db_path), stored_rows(pg_store)
    assert on_postgres["events"] == on_sqlite["events"]  # positions included
    assert on_postgres["snapshots"] == on_sqlite["snapshots"]
    assert [row[:4] for row in on_postgres["accounts"]] == [
        row[:4] for row in on_sqlite["accounts"]
    ]
    assert len(on_postgres["events"]) == 40 and len(on_postgres["snapshots"]) == 1


def test_account_ids_sort_byte_by_byte_as_they_do_in_sqlite(pg_store, db_path):
    ids = ["acc-b", "acc-B", "acc-a", "acc-_", "acc-10", "acc-9", "Acc-z", "acc-é"]
    for target in (db_path, pg_store):
        with SnapshotRepository(target) as repo:
            for account_id in ids:
                repo.save(opened_with_deposits(account_id))
    order = "SELECT account_id FROM accounts ORDER BY account_id"
    assert query(pg_store, order) == query(db_path, order) == [(i,) for i in sorted(ids)]


# --- transactions and the write lock ---------------------------------------------------------


def test_a_transaction_commits_when_its_block_finishes(db, pg_store):
    with db.transaction():
        db.write_meta("colour", "green")
    assert query(pg_store, "SELECT value FROM meta WHERE key = 'colour'") == [("green",)]


def test_a_transaction_rolls_back_everything_when_its_block_raises(db, pg_store):
    with pytest.raises(RuntimeError, match="halfway"), db.transaction():
        db.write_meta("colour", "green")
        db.write_meta("shape", "round")
        raise RuntimeError("halfway")
    assert query(pg_store, "SELECT key FROM meta WHERE key IN ('colour', 'shape')") == []
    assert db.conn.info.transaction_status == pq.TransactionStatus.IDLE


def test_a_failed_statement_whose_error_was_caught_is_not_reported_as_committed(db, pg_store):
    with pytest.raises(psycopg.errors.InFailedSqlTransaction), db.transaction():
        db.write_meta("colour", "green")
        with pytest.raises(psycopg.errors.UndefinedTable):
            db.execute("SELECT * FROM no_such_table")
    assert query(pg_store, "SELECT key FROM meta WHERE key = 'colour'") == []
    with db.transaction():  # and the connection is usable again
        db.write_meta("colour", "blue")


def test_a_transaction_holds_the_write_lock_from_its_start(db, pg_store):
    with other_connection(pg_store) as other:
        with (
            db.transaction(),
            pytest.raises(psycopg.errors.LockNotAvailable),
            other.transaction(),
        ):
            other.execute("LOCK TABLE events IN EXCLUSIVE MODE NOWAIT")
        with other.transaction():  # released at the end of the block
            other.execute("LOCK TABLE events IN EXCLUSIVE MODE NOWAIT")


def test_a_writer_never_blocks_a_reader(db, pg_store):
    with db.transaction(), other_connection(pg_store) as other:
        db.write_meta("colour", "green")
        other.execute("SET lock_timeout = '100ms'")
        assert other.execute("SELECT value FROM meta WHERE key = 'colour'").fetchall() == []


def test_a_writer_waits_for_the_lock_at_most_five_seconds_unless_told_otherwise(db, pg_store):
    assert db.execute("SHOW lock_timeout").fetchone() == ("5s",)
    patient = PostgresDatabase(pg_store, lock_timeout=0.25)
    try:
        assert patient.execute("SHOW lock_timeout").fetchone() == ("250ms",)
    finally:
        patient.close()


def test_a_transaction_inside_a_transaction_is_refused_rather_than_silently_merged(db):
    with (
        pytest.raises(psycopg.ProgrammingError, match="already open"),
        db.transaction(),
        db.transaction(),
    ):
        pass
    assert db.conn.info.transaction_status == pq.TransactionStatus.IDLE


def test_a_layout_from_newer_code_is_refused_and_the_connection_is_closed(db, pg_store):
    run_sql(pg_store, "UPDATE meta SET value = '99' WHERE key = 'layout_version'")
    opened = []
    real_connect = psycopg.connect

    def recording_connect(*args, **kwargs):
        opened.append(real_connect(*args, **kwargs))
        return opened[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(psycopg, "connect", recording_connect)
        with pytest.raises(SchemaVersionError) as raised:
            open_database(pg_store)
    assert (raised.value.found, raised.value.newest_known) == (99, LAYOUT_VERSION)
    assert opened[0].closed


# --- reading -----------------------------------------------------------------------------------


def test_a_stream_reads_through_a_server_side_cursor_in_a_transaction_of_its_own(db):
    with EventSourcedRepository(db.url) as repo:
        repo.save(build_account("acc-1", 30, seed=2))
    rows = db.stream("SELECT version FROM events ORDER BY version")
    assert next(rows) == (1,)
    assert db.conn.info.transaction_status == pq.TransactionStatus.INTRANS
    cursors = db.conn.execute("SELECT name FROM pg_cursors").fetchall()  # in that transaction
    assert [name for (name,) in cursors if name.startswith("rebuild_lab_stream")]
    assert [version for (version,) in rows] == list(range(2, 31))
    assert db.conn.info.transaction_status == pq.TransactionStatus.IDLE


def test_using_the_connection_ends_an_unfinished_read_which_then_says_so(db):
    rows = db.stream("SELECT generate_series(1, 2000)")
    assert next(rows) == (1,)
    assert db.fetch_one("SELECT 42") == (42,)  # ends the read's transaction first
    assert db.conn.info.transaction_status == pq.TransactionStatus.IDLE
    with pytest.raises(psycopg.ProgrammingError, match="read it to the end first"):
        list(rows)
    assert db.conn.info.transaction_status == pq.TransactionStatus.IDLE


def test_each_thread_has_its_own_connection_and_never_sees_uncommitted_rows(db):
    seen: dict[str, object] = {}
    written, checked = threading.Event(), threading.Event()

    def writer() -> None:
        seen["writer's connection"] = db.conn
        with db.transaction():
            db.write_meta("colour", "green")
            written.set()
            checked.wait(timeout=10)

    thread = threading.Thread(target=writer)
    thread.start()
    written.wait(timeout=10)
    seen["while writing"] = db.read_meta("colour")
    checked.set()
    thread.join(timeout=10)
    seen["after"] = db.read_meta("colour")
    assert seen.pop("writer's connection") is not db.conn
    assert seen == {"while writing": None, "after": "green"}


def test_preparing_records_missing_meta_keys_and_keeps_stored_ones(db):
    db.prepare({"authority": "snapshot"})
    assert db.prepare({"authority": "events", "owner": "ledger team"}) == {
        "authority": "snapshot",
        "layout_version": "2",
        "owner": "ledger team",
    }


def test_the_next_event_position_follows_the_highest_stored_one(pg_store, db):
    with EventSourcedRepository(pg_store) as repo:
        repo.save(opened_with_deposits("acc-1", 5, 6))
    with db.transaction():
        assert db.next_event_position() == 4


def test_closing_a_stream_early_ends_its_transaction(db):
    rows = db.stream("SELECT generate_series(1, 10000)")
    assert next(rows) == (1,)
    rows.close()
    assert db.conn.info.transaction_status == pq.TransactionStatus.IDLE


def test_a_store_works_on_after_a_read_that_failed_on_a_bad_row(pg_store):
    """The errors are kept (as a notebook's expect_error keeps them), and with them the
    unfinished reads; the next save and load must not run inside their transaction."""
    with EventSourcedRepository(pg_store) as repo:
        repo.save(opened_with_deposits("acc-1", 5, 6))
        run_sql(pg_store, "UPDATE events SET payload = '{oops' WHERE version = 2")
        with pytest.raises(CorruptRecord) as kept:
            repo.load("acc-1")
        with pytest.raises(CorruptRecord) as kept_too:
            list(repo.history("acc-1"))
        account = opened_with_deposits("acc-2", 9)
        repo.save(account)
        assert repo.db.conn.info.transaction_status == pq.TransactionStatus.IDLE
    assert query(pg_store, "SELECT COUNT(*) FROM events WHERE account_id = 'acc-2'") == [(2,)]
    with EventSourcedRepository(pg_store) as other:
        assert other.load("acc-2").state == account.state
    assert kept.value.version == kept_too.value.version == 2


def test_question_marks_become_placeholders_except_inside_quotes():
    assert to_pyformat("SELECT ? WHERE a = '?' AND \"b?\" = ?") == (
        "SELECT %s WHERE a = '?' AND \"b?\" = %s"
    )
    assert to_pyformat("SELECT 'it''s ?', ? LIKE '5%'") == "SELECT 'it''s ?', %s LIKE '5%'"
    assert to_pyformat("SELECT 5 % ?") == "SELECT 5 %% %s"


@contextmanager
def round_trips() -> Iterator[list[str]]:
    """Record every query sent to the server: each ``execute`` is one round trip (several
    statements sent together travel as one), and fetching rows already received is none."""
    sent: list[str] = []
    real_execute = psycopg.Cursor.execute  # connections and client cursors both use it

    def recording_execute(cursor, query, *args, **kwargs):
        sent.append(str(query).split()[0])
        return real_execute(cursor, query, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(psycopg.Cursor, "execute", recording_execute)
        yield sent


def test_a_load_costs_one_round_trip_per_read_and_a_hybrid_load_three(pg_store):
    with (
        SnapshotRepository(pg_store) as snapshots,
        EventSourcedRepository(pg_store) as events,
        HybridRepository(pg_store, snapshot_every=10) as hybrid,
    ):
        snapshots.save(build_account("acc-s", 25, seed=9))
        events.save(build_account("acc-e", 25, seed=9))
        hybrid.save(build_account("acc-h", 25, seed=9))
        counted = {}
        for name, repo, account_id in (
            ("snapshot", snapshots, "acc-s"),
            ("events", events, "acc-e"),
            ("hybrid", hybrid, "acc-h"),
        ):
            repo.load(account_id)  # connections opened, tables checked: not counted
            with round_trips() as sent:
                repo.load(account_id)
            counted[name] = sent
    assert counted == {
        "snapshot": ["SELECT"],  # the one row
        "events": ["BEGIN;", "COMMIT"],  # open the cursor and fetch, then close it
        "hybrid": ["SELECT", "BEGIN;", "COMMIT"],  # the newest snapshot, then the events
    }
    assert hybrid.last_load.snapshot_version == 25  # a save that crosses 10 or 20 snapshots


def test_a_long_replay_costs_one_more_round_trip_per_batch_of_rows(pg_store):
    with EventSourcedRepository(pg_store) as repo:
        repo.save(build_account("acc-1", 1_200, seed=2))
        repo.load("acc-1")
        with round_trips() as sent:
            repo.load("acc-1")
    assert sent == ["BEGIN;", "FETCH", "FETCH", "COMMIT"]  # 500 + 500 + 200 rows


# --- the global position (layout version 2) ----------------------------------------------------


def positions(store) -> list[tuple[str, int, int]]:
    return query(store, "SELECT account_id, version, position FROM events ORDER BY position")


def test_positions_run_across_accounts_in_the_order_of_the_appends(pg_store):
    with EventSourcedRepository(pg_store) as repo:
        ada, bob = opened_with_deposits("acc-ada", 5), opened_with_deposits("acc-bob")
        repo.save(ada)
        repo.save(bob)
        ada.withdraw(1, "later")
        repo.save(ada)
    assert positions(pg_store) == [
        ("acc-ada", 1, 1),
        ("acc-ada", 2, 2),
        ("acc-bob", 1, 3),
        ("acc-ada", 3, 4),
    ]


def test_a_rolled_back_append_leaves_no_gap_in_the_positions(pg_store):
    with EventSourcedRepository(pg_store) as repo:
        repo.save(opened_with_deposits("acc-1", 5))
        with pytest.raises(Exception, match="stored at version 2"):
            repo.save(opened_with_deposits("acc-1", 7, 8))
        repo.save(opened_with_deposits("acc-2"))
    assert [p for (_, _, p) in positions(pg_store)] == [1, 2, 3]


def test_a_row_inserted_by_hand_without_a_position_gets_the_next_one(pg_store):
    with EventSourcedRepository(pg_store) as repo:
        repo.save(opened_with_deposits("acc-1", 5))
    [row] = query(pg_store, "SELECT * FROM events WHERE version = 2")
    run_sql(
        pg_store,
        "INSERT INTO events (account_id, version, event_type, schema_version, occurred_at, "
        "payload) VALUES ('acc-hand', 1, ?, ?, ?, ?)",
        (row[2], row[3], row[4], row[5]),
    )
    insert_event_row(pg_store, ("acc-hand", 2, row[2], row[3], row[4], row[5]))
    assert positions(pg_store)[-2:] == [("acc-hand", 1, 3), ("acc-hand", 2, 4)]


APPENDER = textwrap.dedent(
    """
    import sys
    from helpers.domain.account import Account
    from helpers.domain.clock import TickingClock
    from helpers.storage.event_store import EventSourcedRepository

    url, name, saves = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with EventSourcedRepository(url) as repo:
        account = Account.open(name, "Writer " + name, clock=TickingClock())
        for number in range(saves):
            for _ in range(3):  # three events per save: a transaction's events stay together
                account.deposit(1, f"{name}-{number}")
            repo.save(account)
    """
)


def test_concurrent_appenders_commit_gap_free_positions_that_a_tailing_reader_sees_in_order(
    pg_store,
):
    """The eventsourcing library's non-interleaving test, with processes and a live reader."""
    EventSourcedRepository(pg_store).close()  # create the tables before the race
    gaps_seen: list[list[int]] = []
    stop = threading.Event()

    def tail() -> None:
        with other_connection(pg_store) as reader:
            while not stop.is_set():
                seen = [p for (p,) in reader.execute("SELECT position FROM events ORDER BY 1")]
                if seen != list(range(1, len(seen) + 1)):
                    gaps_seen.append(seen)

    reader = threading.Thread(target=tail)
    reader.start()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER, pg_store, f"acc-{n}", "15"], cwd=PACK_ROOT
        )
        for n in range(3)
    ]
    try:
        for writer in writers:
            assert writer.wait(timeout=120) == 0
    finally:
        stop.set()
        reader.join(timeout=30)
    assert gaps_seen == []
    assert [p for (_, _, p) in positions(pg_store)] == list(range(1, 3 * (1 + 15 * 3) + 1))
    # xmin is the id of the transaction that inserted a row: each save's positions are one run.
    by_save: dict[str, list[int]] = {}
    for save, position in query(pg_store, "SELECT xmin::text, position FROM events"):
        by_save.setdefault(save, []).append(position)
    assert len(by_save) == 3 * 15
    for run in by_save.values():
        assert sorted(run) == list(range(min(run), min(run) + len(run))), run


# --- URLs and the server helper ----------------------------------------------------------------


def test_a_location_names_neither_the_password_nor_the_socket_folder():
    url = "postgresql://ada:s3cret@db.example:5433/ledger?options=-c%20search_path%3Dlesson_09"
    assert describe_url(url) == "postgresql://ada@db.example:5433/ledger (schema lesson_09)"
    assert describe_url("postgresql://postgres:@/postgres?host=/tmp/x/data") == (
        "postgresql://postgres@/postgres"
    )


def test_settings_are_added_to_the_options_already_in_a_url():
    url = with_settings("postgresql://u@h/db?options=-c%20work_mem%3D4MB", synchronous_commit="off")
    assert psycopg.conninfo.conninfo_to_dict(url)["options"] == (
        "-c work_mem=4MB -c synchronous_commit=off"
    )
    with pytest.raises(ValueError, match="lower-case"):
        with_search_path(url, "x; DROP TABLE events")


def test_a_configured_server_is_used_as_it_is_and_never_started_or_stopped(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "postgresql://someone@elsewhere/db")
    with postgres_server() as url:
        assert url == "postgresql://someone@elsewhere/db"


ABANDONED_SERVER = textwrap.dedent(
    """
    from helpers.storage.postgres_server import postgres_server
    block = postgres_server(in_memory=True)
    print(block.__enter__(), flush=True)  # started, and the block is never left
    """
)


def test_a_server_whose_block_is_never_left_is_stopped_and_deleted_when_python_exits(
    server_stores,
):
    """As a notebook kernel shut down before its clean-up cell would leave it."""
    if configured_url() is not None:
        pytest.skip(f"{ENV_VAR} names the server: no embedded one is started here")
    child = subprocess.run(
        [sys.executable, "-c", ABANDONED_SERVER],
        cwd=PACK_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    socket_folder = psycopg.conninfo.conninfo_to_dict(child.stdout.strip())["host"]
    folder = Path(socket_folder).parent  # .../rebuild-lab-pg-XXXX/data
    assert folder.name.startswith("rebuild-lab-pg-")
    assert not folder.exists()
    running = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(folder) not in running


def test_a_scratch_schema_is_empty_at_the_start_and_gone_at_the_end(server_stores):
    server = server_stores.server_url
    with scratch_schema(server, "rebuild_lab_scratch") as url:
        with SnapshotRepository(url) as repo:
            repo.save(opened_with_deposits("acc-1", 5))
        assert query(url, "SELECT account_id FROM accounts") == [("acc-1",)]
    with scratch_schema(server, "rebuild_lab_scratch") as url:
        assert query(url, "SELECT to_regclass('accounts')") == [(None,)]
    assert query(server, "SELECT 1 FROM pg_namespace WHERE nspname = 'rebuild_lab_scratch'") == []

"""Stored rows damaged every way Hypothesis can think of: every load returns the state the
rows describe, or raises a pack error naming a damaged row - never a raw exception, never a
state the rows do not support.

Each example copies a small store (two accounts, every strategy, both codecs), damages one
to three of its rows - truncated JSON, flipped bits, values of the wrong type, swapped event
types, schema versions from the future or the past, rows of the other account, deleted and
duplicated versions, columns of the wrong type - and then loads both accounts, reads the
feed, the audit history and (for hybrids) runs ``verify``.

What "the state the rows describe" means is decided by an independent reader
(``tests.faults.oracle``), not by the code under test:

* if the reader finds a usable history, the load must return exactly its state - or refuse
  with a ``StoredRowError`` naming a row that was damaged (a codec may be stricter than the
  reader about a field that changes no state, such as a timestamp);
* if the reader finds the history unusable, the load must refuse, naming a damaged row (or
  the row right after a deleted one, where the history breaks);
* a row nobody damaged is never named, and a healthy snapshot is never reported as skipped.

What this cannot catch, by design: damage that turns one valid row into another valid row.
A flipped digit inside an amount, or a deposit relabelled as a withdrawal, is a different
but well-formed fact; only a checksum stored with each row could tell, and the pack does not
keep one (it would cost every replayed row a hash). The reader counts such rows as what they
now say, so the property checks that the store reads them exactly as written.

SQLite only. Most of this damage cannot be stored on PostgreSQL: its columns are typed (no
text in ``version``, no number in ``event_type``) and its text must be UTF-8 (no flipped
high bits). The damage a server does accept - truncated JSON, wrong value types, swapped
event types, future schema versions, other accounts' rows, deleted and duplicated
versions - reaches the same codec and the same repository code, and is checked on both
engines row by row in ``tests/storage/test_row_errors.py`` and
``tests/storage/test_corrupt_records.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing, suppress
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.errors import AccountNotFound, RebuildLabError, StoredRowError
from helpers.storage.codec import JsonCodec
from helpers.storage.codec_msgspec import MsgspecCodec
from tests.faults import profile, tally
from tests.faults.oracle import StoredRowsReader
from tests.storage.contract import STRATEGIES

SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
"""Each example copies a store; a RAM-backed folder keeps that cheap."""

UNDER_TEST = ("event-sourced", "hybrid-events-every-3", "hybrid-snapshot-authority", "snapshot")
ACCOUNTS = ("acc-1", "acc-2")
CODECS = {"json": JsonCodec, "msgspec": MsgspecCodec}
TABLES = {
    "event-sourced": ("events",),
    "hybrid-events-every-3": ("events", "events", "snapshots"),
    "hybrid-snapshot-authority": ("events", "snapshots", "snapshots"),
    "snapshot": ("accounts",),
}
TEXT_COLUMN = {"events": "payload", "snapshots": "state", "accounts": "state"}
EVENT_TYPES = (
    "AccountOpened",
    "MoneyDeposited",
    "MoneyWithdrawn",
    "AccountFrozen",
    "AccountUnfrozen",
    "AccountClosed",
    "InterestPaid",
)
WRONG_VALUES = ("12.50", 12.5, None, True, [], {}, "", -1, 0, 2**70, "acc-2", "1970-01-01")
SCHEMA_VALUES = (0, 1, 3, 99, -1, "2", 2.5, "two")


def build_store(path: Path, strategy: str) -> None:
    """acc-1: ten events over four saves (open, money, freeze, unfreeze); acc-2: five."""
    clock = TickingClock()
    with STRATEGIES[strategy](path) as repo:
        ada = Account.open("acc-1", "Ada Lovelace", 5_000, clock=clock)
        ada.deposit(12_000, "salary")
        repo.save(ada)
        ada.withdraw(3_050, "rent")
        ada.freeze("review")
        repo.save(ada)
        ada.unfreeze()
        ada.deposit(999, "refund")
        ada.withdraw(14_000, "car")
        repo.save(ada)
        ada.deposit(1, "cent")
        ada.deposit(70, "more")
        ada.deposit(400, "last")
        repo.save(ada)
        bea = Account.open("acc-2", "Bea", clock=clock)
        for amount in (100, 200, 300, 400):
            bea.deposit(amount, "bea")
        repo.save(bea)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corruption-templates")
    paths = {}
    for strategy in UNDER_TEST:
        paths[strategy] = folder / f"{strategy}.db"
        build_store(paths[strategy], strategy)  # closed: the WAL is folded into the file
    return paths


def row_keys(path: Path, table: str) -> list[tuple[str, int]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f'SELECT account_id, version FROM "{table}" ORDER BY 1, 2').fetchall()


def all_rows(path: Path, table: str) -> dict[tuple, tuple]:
    """Every row keyed by (account, version), read as bytes so that nothing fails."""
    with closing(sqlite3.connect(path)) as conn:
        conn.text_factory = bytes
        rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
    return {(_text(row[0]), _text(row[1])): row for row in rows}


def _text(value: object) -> object:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


# --- the damage ----------------------------------------------------------------------------


@st.composite
def damage(draw, strategy: str, keys: dict[str, list[tuple[str, int]]]):
    """One change to one row: (kind, table, key, argument)."""
    table = draw(st.sampled_from(TABLES[strategy]))
    key = draw(st.sampled_from(keys[table]))
    kind = draw(
        st.sampled_from(
            [
                "truncate",
                "flip",
                "wrong-type",
                "swap-type",
                "schema",
                "foreign",
                "delete",
                "duplicate",
                "renumber",
                "column-type",
            ]
        )
    )
    if kind == "truncate":
        argument = draw(st.floats(0, 0.999))
    elif kind == "flip":
        argument = (draw(st.floats(0, 0.999)), draw(st.integers(0, 7)))
    elif kind == "wrong-type":
        argument = (draw(st.integers(0, 20)), draw(st.sampled_from(WRONG_VALUES)))
    elif kind == "swap-type":
        argument = draw(st.sampled_from(EVENT_TYPES))
    elif kind == "schema":
        argument = draw(st.sampled_from(SCHEMA_VALUES))
    elif kind in ("duplicate", "foreign"):
        argument = draw(st.sampled_from(keys[table]))
    elif kind == "renumber":
        argument = draw(st.sampled_from([-1, 0, 11, 99, "x", 2.5]) | st.integers(1, 12))
    else:
        argument = draw(st.sampled_from(["event_type", "payload", "state", "version"]))
    return kind, table, key, argument


def apply(conn: sqlite3.Connection, kind: str, table: str, key: tuple, argument) -> None:
    """Make one change with plain SQL, the way a person or a buggy script would."""
    column = TEXT_COLUMN[table]
    where = "WHERE account_id = ? AND version = ?"
    conn.text_factory = bytes  # a row damaged by an earlier change may not be UTF-8 any more
    found = conn.execute(f'SELECT "{column}" FROM "{table}" {where}', key).fetchone()
    if found is None:  # an earlier change moved or deleted this row
        return
    raw = found[0] if isinstance(found[0], bytes) else str(found[0]).encode()

    def set_value(value, cast: bool = False) -> None:
        target = "CAST(? AS TEXT)" if cast else "?"
        conn.execute(f'UPDATE "{table}" SET "{column}" = {target} {where}', (value, *key))

    if kind == "truncate":
        set_value(raw[: int(len(raw) * argument)], cast=True)
    elif kind == "flip" and raw:
        data = bytearray(raw)
        at, bit = argument
        data[int(len(data) * at)] ^= 1 << bit
        set_value(bytes(data), cast=True)
    elif kind == "wrong-type":
        try:
            data = json.loads(raw.decode())
        except ValueError:
            return
        if isinstance(data, dict) and data:
            name = sorted(data)[argument[0] % len(data)]
            set_value(json.dumps({**data, name: argument[1]}))
    elif kind == "swap-type":
        if table == "events":
            conn.execute(f"UPDATE events SET event_type = ? {where}", (argument, *key))
    elif kind == "schema":
        conn.execute(f'UPDATE "{table}" SET schema_version = ? {where}', (argument, *key))
    elif kind in ("duplicate", "foreign"):
        # duplicate: another row's text (versions repeat); foreign: the other account's row
        source = argument if kind == "duplicate" else (_other(key[0]), argument[1])
        conn.execute(
            f'UPDATE "{table}" SET "{column}" = (SELECT "{column}" FROM "{table}" {where}) '
            f'{where} AND EXISTS (SELECT 1 FROM "{table}" {where})',
            (*source, *key, *source),
        )
    elif kind == "delete":
        conn.execute(f'DELETE FROM "{table}" {where}', key)
    elif kind == "renumber":
        with suppress(sqlite3.IntegrityError):  # that version is taken: nothing changes
            conn.execute(f'UPDATE "{table}" SET version = ? {where}', (argument, *key))
    elif kind == "column-type":  # a number where text belongs, text where a number belongs
        name = column if argument in ("payload", "state") else argument
        if name == "event_type" and table != "events":
            return
        value = {"event_type": 7, "payload": 12345, "state": 12345, "version": "v"}[name]
        with suppress(sqlite3.IntegrityError):
            conn.execute(f'UPDATE "{table}" SET "{name}" = ? {where}', (value, *key))


def _other(account_id: str) -> str:
    return "acc-2" if account_id == "acc-1" else "acc-1"


def damaged_rows(before: dict, after: dict, table: str) -> set[tuple]:
    """(table, account, version) of every changed row, and of the row after a missing one."""
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    named = {(table, *key) for key in changed}
    for account_id, version in changed - after.keys():  # deleted or moved away
        later = [
            v
            for (a, v) in after
            if a == account_id and type(v) is int and type(version) is int
            if v > version
        ]
        if later:
            named.add((table, account_id, min(later)))
    return named


# --- the property -----------------------------------------------------------------------------


def check(action, expected, damaged: set[tuple], what: str) -> str:
    """Run one read; return 'state' or 'refused'; fail on anything the property forbids."""
    try:
        result = action()
    except AccountNotFound:
        assert expected is None or expected.absent or expected.refused_at, what
        return "refused"
    except StoredRowError as error:
        row = (error.table, error.account_id, error.version)
        assert row in damaged, f"{what}: names {row}, which nobody damaged: {error}"
        return "refused"
    except RebuildLabError as error:
        raise AssertionError(f"{what}: a pack error that names no row: {error!r}") from error
    except Exception as error:
        tally.COUNTS["raw_exceptions"] += 1
        raise AssertionError(f"{what}: a raw exception: {error!r}") from error
    if expected is not None:
        assert expected.state is not None, f"{what}: returned a state the rows do not support"
        assert result.state == expected.state, f"{what}: {result.state} != {expected.state}"
    return "state"


@settings(
    max_examples=profile.current().corruption_examples,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None if profile.current().name == "stress" else settings().database,
)
@given(data=st.data())
def test_a_damaged_store_loads_what_its_rows_say_or_names_a_damaged_row(templates, data):
    strategy = data.draw(st.sampled_from(UNDER_TEST), label="strategy")
    codec = CODECS[data.draw(st.sampled_from(sorted(CODECS)), label="codec")]()
    tables = sorted(set(TABLES[strategy]))
    keys = {table: row_keys(templates[strategy], table) for table in tables}
    changes = data.draw(st.lists(damage(strategy, keys), min_size=1, max_size=3), label="damage")
    tally.COUNTS["corruption_examples"] += 1
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-damage-", dir=SCRATCH) as folder:
        path = Path(folder) / "damaged.db"
        shutil.copyfile(templates[strategy], path)
        before = {table: all_rows(path, table) for table in tables}
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:
            for change in changes:
                apply(conn, *change)
        damaged = set()
        for table in tables:
            damaged |= damaged_rows(before[table], all_rows(path, table), table)
        reader = StoredRowsReader(path)
        try:
            expected = {account: reader.outcome(strategy, account) for account in ACCOUNTS}
        finally:
            reader.close()
        with STRATEGIES[strategy](path, codec=codec) as repo:
            for account_id in ACCOUNTS:
                what = f"{strategy}/{codec.name} load({account_id}) after {changes}"
                outcome = check(
                    lambda a=account_id: repo.load(a), expected[account_id], damaged, what
                )
                tally.COUNTS[f"corruption_{'states' if outcome == 'state' else 'refusals'}"] += 1
                report = getattr(repo, "last_load", None)
                if outcome == "state" and report is not None:
                    for skip in report.skipped:
                        assert ("snapshots", account_id, skip.version) in damaged, what
            if strategy != "snapshot":
                check(lambda: list(repo.read_all()), None, damaged, f"read_all after {changes}")
                for account_id in ACCOUNTS:
                    check(lambda a=account_id: list(repo.history(a)), None, damaged, "history")
            if strategy.startswith("hybrid"):
                for account_id in ACCOUNTS:
                    check(lambda a=account_id: repo.verify(a), None, damaged, "verify")

"""The ledger's first release, on disk: schema-1 rows, and how to put them into SQLite.

Release 1 stored money as decimal strings of whole currency units (``"12.50"``), both in the
``MoneyDeposited`` / ``MoneyWithdrawn`` events and in the snapshot of the state. The current
code stores integer cents (schema 2). This module writes rows in the *old* shape - exactly the
rows release 1 would have written - so the lesson on schema evolution can read a genuine
legacy history instead of pretending.

Two uses:

* ``scripts/make_legacy_history.py`` ran :func:`legacy_event_row` / :func:`legacy_state_row`
  once to write the small committed files in ``data/legacy/`` (see its README.md);
* :func:`load_legacy_rows` copies those files into a SQLite database, and
  :func:`write_legacy_store` builds a larger release-1 database on the fly for measurements.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import Any

from helpers.domain.clock import TickingClock
from helpers.domain.events import DomainEvent, MoneyDeposited, MoneyWithdrawn
from helpers.domain.state import AccountState
from helpers.samples.workload import build_account, expected_after
from helpers.storage.codec import JsonCodec, format_timestamp
from helpers.storage.sqlite import connect, transaction

LEGACY_DIR = Path(__file__).resolve().parents[2] / "data" / "legacy"
"""Where the committed release-1 files live (``events.jsonl`` and ``snapshots.jsonl``)."""

LEGACY_SCHEMA = 1
"""The schema version release 1 wrote for money events and for snapshots."""

_MONEY_EVENTS = (MoneyDeposited, MoneyWithdrawn)
_CODEC = JsonCodec()


def cents_to_decimal_units(cents: int) -> str:
    """``1250`` -> ``"12.50"``; ``-5`` -> ``"-0.05"``: how release 1 wrote money."""
    return str(Decimal(cents).scaleb(-2))


def legacy_event_row(event: DomainEvent) -> dict[str, Any]:
    """The ``events`` row release 1 would have stored for ``event`` (money as a decimal string)."""
    type_name, schema_version, payload = _CODEC.encode_event(event)
    if isinstance(event, _MONEY_EVENTS):
        data = json.loads(payload)
        data["amount"] = cents_to_decimal_units(event.amount)
        payload = json.dumps(data, separators=(",", ":"))
        schema_version = LEGACY_SCHEMA
    return {
        "account_id": event.account_id,
        "version": event.version,
        "event_type": type_name,
        "schema_version": schema_version,
        "occurred_at": format_timestamp(event.occurred_at),
        "payload": payload,
    }


def legacy_state_row(state: AccountState, saved_at: datetime) -> dict[str, Any]:
    """The snapshot row release 1 would have stored: state schema 1, money as decimal strings."""
    data = state.as_dict()
    data["balance"] = cents_to_decimal_units(state.balance)
    data["overdraft_limit"] = cents_to_decimal_units(state.overdraft_limit)
    return {
        "account_id": state.account_id,
        "version": state.version,
        "schema_version": LEGACY_SCHEMA,
        "state": json.dumps(data, separators=(",", ":")),
        "saved_at": format_timestamp(saved_at),
    }


@dataclass(frozen=True)
class LegacyRows:
    """The rows of one release-1 database: its events and its latest snapshot per account."""

    events: list[dict[str, Any]]
    snapshots: list[dict[str, Any]]


def read_legacy(folder: str | PathLike[str] = LEGACY_DIR) -> LegacyRows:
    """Read ``events.jsonl`` and ``snapshots.jsonl`` (one JSON object per line)."""
    folder = Path(folder)
    return LegacyRows(
        events=_read_jsonl(folder / "events.jsonl"),
        snapshots=_read_jsonl(folder / "snapshots.jsonl"),
    )


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_legacy_rows(
    conn: sqlite3.Connection, rows: LegacyRows, *, snapshot_table: str | None = "snapshots"
) -> None:
    """Insert the rows as they are - no conversion - in one transaction.

    ``snapshot_table`` is ``"accounts"`` for the snapshot-only strategy, ``"snapshots"`` for
    the hybrid, or ``None`` to load the events alone. Release 1 had no feed, so each event
    gets the next free position in the order the rows are given.
    """
    with transaction(conn):
        conn.executemany(
            "INSERT INTO events (account_id, version, event_type, schema_version, occurred_at, "
            "payload, position) VALUES (:account_id, :version, :event_type, :schema_version, "
            ":occurred_at, :payload, (SELECT COALESCE(MAX(position), 0) + 1 FROM events))",
            rows.events,
        )
        if snapshot_table == "accounts":
            conn.executemany(
                "INSERT INTO accounts (account_id, version, schema_version, state, saved_at) "
                "VALUES (:account_id, :version, :schema_version, :state, :saved_at)",
                rows.snapshots,
            )
        elif snapshot_table == "snapshots":
            conn.executemany(
                "INSERT INTO snapshots (account_id, version, schema_version, state) "
                "VALUES (:account_id, :version, :schema_version, :state)",
                rows.snapshots,
            )
        elif snapshot_table is not None:
            raise ValueError("snapshot_table must be 'accounts', 'snapshots' or None")


def create_legacy_database(
    path: str | PathLike[str],
    rows: LegacyRows | None = None,
    *,
    snapshot_table: str | None = "snapshots",
) -> None:
    """Create a SQLite file holding the release-1 rows (the committed ones by default)."""
    conn = connect(path)
    try:
        load_legacy_rows(
            conn, rows if rows is not None else read_legacy(), snapshot_table=snapshot_table
        )
    finally:
        conn.close()


def legacy_history(
    account_id: str,
    n_events: int,
    *,
    seed: int,
    start: datetime,
    owner: str = "Ada Lovelace",
    overdraft_limit: int = 0,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One account's release-1 event rows and its snapshot row (taken after the last event)."""
    clock = TickingClock(start, timedelta(hours=9, minutes=17))
    account = build_account(
        account_id, n_events, seed=seed, owner=owner, overdraft_limit=overdraft_limit, clock=clock
    )
    events = [legacy_event_row(event) for event in account.pending_events]
    return events, legacy_state_row(account.state, saved_at=clock())


def legacy_rows_at_scale(
    n_accounts: int, n_events: int, *, seed: int = 2025
) -> Iterator[LegacyRows]:
    """Release-1 rows for many accounts, one account at a time (seed + index per account)."""
    start = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    for index in range(n_accounts):
        events, snapshot = legacy_history(
            f"acc-{index:04d}", n_events, seed=seed + index, start=start
        )
        yield LegacyRows(events, [snapshot])


def expected_legacy_balances(n_accounts: int, n_events: int, *, seed: int = 2025) -> dict[str, int]:
    """The balance each account of :func:`write_legacy_store` must have, by plain arithmetic."""
    return {
        f"acc-{index:04d}": expected_after(n_events, seed=seed + index).balance
        for index in range(n_accounts)
    }


def write_legacy_store(
    path: str | PathLike[str], n_accounts: int, n_events: int, *, seed: int = 2025
) -> int:
    """Create a release-1 hybrid database: v1 events plus one v1 snapshot per account.

    Used to measure what rebuilding every snapshot costs after a deploy; returns the number
    of events written. Account ``acc-NNNN`` follows ``build_account(..., seed=seed + NNNN)``.
    """
    conn = connect(path)
    written = 0
    try:
        for rows in legacy_rows_at_scale(n_accounts, n_events, seed=seed):
            load_legacy_rows(conn, rows)
            written += len(rows.events)
    finally:
        conn.close()
    return written


LEGACY_ACCOUNTS = (
    # account id, owner, events, seed, overdraft limit (cents)
    ("acc-ada", "Ada Lovelace", 48, 1, 0),
    ("acc-grace", "Grace Hopper", 48, 6, 0),
    ("acc-alan", "Alan Turing", 36, 14, 50_000),
    ("acc-edsger", "Edsger Dijkstra", 30, 4, 0),
    ("acc-barbara", "Barbara Liskov", 40, 5, 20_000),
    ("acc-ken", "Ken Thompson", 24, 8, 0),
)
"""The six accounts of the committed history (``data/legacy/``)."""

LEGACY_START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def float_migration_gets_it_wrong(decimal_text: str) -> bool:
    """True when ``int(float(text) * 100)`` - the classic bug - loses a cent."""
    return int(float(decimal_text) * 100) != round(float(decimal_text) * 100)


def write_legacy_files(folder: str | PathLike[str] = LEGACY_DIR) -> LegacyRows:
    """Write ``events.jsonl`` and ``snapshots.jsonl`` for :data:`LEGACY_ACCOUNTS` into ``folder``.

    Refuses to write a history without a balance that the float migration gets wrong: the
    lesson on migrations needs one.
    """
    events: list[dict[str, Any]] = []
    snapshots: list[dict[str, Any]] = []
    for account_id, owner, n_events, seed, overdraft_limit in LEGACY_ACCOUNTS:
        rows, snapshot = legacy_history(
            account_id,
            n_events,
            seed=seed,
            start=LEGACY_START,
            owner=owner,
            overdraft_limit=overdraft_limit,
        )
        events.extend(rows)
        snapshots.append(snapshot)
    balances = [json.loads(row["state"])["balance"] for row in snapshots]
    if not any(float_migration_gets_it_wrong(text) for text in balances):
        raise ValueError("the lesson needs one balance that a float migration gets wrong")
    folder = Path(folder)
    write_jsonl(folder / "events.jsonl", events)
    write_jsonl(folder / "snapshots.jsonl", snapshots)
    return LegacyRows(events, snapshots)


def write_jsonl(path: str | PathLike[str], rows: Iterable[dict[str, Any]]) -> None:
    """One compact JSON object per line, keys in a fixed order, newline-terminated."""
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        for row in rows:
            out.write(json.dumps(row, separators=(",", ":"), ensure_ascii=False) + "\n")

"""What to do with stored snapshots after the state's shape changed: migrate, or rebuild.

Events are never rewritten: upcasters bring old ones forward on every read. A snapshot is
different. It is a *derived* record in an old shape, and the code deliberately refuses it
(``StaleSnapshot``). There are two ways out:

* **migrate** the rows in place (:func:`migrate_snapshot_rows`): the only way when the
  snapshot is the truth, because nothing else can produce the state - and nothing else can
  check the migration either;
* **rebuild** them from the events (:func:`rebuild_all_snapshots`): possible only when the
  events are the truth, slower, and correct by construction.

:func:`truncate_covered_events` shows what a store gives up when it deletes the events a
snapshot covers, and :func:`row_fingerprint` lets a lesson prove that a refused operation
rewrote nothing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from helpers.errors import CorruptRecord, SchemaVersionError, StaleSnapshot
from helpers.storage.codec import (
    STATE_SCHEMA_VERSION,
    DecodeError,
    JsonCodec,
    Upcaster,
    state_from_dict,
)
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.sqlite import transaction
from helpers.storage.upcasters import UpcastError, state_v1_to_v2

SNAPSHOT_TABLES = ("accounts", "snapshots")
"""Tables that hold stored states: the snapshot strategy's and the hybrid's."""

STATE_MIGRATIONS: dict[int, Upcaster] = {1: state_v1_to_v2}
"""The exact state migrations, by the version they start from."""


def float_state_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """A plausible but WRONG migration, kept for the lesson: ``int(float(text) * 100)``.

    ``float("10061.47") * 100`` is ``1006146.9999999999``, and ``int`` cuts it to
    ``1006146``: one cent lost, silently, on about one balance in twenty.
    """
    return {
        **data,
        "balance": int(float(data["balance"]) * 100),
        "overdraft_limit": int(float(data["overdraft_limit"]) * 100),
    }


@dataclass(frozen=True)
class RowChange:
    """One snapshot row as it was and as the migration writes it."""

    account_id: str
    version: int
    from_schema: int
    before: str
    after: str


@dataclass(frozen=True)
class MigrationReport:
    """What a migration found and changed (or, in a dry run, would change)."""

    table: str
    dry_run: bool
    rows_examined: int
    changes: tuple[RowChange, ...]

    def as_rows(self) -> list[dict[str, object]]:
        """One dict per changed row, ready for a DataFrame."""
        return [
            {
                "account": c.account_id,
                "version": c.version,
                "schema": f"{c.from_schema} -> {STATE_SCHEMA_VERSION}",
                "stored before": c.before,
                "stored after": c.after,
            }
            for c in self.changes
        ]

    def __str__(self) -> str:
        verb = "would migrate" if self.dry_run else "migrated"
        tail = " (dry run: rolled back, nothing written)" if self.dry_run else ""
        return (
            f"{self.table}: examined {self.rows_examined} row(s), {verb} "
            f"{len(self.changes)} to state schema {STATE_SCHEMA_VERSION}{tail}"
        )


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def migrate_snapshot_rows(
    conn: sqlite3.Connection,
    table: str,
    *,
    dry_run: bool = False,
    migrations: Mapping[int, Upcaster] = STATE_MIGRATIONS,
) -> MigrationReport:
    """Rewrite every old-shape row of ``table`` in the current state shape, in ONE transaction.

    All rows move or none do: a row that cannot be migrated - or one written by *newer* code
    (``SchemaVersionError``) - rolls the whole transaction back. A dry run executes the same
    statements and then rolls back, so it tests the real SQL, not a simulation of it.
    Each migrated state is re-encoded by the current codec, so the text is exactly what new
    code would have written.
    """
    _check_table(table)
    codec = JsonCodec()
    changes: list[RowChange] = []
    try:
        with transaction(conn):
            rows = conn.execute(
                f'SELECT account_id, version, schema_version, state FROM "{table}" '
                "ORDER BY account_id, version"
            ).fetchall()
            for account_id, version, schema, text in rows:
                if schema > STATE_SCHEMA_VERSION:
                    raise SchemaVersionError(
                        "stored snapshot",
                        schema,
                        STATE_SCHEMA_VERSION,
                        table=table,
                        account_id=account_id,
                        version=version,
                    )
                if schema == STATE_SCHEMA_VERSION:
                    continue
                new_text = _migrated_text(
                    codec, table, account_id, version, schema, text, migrations
                )
                conn.execute(
                    f'UPDATE "{table}" SET schema_version = ?, state = ? '
                    "WHERE account_id = ? AND version = ?",
                    (STATE_SCHEMA_VERSION, new_text, account_id, version),
                )
                changes.append(RowChange(account_id, version, schema, text, new_text))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return MigrationReport(table, dry_run, len(rows), tuple(changes))


def _migrated_text(
    codec: JsonCodec,
    table: str,
    account_id: str,
    version: int,
    schema: int,
    text: str,
    migrations: Mapping[int, Upcaster],
) -> str:
    """One row's state text in the current shape, or CorruptRecord naming the row."""
    try:
        data = json.loads(text)
        for step in range(schema, STATE_SCHEMA_VERSION):
            if step not in migrations:
                raise StaleSnapshot(step, STATE_SCHEMA_VERSION)
            data = migrations[step](data)
        return codec.encode_state(state_from_dict(data))[1]
    except (UpcastError, DecodeError, KeyError, TypeError, ValueError) as error:
        raise CorruptRecord(
            table, account_id, version, f"the migration from schema {schema} failed ({error})"
        ) from error


@dataclass(frozen=True)
class RebuildReport:
    """How many snapshots a rebuild replaced and how many events it replayed to do it."""

    accounts: int
    events_replayed: int

    def __str__(self) -> str:
        return f"rebuilt {self.accounts} snapshot(s) from {self.events_replayed:,} replayed events"


def rebuild_all_snapshots(repo: HybridRepository) -> RebuildReport:
    """Replace every account's snapshots with a fresh replay, if any of them is stale.

    This is the events-authority answer to a state-shape change: throw the derived records
    away and derive them again. Each account is one transaction (``rebuild_snapshot``), so
    a crash half-way leaves some accounts rebuilt and the rest still stale - and still
    skipped on load - which is safe. With ``authority="snapshot"`` it refuses (ValueError).
    """
    stale = [
        account_id
        for (account_id,) in repo.db.execute(
            "SELECT DISTINCT account_id FROM snapshots WHERE schema_version < ? "
            "ORDER BY account_id",
            (STATE_SCHEMA_VERSION,),
        )
    ]
    replayed = sum(repo.rebuild_snapshot(account_id).version for account_id in stale)
    return RebuildReport(len(stale), replayed)


def schema_census(conn: sqlite3.Connection, table: str) -> list[dict[str, object]]:
    """How many rows of ``table`` are stored at each schema version."""
    _check_table(table, allowed=(*SNAPSHOT_TABLES, "events"))
    cursor = conn.execute(
        f'SELECT schema_version, COUNT(*) FROM "{table}" GROUP BY schema_version ORDER BY 1'
    )
    return [{"schema version": schema, "rows": count} for schema, count in cursor]


def truncate_covered_events(conn: sqlite3.Connection, account_id: str) -> int:
    """Delete the events that the account's newest snapshot covers; return how many went.

    Some stores do this to save space. Afterwards the snapshot is the only record of those
    events' effect: it can no longer be checked against them, nor rebuilt from them.
    """
    with transaction(conn):
        (covered,) = conn.execute(
            "SELECT MAX(version) FROM snapshots WHERE account_id = ?", (account_id,)
        ).fetchone()
        if covered is None:
            return 0
        cursor = conn.execute(
            "DELETE FROM events WHERE account_id = ? AND version <= ?", (account_id, covered)
        )
    return cursor.rowcount


def row_fingerprint(conn: sqlite3.Connection, table: str) -> str:
    """A SHA-256 of every row of ``table`` in key order: equal digests mean equal bytes."""
    _check_table(table, allowed=(*SNAPSHOT_TABLES, "events"))
    digest = hashlib.sha256()
    for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY account_id, version'):
        digest.update(json.dumps(row).encode())
    return digest.hexdigest()


def stored_account_ids(conn: sqlite3.Connection, table: str) -> list[str]:
    """Every account id stored in ``table``, sorted."""
    _check_table(table, allowed=(*SNAPSHOT_TABLES, "events"))
    return [row[0] for row in conn.execute(f'SELECT DISTINCT account_id FROM "{table}" ORDER BY 1')]


def _check_table(table: str, allowed: tuple[str, ...] = SNAPSHOT_TABLES) -> None:
    """Table names are formatted into SQL, so only the pack's own names are accepted."""
    if table not in allowed:
        raise ValueError(f"table must be one of {', '.join(allowed)}, not {table!r}")

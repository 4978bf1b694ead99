"""The storage layer: codecs, the database engines, the three ways to persist an Account, and
the event feed with a projection that follows it.

Imports ``domain`` and ``helpers.errors`` only. The strategies speak engine-neutral SQL
through ``helpers.storage.database``; each engine lives in a module of its own (``sqlite``,
``postgres``: imported only when a ``postgresql://`` URL is opened, so the pack works without
psycopg). ``postgres_server`` starts a throwaway embedded server or names yours.
The msgspec codec and the PostgreSQL engine class are imported only when asked for
(``helpers.storage.MsgspecCodec``, ``helpers.storage.PostgresDatabase``), so the pack works
without msgspec or psycopg installed.
"""

from typing import Any

from helpers.storage.codec import (
    STATE_SCHEMA_VERSION,
    Codec,
    DecodeError,
    EventRegistry,
    JsonCodec,
    format_timestamp,
    parse_timestamp,
)
from helpers.storage.database import Database, open_database
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.feed import FeedEntry
from helpers.storage.hybrid_store import (
    FieldDifference,
    HybridRepository,
    LoadReport,
    SkippedSnapshot,
    VerifyReport,
)
from helpers.storage.postgres_server import postgres_server, scratch_schema, why_unavailable
from helpers.storage.projection import BalancesByOwner
from helpers.storage.reconcile import Reconciliation, correct_snapshot_by_hand, reconcile
from helpers.storage.repository import Repository
from helpers.storage.schema_migration import (
    MigrationReport,
    RebuildReport,
    float_state_v1_to_v2,
    migrate_snapshot_rows,
    rebuild_all_snapshots,
    row_fingerprint,
    schema_census,
    stored_account_ids,
    truncate_covered_events,
)
from helpers.storage.snapshot_store import SnapshotRepository
from helpers.storage.sqlite import SQLiteDatabase, connect, transaction
from helpers.storage.upcasters import (
    UpcastError,
    decimal_units_to_cents,
    money_event_v1_to_v2,
    state_v1_to_v2,
)

__all__ = [
    "STATE_SCHEMA_VERSION",
    "BalancesByOwner",
    "Codec",
    "Database",
    "DecodeError",
    "EventRegistry",
    "EventSourcedRepository",
    "FeedEntry",
    "FieldDifference",
    "HybridRepository",
    "JsonCodec",
    "LoadReport",
    "MigrationReport",
    "MsgspecCodec",
    "PostgresDatabase",
    "RebuildReport",
    "Reconciliation",
    "Repository",
    "SQLiteDatabase",
    "SkippedSnapshot",
    "SnapshotRepository",
    "UpcastError",
    "VerifyReport",
    "connect",
    "correct_snapshot_by_hand",
    "decimal_units_to_cents",
    "float_state_v1_to_v2",
    "format_timestamp",
    "migrate_snapshot_rows",
    "money_event_v1_to_v2",
    "open_database",
    "parse_timestamp",
    "postgres_server",
    "rebuild_all_snapshots",
    "reconcile",
    "row_fingerprint",
    "schema_census",
    "scratch_schema",
    "state_v1_to_v2",
    "stored_account_ids",
    "transaction",
    "truncate_covered_events",
    "why_unavailable",
]


def __getattr__(name: str) -> Any:
    """Import the msgspec codec and the PostgreSQL engine on first use only: msgspec is an
    optional speed-up, and psycopg has no wheel on every machine."""
    if name == "MsgspecCodec":
        from helpers.storage.codec_msgspec import MsgspecCodec

        return MsgspecCodec
    if name == "PostgresDatabase":
        from helpers.storage.postgres import PostgresDatabase

        return PostgresDatabase
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

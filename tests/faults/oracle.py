"""An independent reading of stored rows: what state do they describe, if any?

Not a test module. The corruption property compares every load with this reader. It is
written apart from the codecs and the repositories, on purpose, with its own rules:

* A row is read as bytes, so nothing fails before the rules are applied.
* A row describes an event only if its text is UTF-8 JSON holding an object, its type is one
  of the Account's six, its schema version is a whole number the code can read (the current
  one, or 1 for the two money events, whose amount is then a decimal number of units), its
  state-relevant fields have the right types (``int`` is never ``bool``), and its payload
  names the account and the version of the row it is stored in.
* The events then fold through the domain's ``evolve``, which refuses a broken history.
* A stored state is usable only at state schema 2, with the six fields of the right types,
  a known status, and the account and version of its row.

The reader is deliberately *lenient* about what does not change the state (a timestamp, a
reference, an extra key): a codec may refuse such a row - the property then only asks that
the error names a row that was damaged - but the reader must never refuse a row that a codec
accepts, or a correct load would be reported as wrong.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from helpers.domain.events import (
    AccountClosed,
    AccountFrozen,
    AccountOpened,
    AccountUnfrozen,
    MoneyDeposited,
    MoneyWithdrawn,
)
from helpers.domain.state import AccountState, Status, evolve
from helpers.errors import InvalidHistory

MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
"""Events are rebuilt with this timestamp: time never changes a state."""

SCHEMA = {
    "AccountOpened": 1,
    "MoneyDeposited": 2,
    "MoneyWithdrawn": 2,
    "AccountFrozen": 1,
    "AccountUnfrozen": 1,
    "AccountClosed": 1,
}
MONEY = {"MoneyDeposited", "MoneyWithdrawn"}
STATE_FIELDS = {
    "account_id": str,
    "owner": str,
    "balance": int,
    "overdraft_limit": int,
    "status": str,
    "version": int,
}


class Unreadable(Exception):
    """The row describes nothing usable; ``version`` is its version column, as stored."""

    def __init__(self, version: object, why: str) -> None:
        super().__init__(why)
        self.version = version


@dataclass(frozen=True)
class Outcome:
    """What a load must do: return ``state``, refuse at ``refused_at``, or find nothing."""

    state: AccountState | None = None
    refused_at: tuple[str, object] | None = None  # (table, version column)
    snapshot_version: object = None

    @property
    def absent(self) -> bool:
        return self.state is None and self.refused_at is None


def text_of(value: object, version: object) -> str:
    if not isinstance(value, bytes):
        raise Unreadable(version, f"not text: {value!r}")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unreadable(version, f"not UTF-8: {error}") from None


def json_object(text: str, version: object) -> dict:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise Unreadable(version, f"not JSON: {error}") from None
    if type(data) is not dict:
        raise Unreadable(version, "not a JSON object")
    return data


def field(data: dict, name: str, kind: type, version: object) -> object:
    if name not in data or type(data[name]) is not kind:
        raise Unreadable(version, f"{name} missing or not {kind.__name__}")
    return data[name]


def cents_from_units(value: object, version: object) -> int:
    try:
        cents = Decimal(str(value)) * 100
    except InvalidOperation:
        raise Unreadable(version, f"amount {value!r} is not a decimal") from None
    if not cents.is_finite() or cents != cents.to_integral_value():
        raise Unreadable(version, f"amount {value!r} is not whole cents")
    return int(cents)


def event_of(account_id: str, row: tuple) -> object:
    """The event a stored row describes (row: version, event_type, schema_version, payload)."""
    version, type_column, schema, payload = row
    if type(version) is not int:
        raise Unreadable(version, "version column is not a whole number")
    type_name = text_of(type_column, version)
    if type_name not in SCHEMA:
        raise Unreadable(version, f"unknown type {type_name!r}")
    if type(schema) is not int:
        raise Unreadable(version, "schema version is not a whole number")
    upcast = type_name in MONEY and schema == 1
    if schema != SCHEMA[type_name] and not upcast:
        raise Unreadable(version, f"schema {schema} cannot be read")
    data = json_object(text_of(payload, version), version)
    common = {
        "account_id": field(data, "account_id", str, version),
        "version": field(data, "version", int, version),
        "occurred_at": MOMENT,
    }
    if common["account_id"] != account_id or common["version"] != version:
        raise Unreadable(version, "the payload belongs to another account or version")
    if type_name == "AccountOpened":
        return AccountOpened(
            **common,
            owner=field(data, "owner", str, version),
            overdraft_limit=field(data, "overdraft_limit", int, version),
        )
    if type_name in MONEY:
        if upcast:
            if "amount" not in data:
                raise Unreadable(version, "amount missing")
            amount = cents_from_units(data["amount"], version)
        else:
            amount = field(data, "amount", int, version)
        kind = MoneyDeposited if type_name == "MoneyDeposited" else MoneyWithdrawn
        return kind(**common, amount=amount, reference="")
    if type_name == "AccountFrozen":
        return AccountFrozen(**common, reason="")
    return {"AccountUnfrozen": AccountUnfrozen, "AccountClosed": AccountClosed}[type_name](**common)


def state_of(account_id: str, version: object, schema: object, text_value: object) -> AccountState:
    """The state a stored snapshot row describes."""
    if type(schema) is not int or schema != 2:
        raise Unreadable(version, f"state schema {schema!r} cannot be read")
    data = json_object(text_of(text_value, version), version)
    for name, kind in STATE_FIELDS.items():
        field(data, name, kind, version)
    if data["status"] not in {"open", "frozen", "closed"}:
        raise Unreadable(version, "unknown status")
    if data["account_id"] != account_id or data["version"] != version:
        raise Unreadable(version, "the state belongs to another account or version")
    return AccountState(
        data["account_id"],
        data["owner"],
        data["balance"],
        data["overdraft_limit"],
        Status(data["status"]),
        data["version"],
    )


class StoredRowsReader:
    """Reads a database file as bytes and says what each strategy's load must return."""

    def __init__(self, path) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.text_factory = bytes

    def close(self) -> None:
        self.conn.close()

    def replay(self, account_id: str, start: AccountState | None = None) -> Outcome:
        after = 0 if start is None else start.version
        rows = self.conn.execute(
            "SELECT version, event_type, schema_version, payload FROM events "
            "WHERE account_id = ? AND version > ? ORDER BY version",
            (account_id, after),
        ).fetchall()
        state = start
        for row in rows:
            try:
                state = evolve(state, event_of(account_id, row))
            except Unreadable as error:
                return Outcome(refused_at=("events", error.version))
            except InvalidHistory:
                return Outcome(refused_at=("events", row[0]))
        return Outcome(state=state, snapshot_version=None if start is None else start.version)

    def snapshot_rows(self, table: str, account_id: str) -> list[tuple]:
        order = " ORDER BY version DESC" if table == "snapshots" else ""
        return self.conn.execute(
            f'SELECT version, schema_version, state FROM "{table}" WHERE account_id = ?{order}',
            (account_id,),
        ).fetchall()

    def outcome(self, strategy: str, account_id: str) -> Outcome:
        if strategy in ("snapshot", "hybrid-snapshot-authority"):
            table = "accounts" if strategy == "snapshot" else "snapshots"
            rows = self.snapshot_rows(table, account_id)
            if not rows:
                return Outcome()
            version, schema, text_value = rows[0]
            try:
                return Outcome(state=state_of(account_id, version, schema, text_value))
            except Unreadable:
                return Outcome(refused_at=(table, version))
        start = None
        if strategy.startswith("hybrid-events"):
            for version, schema, text_value in self.snapshot_rows("snapshots", account_id):
                try:
                    start = state_of(account_id, version, schema, text_value)
                    break
                except Unreadable:
                    continue
        result = self.replay(account_id, start)
        if result.state is None and result.refused_at is None:
            return Outcome()
        return result

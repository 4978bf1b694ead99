"""Upcasters: how records written by older code are brought to the current shape on read.

The ledger's first release (schema version 1) stored money as decimal strings of whole
currency units - ``"12.50"`` - which invites float rounding and makes sums inexact. Version 2
stores integer cents (``1250``). Old events are never rewritten in place: every read passes
them through these functions, so history stays exactly as it was written.

The snapshot side has the same change (state schema 1 held ``balance`` and
``overdraft_limit`` as decimal strings). That upcaster is *not* registered by default: a
stale snapshot is meant to be noticed - skipped and rebuilt from events, or migrated on
purpose - rather than quietly patched on every load.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from helpers.errors import PersistenceError


class UpcastError(PersistenceError):
    """An old record holds a value the upcaster cannot convert exactly."""


def decimal_units_to_cents(value: object) -> int:
    """``"12.50"`` -> ``1250``; refuses anything that is not an exact number of cents."""
    try:
        cents = Decimal(str(value)) * 100
    except InvalidOperation:
        raise UpcastError(f"{value!r} is not a decimal amount") from None
    if not cents.is_finite():  # "Infinity" or "NaN" would otherwise escape as OverflowError
        raise UpcastError(f"{value!r} is not a finite decimal amount")
    if cents != cents.to_integral_value():
        raise UpcastError(f"{value!r} is not a whole number of cents")
    return int(cents)


def _field_to_cents(data: dict[str, Any], name: str) -> int:
    """The named decimal field in cents; the error names the field, so a reader can find it."""
    if name not in data:
        raise UpcastError(f"field {name!r} is missing")
    try:
        return decimal_units_to_cents(data[name])
    except UpcastError as error:
        raise UpcastError(f"field {name!r}: {error}") from None


def money_event_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """MoneyDeposited / MoneyWithdrawn v1 -> v2: the amount becomes integer cents."""
    return {**data, "amount": _field_to_cents(data, "amount")}


def state_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """AccountState v1 -> v2: balance and overdraft limit become integer cents."""
    return {
        **data,
        "balance": _field_to_cents(data, "balance"),
        "overdraft_limit": _field_to_cents(data, "overdraft_limit"),
    }


EVENT_UPCASTERS = {
    ("MoneyDeposited", 1): money_event_v1_to_v2,
    ("MoneyWithdrawn", 1): money_event_v1_to_v2,
}
"""Registered in every default EventRegistry: (type name, from version) -> upcaster."""

"""The Account's domain events: facts in the past tense, frozen once they happen.

Each event carries the account it belongs to, its position in that account's history
(``version`` 1, 2, 3, ...), the moment it occurred, and - as a class attribute - the schema
version of its shape. Nothing here knows how events are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    """Something that happened to one account. Subclasses add what is specific to them."""

    schema_version: ClassVar[int] = 1

    account_id: str
    version: int
    occurred_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountOpened(DomainEvent):
    owner: str
    overdraft_limit: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MoneyDeposited(DomainEvent):
    """Version 2: ``amount`` is integer cents (version 1 stored a decimal string)."""

    schema_version: ClassVar[int] = 2
    amount: int
    reference: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MoneyWithdrawn(DomainEvent):
    """Version 2: ``amount`` is integer cents (version 1 stored a decimal string)."""

    schema_version: ClassVar[int] = 2
    amount: int
    reference: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountFrozen(DomainEvent):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountUnfrozen(DomainEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountClosed(DomainEvent):
    pass


STORED_EVENT_TYPES: tuple[type[DomainEvent], ...] = (
    AccountOpened,
    MoneyDeposited,
    MoneyWithdrawn,
    AccountFrozen,
    AccountUnfrozen,
    AccountClosed,
)
"""The events that make up an Account's history, and so the ones a codec registers."""

"""rebuild-lab: one ledger Account persisted three ways - snapshots, events, or both.

Layers, each importing only those listed before it: ``domain`` (the Account, no I/O),
``storage`` (codecs, engines, the three repositories), ``samples`` (seeded histories),
``bench`` (measured costs); ``teaching`` (lesson aids, exercise checks) may import them all.
"""

from typing import Any

from helpers.domain import (
    LOW_BALANCE_THRESHOLD,
    Account,
    AccountClosed,
    AccountFrozen,
    AccountOpened,
    AccountState,
    AccountUnfrozen,
    DomainEvent,
    InProcessPublisher,
    LowBalanceWarning,
    MoneyDeposited,
    MoneyWithdrawn,
    Status,
    TickingClock,
    evolve,
    fold,
    system_clock,
)
from helpers.errors import (
    AccountAlreadyOpen,
    AccountIsClosed,
    AccountIsFrozen,
    AccountNotFound,
    AmountNotPositive,
    AuthorityMismatch,
    BalanceNotZero,
    ConcurrencyError,
    CorruptRecord,
    InvalidHistory,
    InvalidTransition,
    InvariantViolation,
    NotAnAccountEvent,
    OutOfOrderEvent,
    OverdraftLimitExceeded,
    PersistenceError,
    RebuildLabError,
    SchemaVersionError,
    StaleSnapshot,
    UnknownEventType,
)
from helpers.samples import build_account, expected_after, generate_commands
from helpers.storage import (
    EventRegistry,
    EventSourcedRepository,
    FieldDifference,
    HybridRepository,
    JsonCodec,
    LoadReport,
    Repository,
    SkippedSnapshot,
    SnapshotRepository,
    UpcastError,
    VerifyReport,
)

__all__ = [
    "LOW_BALANCE_THRESHOLD",
    "Account",
    "AccountAlreadyOpen",
    "AccountClosed",
    "AccountFrozen",
    "AccountIsClosed",
    "AccountIsFrozen",
    "AccountNotFound",
    "AccountOpened",
    "AccountState",
    "AccountUnfrozen",
    "AmountNotPositive",
    "AuthorityMismatch",
    "BalanceNotZero",
    "ConcurrencyError",
    "CorruptRecord",
    "DomainEvent",
    "EventRegistry",
    "EventSourcedRepository",
    "FieldDifference",
    "HybridRepository",
    "InProcessPublisher",
    "InvalidHistory",
    "InvalidTransition",
    "InvariantViolation",
    "JsonCodec",
    "LoadReport",
    "LowBalanceWarning",
    "MoneyDeposited",
    "MoneyWithdrawn",
    "MsgspecCodec",
    "NotAnAccountEvent",
    "OutOfOrderEvent",
    "OverdraftLimitExceeded",
    "PersistenceError",
    "RebuildLabError",
    "Repository",
    "SchemaVersionError",
    "SkippedSnapshot",
    "SnapshotRepository",
    "StaleSnapshot",
    "Status",
    "TickingClock",
    "UnknownEventType",
    "UpcastError",
    "VerifyReport",
    "build_account",
    "evolve",
    "expected_after",
    "fold",
    "generate_commands",
    "system_clock",
]


def __getattr__(name: str) -> Any:
    """``helpers.MsgspecCodec`` imports msgspec on first use only (an optional speed-up)."""
    if name == "MsgspecCodec":
        from helpers.storage import MsgspecCodec

        return MsgspecCodec
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

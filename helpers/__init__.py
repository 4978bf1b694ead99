"""rebuild-lab: one ledger Account persisted three ways - snapshots, events, or both.

The package is layered so that dependencies point one way:

* domain - ``events``, ``state`` (the one ``evolve`` path), ``account``, ``notifications``;
  it knows nothing of storage;
* persistence - ``codec`` / ``codec_msgspec`` (JSON, never pickle), ``sqlite`` (settings and
  transactions), and the three repositories ``snapshot_store``, ``event_store``,
  ``hybrid_store`` behind the ``Repository`` interface;
* support - ``clock`` (deterministic time), ``workload`` (seeded histories).

Import the public names from here: ``from helpers import Account, HybridRepository``.
"""

from helpers.account import LOW_BALANCE_THRESHOLD, Account
from helpers.clock import TickingClock, system_clock
from helpers.codec import EventRegistry, JsonCodec
from helpers.codec_msgspec import MsgspecCodec
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
    InvalidTransition,
    InvariantViolation,
    OutOfOrderEvent,
    OverdraftLimitExceeded,
    PersistenceError,
    RebuildLabError,
    SchemaVersionError,
    StaleSnapshot,
    UnknownEventType,
)
from helpers.event_store import EventSourcedRepository
from helpers.events import (
    AccountClosed,
    AccountFrozen,
    AccountOpened,
    AccountUnfrozen,
    DomainEvent,
    MoneyDeposited,
    MoneyWithdrawn,
)
from helpers.hybrid_store import (
    FieldDifference,
    HybridRepository,
    LoadReport,
    SkippedSnapshot,
    VerifyReport,
)
from helpers.notifications import InProcessPublisher, LowBalanceWarning
from helpers.repository import Repository
from helpers.snapshot_store import SnapshotRepository
from helpers.state import AccountState, Status, evolve, fold
from helpers.upcasters import UpcastError
from helpers.workload import build_account, expected_after, generate_commands

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
    "InvalidTransition",
    "InvariantViolation",
    "JsonCodec",
    "LoadReport",
    "LowBalanceWarning",
    "MoneyDeposited",
    "MoneyWithdrawn",
    "MsgspecCodec",
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

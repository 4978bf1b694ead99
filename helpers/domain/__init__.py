"""The domain layer: the ledger Account, its events, and the one ``evolve`` that applies them.

No I/O and no storage: this package imports only itself and ``helpers.errors``.
"""

from helpers.domain.account import LOW_BALANCE_THRESHOLD, Account
from helpers.domain.clock import Clock, TickingClock, system_clock
from helpers.domain.events import (
    STORED_EVENT_TYPES,
    AccountClosed,
    AccountFrozen,
    AccountOpened,
    AccountUnfrozen,
    DomainEvent,
    MoneyDeposited,
    MoneyWithdrawn,
)
from helpers.domain.notifications import InProcessPublisher, LowBalanceWarning
from helpers.domain.state import AccountState, Status, evolve, fold

__all__ = [
    "LOW_BALANCE_THRESHOLD",
    "STORED_EVENT_TYPES",
    "Account",
    "AccountClosed",
    "AccountFrozen",
    "AccountOpened",
    "AccountState",
    "AccountUnfrozen",
    "Clock",
    "DomainEvent",
    "InProcessPublisher",
    "LowBalanceWarning",
    "MoneyDeposited",
    "MoneyWithdrawn",
    "Status",
    "TickingClock",
    "evolve",
    "fold",
    "system_clock",
]

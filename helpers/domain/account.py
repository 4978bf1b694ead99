"""The ``Account`` aggregate: checks a command's rules, then records an event.

Every command follows the same two steps. First, named guards check the invariants and
raise a specific ``InvariantViolation`` if one would break; nothing has changed yet. Second,
the command records an event: ``evolve`` applies it to the state and it joins the list of
pending events that a repository will save. Nothing here knows about storage.

Notifications (the low-balance warning) wait beside the pending events and are published
only by ``mark_saved``, which a repository calls after its transaction commits: a warning
about a withdrawal that never reached the store would announce something that did not happen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from helpers.domain.clock import Clock, system_clock
from helpers.domain.events import (
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
from helpers.errors import (
    AccountIsClosed,
    AccountIsFrozen,
    AmountNotPositive,
    BalanceNotZero,
    InvalidTransition,
    OverdraftLimitExceeded,
)

LOW_BALANCE_THRESHOLD = 10_000
"""Cents. A withdrawal that leaves less than this publishes a LowBalanceWarning."""


class Account:
    """A ledger account holding integer cents. Build one with ``Account.open(...)``."""

    def __init__(
        self,
        state: AccountState,
        *,
        clock: Clock = system_clock,
        publisher: InProcessPublisher | None = None,
        pending: Iterable[DomainEvent] = (),
    ) -> None:
        self._state = state
        self._pending: list[DomainEvent] = list(pending)
        self._notifications: list[LowBalanceWarning] = []
        self.clock = clock
        self.publisher = publisher if publisher is not None else InProcessPublisher()

    # --- building ------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        account_id: str,
        owner: str,
        overdraft_limit: int = 0,
        *,
        clock: Clock = system_clock,
        publisher: InProcessPublisher | None = None,
    ) -> Account:
        """Open a new account. Its first event, AccountOpened, waits to be saved."""
        _check_is_text("account_id", account_id)
        _check_is_text("owner", owner)
        # bool is a subclass of int in Python: True would silently become a 1-cent limit.
        if (
            isinstance(overdraft_limit, bool)
            or not isinstance(overdraft_limit, int)
            or overdraft_limit < 0
        ):
            raise AmountNotPositive(
                f"the overdraft limit must be zero or a positive number of cents, "
                f"not {overdraft_limit!r}"
            )
        opened = AccountOpened(
            account_id=account_id,
            version=1,
            occurred_at=_utc_now(clock),
            owner=owner,
            overdraft_limit=overdraft_limit,
        )
        return cls(evolve(None, opened), clock=clock, publisher=publisher, pending=[opened])

    @classmethod
    def from_events(cls, events: Iterable[DomainEvent], *, clock: Clock = system_clock) -> Account:
        """Rebuild an account by replaying its history (nothing pending afterwards)."""
        state = fold(events)
        if state is None:
            raise ValueError("cannot rebuild an account from an empty history")
        return cls(state, clock=clock)

    # --- what the account knows ----------------------------------------------------------

    @property
    def state(self) -> AccountState:
        return self._state

    @property
    def account_id(self) -> str:
        return self._state.account_id

    @property
    def owner(self) -> str:
        return self._state.owner

    @property
    def balance(self) -> int:
        return self._state.balance

    @property
    def overdraft_limit(self) -> int:
        return self._state.overdraft_limit

    @property
    def status(self) -> Status:
        return self._state.status

    @property
    def version(self) -> int:
        return self._state.version

    @property
    def pending_events(self) -> tuple[DomainEvent, ...]:
        """Events recorded since the last load or save, oldest first."""
        return tuple(self._pending)

    @property
    def stored_version(self) -> int:
        """The version the store held when this account was loaded (the save's expectation)."""
        return self._state.version - len(self._pending)

    @property
    def pending_notifications(self) -> tuple[LowBalanceWarning, ...]:
        """Notifications waiting for the pending events to be saved, oldest first."""
        return tuple(self._notifications)

    def mark_saved(self) -> None:
        """Called by a repository after a successful commit: nothing is pending any more.

        Only now are the waiting notifications published: the change they announce is
        stored. If the save fails (say, with ``ConcurrencyError``) this is never called, so
        no subscriber hears about a change that did not happen.
        """
        self._pending.clear()
        notifications, self._notifications = self._notifications, []
        for notification in notifications:
            self.publisher.publish(notification)

    def __repr__(self) -> str:
        s = self._state
        return (
            f"Account({s.account_id!r}, owner={s.owner!r}, balance={s.balance}, "
            f"status={s.status.value!r}, version={s.version})"
        )

    # --- commands ------------------------------------------------------------------------

    def deposit(self, amount: int, reference: str) -> None:
        self._check_is_not_closed("deposit")
        self._check_is_not_frozen("deposit")
        self._check_amount_is_positive(amount)
        _check_is_text("reference", reference)
        self._record(MoneyDeposited, amount=amount, reference=reference)

    def withdraw(self, amount: int, reference: str) -> None:
        self._check_is_not_closed("withdraw")
        self._check_is_not_frozen("withdraw")
        self._check_amount_is_positive(amount)
        _check_is_text("reference", reference)
        self._check_can_cover(amount)
        self._record(MoneyWithdrawn, amount=amount, reference=reference)
        if self.balance < LOW_BALANCE_THRESHOLD:
            self._notifications.append(
                LowBalanceWarning(
                    account_id=self.account_id,
                    balance=self.balance,
                    threshold=LOW_BALANCE_THRESHOLD,
                    occurred_at=self._pending[-1].occurred_at,
                )
            )

    def freeze(self, reason: str) -> None:
        self._check_is_not_closed("freeze")
        if self.status is Status.FROZEN:
            raise InvalidTransition(f"account {self.account_id!r} is already frozen")
        _check_is_text("reason", reason)
        self._record(AccountFrozen, reason=reason)

    def unfreeze(self) -> None:
        self._check_is_not_closed("unfreeze")
        if self.status is not Status.FROZEN:
            raise InvalidTransition(
                f"account {self.account_id!r} is not frozen, so it cannot be unfrozen"
            )
        self._record(AccountUnfrozen)

    def close(self) -> None:
        self._check_is_not_closed("close")
        if self.balance != 0:
            raise BalanceNotZero(
                f"account {self.account_id!r} holds {self.balance} cents; only a zero "
                "balance can be closed - withdraw or deposit the difference first"
            )
        self._record(AccountClosed)

    # --- guards: each names one invariant ------------------------------------------------

    def _check_is_not_closed(self, command: str) -> None:
        if self.status is Status.CLOSED:
            raise AccountIsClosed(
                f"account {self.account_id!r} is closed and refuses every command "
                f"(tried to {command})"
            )

    def _check_is_not_frozen(self, command: str) -> None:
        if self.status is Status.FROZEN:
            raise AccountIsFrozen(
                f"account {self.account_id!r} is frozen; unfreeze it before you {command}"
            )

    @staticmethod
    def _check_amount_is_positive(amount: int) -> None:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise AmountNotPositive(
                f"amounts are positive whole cents, but got {amount!r}; "
                "write 1050 for 10.50, never 10.5"
            )

    def _check_can_cover(self, amount: int) -> None:
        floor = -self.overdraft_limit
        if self.balance - amount < floor:
            raise OverdraftLimitExceeded(
                f"withdrawing {amount} cents would leave {self.balance - amount}, below the "
                f"overdraft floor of {floor} cents for account {self.account_id!r}"
            )

    # --- recording ---------------------------------------------------------------------

    def _record(self, event_type: type[DomainEvent], **fields: object) -> None:
        event = event_type(
            account_id=self.account_id,
            version=self.version + 1,
            occurred_at=_utc_now(self.clock),
            **fields,
        )
        self._state = evolve(self._state, event)
        self._pending.append(event)


def _utc_now(clock: Clock) -> datetime:
    """Ask the clock for the time, normalised to UTC.

    Events store their moment as UTC text, and both codecs must write the same text: a clock
    in another timezone would otherwise be written as "+01:00" by one codec and "Z" by the
    other. A naive datetime is refused here, at the command, rather than later at save time.
    """
    now = clock()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"the clock must return a timezone-aware datetime, got {now!r}")
    return now.astimezone(UTC)


def _check_is_text(name: str, value: object) -> None:
    """Ids, owners, references and reasons are text: anything else is stored but never loads.

    The codecs refuse a non-text value when they *read* a record, so accepting one here would
    let a save write a history that no load can read back. A programming mistake, so TypeError.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text (str), not {type(value).__name__} {value!r}")
